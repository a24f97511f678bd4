#include "sip/contact.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace trapezoid::sip {
namespace {

constexpr std::string_view kMalformed = "Malformed Contact";

bool parses(std::string_view text) {
  Contact c;
  return parse_contact(text, c).empty();
}

// RFC 3261 §20.10 example.
TEST(Contact, ParsesAddressWithQAndExpires) {
  Contact c;
  ASSERT_EQ(parse_contact("\"Mr. Watson\" <sip:watson@worcester.bell-telephone.com>;q=0.7; expires=3600", c), "");
  EXPECT_FALSE(c.star);
  EXPECT_EQ(unquote(c.address.display_name), "Mr. Watson");
  EXPECT_EQ(c.address.uri, "sip:watson@worcester.bell-telephone.com");
  EXPECT_EQ(c.q, 700);
  EXPECT_EQ(c.expires, 3600);
}

TEST(Contact, AbsentQAndExpiresAreMinusOne) {
  Contact c;
  ASSERT_EQ(parse_contact("<sip:alice@pc33.atlanta.com>", c), "");
  EXPECT_EQ(c.q, -1);
  EXPECT_EQ(c.expires, -1);
  ASSERT_EQ(parse_contact("sip:alice@pc33.atlanta.com", c), "");
  EXPECT_EQ(c.address.uri, "sip:alice@pc33.atlanta.com");
}

// §10.2.2: "Contact: *" removes all bindings; the whole value is the star.
TEST(Contact, ParsesStar) {
  Contact c;
  ASSERT_EQ(parse_contact("*", c), "");
  EXPECT_TRUE(c.star);
  ASSERT_EQ(parse_contact("  *  ", c), "");
  EXPECT_TRUE(c.star);
  ASSERT_EQ(parse_contact("\r\n *", c), "");
  EXPECT_TRUE(c.star);
}

// Contact = ( STAR / (contact-param *(COMMA contact-param)) ): a star has no parameters.
TEST(Contact, StarTakesNoParametersOrCompany) {
  EXPECT_EQ([] {
    Contact c;
    return parse_contact("*;expires=0", c);
  }(), kMalformed);
  EXPECT_FALSE(parses("**"));
  EXPECT_FALSE(parses("* <sip:a@b.c>"));
  EXPECT_FALSE(parses("<*>"));
}

// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ) (§25.1).
TEST(Contact, QValueBounds) {
  struct Case {
    std::string_view q;
    int thousandths;
  };
  for (const Case& k : {Case{"0", 0}, Case{"0.0", 0}, Case{"0.000", 0}, Case{"0.5", 500},
                        Case{"0.05", 50}, Case{"0.005", 5}, Case{"0.999", 999}, Case{"1", 1000},
                        Case{"1.", 1000}, Case{"0.", 0}, Case{"1.0", 1000}, Case{"1.000", 1000}}) {
    Contact c;
    const std::string text = "<sip:a@b.c>;q=" + std::string(k.q);
    ASSERT_EQ(parse_contact(text, c), "") << text;
    EXPECT_EQ(c.q, k.thousandths) << text;
  }
}

TEST(Contact, RejectsBadQValues) {
  for (std::string_view q : {"1.001", "0.1234", "1.0000", "2", "1.5", "-0.5", ".5", "01", "00.5",
                             "0,5", "0.5a", "\"0.5\"", "0.a", "10"}) {
    const std::string text = "<sip:a@b.c>;q=" + std::string(q);
    EXPECT_FALSE(parses(text)) << text;
  }
  EXPECT_FALSE(parses("<sip:a@b.c>;q"));
  EXPECT_FALSE(parses("<sip:a@b.c>;q="));
}

TEST(Contact, QAllowsLwsAroundTheEqualSign) {
  Contact c;
  ASSERT_EQ(parse_contact("<sip:a@b.c> ; q = 0.33", c), "");
  EXPECT_EQ(c.q, 330);
  ASSERT_EQ(parse_contact("<sip:a@b.c>;Q=1", c), "");  // parameter names are case-insensitive
  EXPECT_EQ(c.q, 1000);
}

// contact-params-expires = "expires" EQUAL delta-seconds (§20.10, §25.1).
TEST(Contact, ExpiresValues) {
  Contact c;
  ASSERT_EQ(parse_contact("<sip:a@b.c>;expires=0", c), "");
  EXPECT_EQ(c.expires, 0);
  ASSERT_EQ(parse_contact("<sip:a@b.c>;expires=4294967295", c), "");
  EXPECT_EQ(c.expires, 4294967295);
  ASSERT_EQ(parse_contact("<sip:a@b.c>;EXPIRES=007", c), "");
  EXPECT_EQ(c.expires, 7);
}

// §20.19 (through §20.10): a delta-seconds past 2**32-1 is taken as 2**32-1.
TEST(Contact, HugeExpiresIsClampedTo32Bits) {
  Contact c;
  ASSERT_EQ(parse_contact("<sip:a@b.c>;expires=4294967296", c), "");
  EXPECT_EQ(c.expires, std::int64_t{4294967295});
  ASSERT_EQ(parse_contact("<sip:a@b.c>;expires=280000000000000000000000000000", c), "");
  EXPECT_EQ(c.expires, std::int64_t{4294967295});
}

TEST(Contact, RejectsBadExpires) {
  for (std::string_view e : {"", "-1", "1.5", "abc", "\"10\"", "10s", "0x10"}) {
    const std::string text = "<sip:a@b.c>;expires=" + std::string(e);
    EXPECT_FALSE(parses(text)) << text;
  }
  EXPECT_FALSE(parses("<sip:a@b.c>;expires"));
}

// The URI's own expires (inside brackets) is not the contact's.
TEST(Contact, ParamsInsideTheBracketsAreNotContactParams) {
  Contact c;
  ASSERT_EQ(parse_contact("<sip:a@b.c;expires=60;q=0.5>", c), "");
  EXPECT_EQ(c.expires, -1);
  EXPECT_EQ(c.q, -1);
  ASSERT_EQ(parse_contact("<sip:a@b.c;expires=bogus>", c), "");
}

// In an addr-spec the parameters are the header's (§20.10).
TEST(Contact, AddrSpecParamsAreContactParams) {
  Contact c;
  ASSERT_EQ(parse_contact("sip:a@b.c;expires=60;q=0.5", c), "");
  EXPECT_EQ(c.expires, 60);
  EXPECT_EQ(c.q, 500);
  EXPECT_FALSE(parses("sip:a@b.c;q=2"));
}

TEST(Contact, ExtensionParamsAreKept) {
  Contact c;
  ASSERT_EQ(parse_contact(R"(<sip:a@b.c>;+sip.instance="<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>";reg-id=1)", c), "");
  EXPECT_EQ(c.address.params.get("+sip.instance"), R"("<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>")");
  EXPECT_EQ(c.address.params.get("reg-id"), "1");
}

TEST(Contact, AddressErrorsBecomeMalformedContact) {
  for (std::string_view bad : {"", "<sip:a@b.c", "sip:a@b.c?x=y", "Bell, Alexander <sip:a@b.c>",
                               "<sip:a@b.c>;", "<sip:a@b.c>;;q=1", "<sip:a@b.c> junk"}) {
    Contact c;
    EXPECT_EQ(parse_contact(bad, c), kMalformed) << '"' << bad << '"';
  }
}

TEST(Contact, ResetsTheOutputOnEachCall) {
  Contact c;
  ASSERT_EQ(parse_contact("<sip:a@b.c>;q=0.1;expires=5", c), "");
  ASSERT_EQ(parse_contact("*", c), "");
  EXPECT_TRUE(c.star);
  EXPECT_EQ(c.q, -1);
  EXPECT_EQ(c.expires, -1);
  ASSERT_EQ(parse_contact("<sip:a@b.c>", c), "");
  EXPECT_FALSE(c.star);
}

}  // namespace
}  // namespace trapezoid::sip
