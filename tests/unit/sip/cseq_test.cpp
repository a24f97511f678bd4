#include "sip/cseq.hpp"

#include <gtest/gtest.h>

#include <string_view>

namespace trapezoid::sip {
namespace {

constexpr std::string_view kMalformed = "Malformed CSeq";

bool parses(std::string_view text) {
  CSeq c;
  return parse_cseq(text, c).empty();
}

// RFC 3261 §20.16: CSeq = "CSeq" HCOLON 1*DIGIT LWS Method.
TEST(CSeq, ParsesNumberAndMethod) {
  CSeq c;
  ASSERT_EQ(parse_cseq("314159 INVITE", c), "");
  EXPECT_EQ(c.number, 314159u);
  EXPECT_EQ(c.method_name, "INVITE");
  EXPECT_EQ(c.method, Method::kInvite);
}

// §8.1.1.5: the number MUST be expressible as a 32-bit unsigned integer.
TEST(CSeq, NumberBounds) {
  CSeq c;
  ASSERT_EQ(parse_cseq("0 ACK", c), "");
  EXPECT_EQ(c.number, 0u);
  EXPECT_EQ(c.method, Method::kAck);
  ASSERT_EQ(parse_cseq("4294967295 BYE", c), "");
  EXPECT_EQ(c.number, 4294967295u);
  // RFC 4475 §3.1.2.4 (scalar02) and §3.1.2.5 (scalarlg).
  EXPECT_EQ(parse_cseq("4294967296 INVITE", c), kMalformed);
  EXPECT_EQ(parse_cseq("36893488147419103232 INVITE", c), kMalformed);
  EXPECT_EQ(parse_cseq("99999999999999999999999999999999999999999 INVITE", c), kMalformed);
}

// 1*DIGIT: leading zeros are digits too (RFC 4475 §3.1.1.1 wsinv "cseq: 0009\r\n  INVITE").
TEST(CSeq, LeadingZerosAndFoldedLws) {
  CSeq c;
  ASSERT_EQ(parse_cseq("0009\r\n  INVITE", c), "");
  EXPECT_EQ(c.number, 9u);
  EXPECT_EQ(c.method, Method::kInvite);
  ASSERT_EQ(parse_cseq("000000000000000000004294967295 OPTIONS", c), "");
  EXPECT_EQ(c.number, 4294967295u);
  ASSERT_EQ(parse_cseq("  1 \t REGISTER  ", c), "");
  EXPECT_EQ(c.number, 1u);
  EXPECT_EQ(c.method, Method::kRegister);
}

// Method = INVITEm / ... / extension-method (token); case-sensitive (§7.1).
TEST(CSeq, KeepsExtensionAndLowerCaseMethodsAsUnknown) {
  CSeq c;
  ASSERT_EQ(parse_cseq("8 NEWMETHOD", c), "");
  EXPECT_EQ(c.method, Method::kUnknown);
  EXPECT_EQ(c.method_name, "NEWMETHOD");
  ASSERT_EQ(parse_cseq("8 invite", c), "");
  EXPECT_EQ(c.method, Method::kUnknown);
  EXPECT_EQ(c.method_name, "invite");
  // RFC 4475 §3.1.1.2 (intmeth): a method from the whole token character set.
  ASSERT_EQ(parse_cseq("3882340 !interesting-Method0123456789_*+`.%indeed'~", c), "");
  EXPECT_EQ(c.method_name, "!interesting-Method0123456789_*+`.%indeed'~");
}

TEST(CSeq, RejectsMissingParts) {
  for (std::string_view bad : {"", "   ", "1", "1 ", "INVITE", " INVITE", "1INVITE", "1\r\n "}) {
    EXPECT_FALSE(parses(bad)) << '"' << bad << '"';
  }
}

TEST(CSeq, RejectsExtraTokensAndBadCharacters) {
  for (std::string_view bad : {"1 INVITE INVITE", "1 INVITE x", "1 2 INVITE", "-1 INVITE", "+1 INVITE",
                               "1.5 INVITE", "0x10 INVITE", "1 INVITE;x", "1 INV@ITE", "1, INVITE",
                               "1 \"INVITE\"", "1 INVITE,2 ACK", "\xD9\xA1 INVITE"}) {
    EXPECT_FALSE(parses(bad)) << '"' << bad << '"';
  }
}

TEST(CSeq, FailureLeavesADefaultResult) {
  CSeq c;
  ASSERT_EQ(parse_cseq("5 BYE", c), "");
  EXPECT_EQ(parse_cseq("4294967296 BYE", c), kMalformed);
  EXPECT_EQ(c.number, 0u);
  EXPECT_EQ(c.method, Method::kUnknown);
}

}  // namespace
}  // namespace trapezoid::sip
