#include "transaction/ack_builder.hpp"

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace trapezoid::transaction {
namespace {

using namespace test;

TEST(AckBuilder, KeepsOnlyTheTopViaOfAProxiedInvite) {
  RequestSpec s;
  s.sent_by = "bigbox3.site3.atlanta.com";
  s.branch = "z9hG4bK77ef4c2312983.1";
  s.extra = "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8, SIP/2.0/UDP h2;branch=z9hG4bKx\r\n";
  sip::Message invite = request(s);
  sip::BuildResult ack = build_ack_for_non_2xx(invite, response(503, s, "tt"));
  ASSERT_TRUE(ack.ok());
  sip::Message m = parse(ack.bytes);
  EXPECT_EQ(m.count(sip::HeaderId::kVia), 1u);
  EXPECT_EQ(m.find(sip::HeaderId::kVia)->value,
            "SIP/2.0/UDP bigbox3.site3.atlanta.com;branch=z9hG4bK77ef4c2312983.1");
  EXPECT_EQ(m.count(sip::HeaderId::kRoute), 0u);
  EXPECT_EQ(m.body(), "");
}

TEST(AckBuilder, TopViaIsTheFirstElementOfACommaList) {
  sip::Message invite = parse(
      "INVITE sip:bob@biloxi.com SIP/2.0\r\n"
      "Via: SIP/2.0/TCP proxy.example.com;branch=z9hG4bKtop, SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK2\r\n"
      "To: <sip:bob@biloxi.com>\r\nFrom: <sip:alice@atlanta.com>;tag=1\r\nCall-ID: c1\r\n"
      "CSeq: 7 INVITE\r\nContent-Length: 0\r\n\r\n");
  sip::BuildResult ack = build_ack_for_non_2xx(invite, response(404));
  ASSERT_TRUE(ack.ok());
  sip::Message m = parse(ack.bytes);
  EXPECT_EQ(m.find(sip::HeaderId::kVia)->value, "SIP/2.0/TCP proxy.example.com;branch=z9hG4bKtop");
  EXPECT_EQ(m.find(sip::HeaderId::kCSeq)->value, "7 ACK");
}

TEST(AckBuilder, MissingHeadersAreAnErrorNotACrash) {
  sip::Message invite = parse(
      "INVITE sip:bob@biloxi.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
      "CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n");
  sip::BuildResult ack = build_ack_for_non_2xx(invite, response(486));
  EXPECT_FALSE(ack.ok());
  EXPECT_TRUE(ack.bytes.empty());
}

}  // namespace
}  // namespace trapezoid::transaction
