#include "registrar/stored_binding.hpp"

#include <gtest/gtest.h>

#include <utility>

namespace trapezoid::registrar {
namespace {

Binding full_binding() {
  Binding b;
  b.aor = "sip:alice@atlanta.com";
  b.contact = "sip:alice@192.0.2.4:5060;transport=udp";
  b.call_id = "a84b4c76e66710@pc33.atlanta.com";
  b.cseq = 314159;
  b.expires_at = 1700003600;
  b.q = 700;
  b.path = "<sip:p1.example.com;lr>,<sip:p2.example.com;lr>";
  b.received = "udp:192.0.2.4:5060";
  b.instance = "<urn:uuid:00000000-0000-1000-8000-000A95A0E128>";
  b.user_agent = "Softphone/1.0";
  b.updated_at = 1700000000;
  return b;
}

TEST(StoredBinding, RoundTripsEveryField) {
  const Binding b = full_binding();
  const StoredBinding s(b);
  EXPECT_EQ(s.to_binding(b.aor), b);
  EXPECT_EQ(s.contact(), b.contact);
  EXPECT_EQ(s.call_id(), b.call_id);
  EXPECT_EQ(s.path(), b.path);
  EXPECT_EQ(s.received(), b.received);
  EXPECT_EQ(s.instance(), b.instance);
  EXPECT_EQ(s.user_agent(), b.user_agent);
  EXPECT_EQ(s.cseq(), 314159u);
  EXPECT_EQ(s.q(), 700);
}

TEST(StoredBinding, EmptyTextsAndMoves) {
  Binding b;
  b.contact = "sip:a@b";
  StoredBinding s(b);
  EXPECT_EQ(s.contact(), "sip:a@b");
  EXPECT_EQ(s.path(), "");
  EXPECT_EQ(s.user_agent(), "");
  StoredBinding moved(std::move(s));
  EXPECT_EQ(moved.contact(), "sip:a@b");
  const StoredBinding empty{Binding{}};
  EXPECT_EQ(empty.contact(), "");
  EXPECT_EQ(empty.to_binding("sip:x@y").aor, "sip:x@y");
}

TEST(StoredBinding, QOutsideRangeBecomesNone) {
  Binding b = full_binding();
  b.q = 1001;
  EXPECT_EQ(StoredBinding(b).q(), -1);
  b.q = -7;
  EXPECT_EQ(StoredBinding(b).q(), -1);
  b.q = 0;
  EXPECT_EQ(StoredBinding(b).q(), 0);
  b.q = 1000;
  EXPECT_EQ(StoredBinding(b).q(), 1000);
}

TEST(StoredBinding, LiveUntilItsExpirySecond) {
  Binding b = full_binding();
  b.expires_at = 100;
  const StoredBinding s(b);
  EXPECT_TRUE(s.live_at(99));
  EXPECT_FALSE(s.live_at(100));
  EXPECT_FALSE(s.live_at(101));
}

TEST(StoredBinding, SmallerThanTheBindingItStores) {
  // The point of the packing: a stored binding is a fraction of a Binding object, and its
  // texts take one allocation.
  EXPECT_LE(sizeof(StoredBinding), 64u);
  EXPECT_LT(sizeof(StoredBinding) * 3, sizeof(Binding));
}

}  // namespace
}  // namespace trapezoid::registrar
