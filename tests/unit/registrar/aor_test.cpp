#include "registrar/aor.hpp"

#include <gtest/gtest.h>

#include <string_view>

namespace trapezoid::registrar {
namespace {

struct Case {
  std::string_view input;
  std::string_view aor;
};

TEST(CanonicalAor, Table) {
  const Case cases[] = {
      {"sip:alice@atlanta.com", "sip:alice@atlanta.com"},
      // Host case folds, user case does not (§19.1.4).
      {"sip:Alice@ATLANTA.Com", "sip:Alice@atlanta.com"},
      // §10.3 step 5: parameters (user-param included) and headers go.
      {"sip:alice@atlanta.com;transport=tcp;lr", "sip:alice@atlanta.com"},
      {"sip:+1-212-555-1212@gw.atlanta.com;user=phone", "sip:+1-212-555-1212@gw.atlanta.com"},
      {"sip:alice@atlanta.com?subject=project%20x&priority=urgent", "sip:alice@atlanta.com"},
      // Escapes decoded; characters a user part cannot carry plainly stay escaped, in one form.
      {"sip:%61lice@atlanta.com", "sip:alice@atlanta.com"},
      {"sip:a%2bb@atlanta.com", "sip:a+b@atlanta.com"},
      {"sip:a%3bb@atlanta.com", "sip:a;b@atlanta.com"},
      {"sip:a%40b@atlanta.com", "sip:a%40b@atlanta.com"},
      {"sip:a%3ab%20c@atlanta.com", "sip:a%3Ab%20c@atlanta.com"},
      // RFC 5630 §5.2: sips and sip AoRs are the same.
      {"sips:alice@atlanta.com", "sip:alice@atlanta.com"},
      {"SIP:alice@atlanta.com", "sip:alice@atlanta.com"},
      // Ports dropped (aor.hpp says why); passwords dropped.
      {"sip:alice@atlanta.com:5060", "sip:alice@atlanta.com"},
      {"sips:alice@atlanta.com:5061", "sip:alice@atlanta.com"},
      {"sip:alice:secret@atlanta.com", "sip:alice@atlanta.com"},
      // Addresses by value.
      {"sip:alice@192.0.2.1:5070", "sip:alice@192.0.2.1"},
      {"sip:alice@[2001:DB8:0:0:0:0:0:1]", "sip:alice@[2001:db8::1]"},
      {"sip:alice@[2001:db8:0:0:1:0:0:1]", "sip:alice@[2001:db8::1:0:0:1]"},
      {"sip:alice@[2001:db8:0:1:1:1:1:1]", "sip:alice@[2001:db8:0:1:1:1:1:1]"},
      {"sip:alice@[::1]:5060", "sip:alice@[::1]"},
      {"sip:alice@[::]", "sip:alice@[::]"},
      {"sip:alice@[::ffff:192.0.2.1]", "sip:alice@[::ffff:192.0.2.1]"},
      {"sip:alice@[2001:db8::]", "sip:alice@[2001:db8::]"},
      // No user: a domain AoR.
      {"sip:atlanta.com", "sip:atlanta.com"},
  };
  for (const Case& c : cases) {
    const AorResult r = canonical_aor(c.input);
    ASSERT_TRUE(r.ok()) << c.input << ": " << r.reason;
    EXPECT_EQ(r.aor, c.aor) << c.input;
    // Canonical is a fixed point.
    EXPECT_EQ(canonical_aor(r.aor).aor, r.aor) << c.input;
  }
}

TEST(CanonicalAor, EquivalentSpellingsGiveOneKey) {
  EXPECT_EQ(canonical_aor("sip:%62ob@BILOXI.com:5060;transport=udp").aor, canonical_aor("sips:bob@biloxi.com").aor);
  EXPECT_NE(canonical_aor("sip:Bob@biloxi.com").aor, canonical_aor("sip:bob@biloxi.com").aor);
}

TEST(CanonicalAor, NotSipIsRejectedWith400) {
  for (std::string_view uri : {"tel:+1-201-555-0123", "mailto:alice@atlanta.com", "isbn:2983792873",
                               "http://www.example.com"}) {
    const AorResult r = canonical_aor(uri);
    EXPECT_FALSE(r.ok()) << uri;
    EXPECT_EQ(r.status, 400) << uri;
    EXPECT_EQ(r.reason, "Invalid Address-of-Record") << uri;
    EXPECT_TRUE(r.aor.empty());
  }
}

TEST(CanonicalAor, MalformedIsRejectedWith400) {
  for (std::string_view uri : {"sip:", "sip:alice@", "sip:al ice@atlanta.com", "sip:a%4@atlanta.com", ""}) {
    const AorResult r = canonical_aor(uri);
    EXPECT_FALSE(r.ok()) << uri;
    EXPECT_EQ(r.status, 400) << uri;
  }
}

TEST(CanonicalAor, RequestUriUsesTheSameRules) {
  EXPECT_EQ(request_uri_aor("sip:Alice@ATLANTA.com;maddr=192.0.2.1;transport=udp").aor, "sip:Alice@atlanta.com");
  EXPECT_EQ(request_uri_aor("sips:%61lice@atlanta.com:5061").aor, canonical_aor("sip:alice@atlanta.com").aor);
  EXPECT_EQ(request_uri_aor("tel:+15551234").status, 400);
}

TEST(AorHost, AfterTheLastAtOrTheScheme) {
  EXPECT_EQ(aor_host("sip:alice@atlanta.com"), "atlanta.com");
  EXPECT_EQ(aor_host("sip:a%40b@atlanta.com"), "atlanta.com");
  EXPECT_EQ(aor_host("sip:atlanta.com"), "atlanta.com");
  EXPECT_EQ(aor_host("sip:alice@[2001:db8::1]"), "[2001:db8::1]");
}

}  // namespace
}  // namespace trapezoid::registrar
