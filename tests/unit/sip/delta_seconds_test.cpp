#include "sip/delta_seconds.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace trapezoid::sip {
namespace {

// --- delta-seconds = 1*DIGIT (RFC 3261 §25.1) ---------------------------------------------------

TEST(DeltaSeconds, ParsesDigits) {
  std::uint32_t s = 7;
  ASSERT_TRUE(parse_delta_seconds("0", s));
  EXPECT_EQ(s, 0u);
  ASSERT_TRUE(parse_delta_seconds("3600", s));
  EXPECT_EQ(s, 3600u);
  ASSERT_TRUE(parse_delta_seconds("000120", s));
  EXPECT_EQ(s, 120u);
  ASSERT_TRUE(parse_delta_seconds("4294967295", s));
  EXPECT_EQ(s, 4294967295u);
}

// §20.19: "If [the value] is ... greater than 2**32-1, [it] ... is taken as 2**32-1"
// (RFC 4475 §3.1.2.4 scalar02 "Expires: 10000000000000000000").
TEST(DeltaSeconds, ClampsHugeValuesTo32Bits) {
  std::uint32_t s = 0;
  ASSERT_TRUE(parse_delta_seconds("4294967296", s));
  EXPECT_EQ(s, 4294967295u);
  ASSERT_TRUE(parse_delta_seconds("10000000000000000000", s));
  EXPECT_EQ(s, 4294967295u);
  ASSERT_TRUE(parse_delta_seconds(std::string(200, '9'), s));
  EXPECT_EQ(s, 4294967295u);
  // Leading zeros before a big value do not change it.
  ASSERT_TRUE(parse_delta_seconds("00000000004294967295", s));
  EXPECT_EQ(s, 4294967295u);
}

TEST(DeltaSeconds, TrimsSurroundingLws) {
  std::uint32_t s = 0;
  ASSERT_TRUE(parse_delta_seconds("  60\t", s));
  EXPECT_EQ(s, 60u);
  ASSERT_TRUE(parse_delta_seconds("\r\n 60", s));
  EXPECT_EQ(s, 60u);
}

TEST(DeltaSeconds, RejectsNonDigits) {
  std::uint32_t s = 42;
  for (std::string_view bad : {"", " ", "-1", "+1", "1.0", "1 2", "60s", "0x10", "1e3", "\"60\"",
                               "\xD9\xA1", "9999999999999999999999a"}) {
    EXPECT_FALSE(parse_delta_seconds(bad, s)) << '"' << bad << '"';
  }
  EXPECT_EQ(s, 42u);  // untouched on failure
}

// --- Max-Forwards = 1*DIGIT, 0..255 (§20.22, §8.1.1.6) ------------------------------------------

TEST(MaxForwards, AcceptsZeroTo255) {
  for (int v = 0; v <= 255; ++v) {
    int out = -1;
    ASSERT_TRUE(parse_max_forwards(std::to_string(v), out)) << v;
    EXPECT_EQ(out, v);
  }
}

// RFC 4475 §3.1.1.1 (wsinv): "MaX-fOrWaRdS: 0068".
TEST(MaxForwards, AcceptsLeadingZeros) {
  int out = -1;
  ASSERT_TRUE(parse_max_forwards("0068", out));
  EXPECT_EQ(out, 68);
  ASSERT_TRUE(parse_max_forwards("0000000000000000000000255", out));
  EXPECT_EQ(out, 255);
  ASSERT_TRUE(parse_max_forwards("000", out));
  EXPECT_EQ(out, 0);
  ASSERT_TRUE(parse_max_forwards("  70  ", out));
  EXPECT_EQ(out, 70);
}

TEST(MaxForwards, RejectsOutOfRangeAndNonDigits) {
  int out = 9;
  for (std::string_view bad : {"256", "300", "1000", "4294967296", "99999999999999999999", "", " ",
                               "-1", "+1", "7O", "1 2", "70;x", "0x10"}) {
    EXPECT_FALSE(parse_max_forwards(bad, out)) << '"' << bad << '"';
  }
  EXPECT_EQ(out, 9);
}

// --- qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ) (§25.1) ---------------------------

TEST(QValue, ParsesThousandths) {
  struct Case {
    std::string_view text;
    int value;
  };
  for (const Case& c : {Case{"0", 0}, Case{"0.", 0}, Case{"0.0", 0}, Case{"0.00", 0}, Case{"0.000", 0},
                        Case{"0.1", 100}, Case{"0.12", 120}, Case{"0.123", 123}, Case{"0.5", 500},
                        Case{"0.999", 999}, Case{"0.001", 1}, Case{"1", 1000}, Case{"1.", 1000},
                        Case{"1.0", 1000}, Case{"1.00", 1000}, Case{"1.000", 1000}}) {
    int q = -1;
    ASSERT_TRUE(parse_qvalue(c.text, q)) << c.text;
    EXPECT_EQ(q, c.value) << c.text;
  }
}

TEST(QValue, RejectsOutOfGrammarValues) {
  for (std::string_view bad : {"", "1.001", "1.1", "1.0001", "1.0000", "0.1234", "0.0000", "2", "2.0",
                               ".5", "-0", "01", "00", "10", "0,5", "0.5 ", " 0.5", "0.a", "0..5",
                               "1.a", "0.5e1"}) {
    int q = 77;
    EXPECT_FALSE(parse_qvalue(bad, q)) << '"' << bad << '"';
    EXPECT_EQ(q, 77) << bad;
  }
}

}  // namespace
}  // namespace trapezoid::sip
