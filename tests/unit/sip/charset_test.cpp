#include "sip/charset.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace trapezoid::sip::charset {
namespace {

constexpr std::string_view kAlnum =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

std::string cat(std::string_view a, std::string_view b) { return std::string(a) + std::string(b); }

// Checks `pred` against every byte: true exactly for the bytes in `members`.
template <class Pred>
void expect_class(Pred pred, std::string_view members, const char* what) {
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    const bool expected = members.find(c) != std::string_view::npos;
    EXPECT_EQ(pred(c), expected) << what << " byte " << b;
  }
}

// RFC 3261 §25.1: token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
TEST(Charset, TokenMatchesTheGrammarExactly) {
  expect_class([](char c) { return is_token(c); }, cat(kAlnum, "-.!%*_+`'~"), "token");
}

// RFC 3261 §25.1: word adds ( ) < > : \ DQUOTE / [ ] ? { } to the token characters.
TEST(Charset, WordMatchesTheGrammarExactly) {
  expect_class([](char c) { return is_word(c); }, cat(kAlnum, "-.!%*_+`'~()<>:\\\"/[]?{}"), "word");
}

// RFC 3261 §25.1: unreserved = alphanum / mark; mark = - _ . ! ~ * ' ( )
TEST(Charset, UnreservedIsAlphanumAndMark) {
  expect_class([](char c) { return is_unreserved(c); }, cat(kAlnum, "-_.!~*'()"), "unreserved");
}

// user = 1*( unreserved / escaped / user-unreserved ); user-unreserved = & = + $ , ; ? /
TEST(Charset, UserCharIsUnreservedAndUserUnreserved) {
  expect_class([](char c) { return is_user_char(c); }, cat(kAlnum, "-_.!~*'()&=+$,;?/"), "user");
}

// password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," )
TEST(Charset, PasswordCharMatchesTheGrammar) {
  expect_class([](char c) { return is_password_char(c); }, cat(kAlnum, "-_.!~*'()&=+$,"), "password");
}

// paramchar = param-unreserved / unreserved / escaped; param-unreserved = [ ] / : & + $
TEST(Charset, ParamCharMatchesTheGrammar) {
  expect_class([](char c) { return is_param_char(c); }, cat(kAlnum, "-_.!~*'()[]/:&+$"), "paramchar");
}

// hnv-unreserved = [ ] / ? : + $
TEST(Charset, HeaderNameValueCharMatchesTheGrammar) {
  expect_class([](char c) { return is_hnv_char(c); }, cat(kAlnum, "-_.!~*'()[]/?:+$"), "hnv");
}

// uric = reserved / unreserved / escaped; reserved = ; / ? : @ & = + $ , ('%' is the caller's)
TEST(Charset, UricIsReservedAndUnreserved) {
  expect_class([](char c) { return is_uric(c); }, cat(kAlnum, "-_.!~*'();/?:@&=+$,"), "uric");
}

TEST(Charset, DigitHexAlnumAndWhitespaceClasses) {
  expect_class([](char c) { return is_digit(c); }, "0123456789", "digit");
  expect_class([](char c) { return is_hex(c); }, "0123456789abcdefABCDEF", "hex");
  expect_class([](char c) { return is_alnum(c); }, kAlnum, "alnum");
  // WSP = SP / HTAB (RFC 2234); CR and LF are not whitespace on their own.
  expect_class([](char c) { return is_ws(c); }, " \t", "ws");
}

TEST(Charset, AllTokenRequiresANonEmptyRunOfTokenCharacters) {
  EXPECT_TRUE(all_token("INVITE"));
  EXPECT_TRUE(all_token("z9hG4bK-.!%*_+`'~"));
  EXPECT_FALSE(all_token(""));
  EXPECT_FALSE(all_token("a b"));
  EXPECT_FALSE(all_token("a;b"));
  EXPECT_FALSE(all_token("\"a\""));
  EXPECT_FALSE(all_token("caf\xC3\xA9"));
}

TEST(Charset, LowerFoldsOnlyAsciiUpperCase) {
  EXPECT_EQ(lower('A'), 'a');
  EXPECT_EQ(lower('Z'), 'z');
  EXPECT_EQ(lower('a'), 'a');
  EXPECT_EQ(lower('@'), '@');  // just before 'A'
  EXPECT_EQ(lower('['), '[');  // just after 'Z'
  EXPECT_EQ(lower('5'), '5');
  EXPECT_EQ(lower('\xC9'), '\xC9');
}

TEST(Charset, IequalsComparesAsciiCaseInsensitively) {
  EXPECT_TRUE(iequals("Call-ID", "call-id"));
  EXPECT_TRUE(iequals("", ""));
  EXPECT_FALSE(iequals("Via", "Vi"));
  EXPECT_FALSE(iequals("Via", "Vias"));
  // Punctuation that differs from another character by 0x20 must not compare equal.
  EXPECT_FALSE(iequals("[", "{"));
  EXPECT_FALSE(iequals("@", "`"));
  EXPECT_FALSE(iequals("^", "~"));
  EXPECT_FALSE(iequals("\xC9", "\xE9"));
}

TEST(Charset, HexValue) {
  EXPECT_EQ(hex_value('0'), 0);
  EXPECT_EQ(hex_value('9'), 9);
  EXPECT_EQ(hex_value('a'), 10);
  EXPECT_EQ(hex_value('F'), 15);
  EXPECT_EQ(hex_value('g'), -1);
  EXPECT_EQ(hex_value('G'), -1);
  EXPECT_EQ(hex_value('/'), -1);
  EXPECT_EQ(hex_value(':'), -1);
  EXPECT_EQ(hex_value('\0'), -1);
}

TEST(Charset, ClassesAreUsableAtCompileTime) {
  static_assert(is_token('a') && !is_token(' '));
  static_assert(iequals("SIP/2.0", "sip/2.0"));
  static_assert(hex_value('c') == 12);
  static_assert(all_token("z9hG4bK"));
  SUCCEED();
}

// same_text compares by words: a difference at any position of any length must show.
TEST(Charset, SameTextFindsADifferenceAnywhere) {
  for (std::size_t n = 0; n <= 70; ++n) {
    std::string a(n, 'x');
    for (std::size_t i = 0; i < n; ++i) a[i] = static_cast<char>('a' + i % 26);
    EXPECT_TRUE(same_text(a, a));
    EXPECT_TRUE(same_text(a, std::string(a)));
    EXPECT_FALSE(same_text(a, a + "y"));
    for (std::size_t i = 0; i < n; ++i) {
      std::string b = a;
      b[i] = 'X';
      EXPECT_FALSE(same_text(a, b)) << n << " " << i;
    }
  }
}

}  // namespace
}  // namespace trapezoid::sip::charset
