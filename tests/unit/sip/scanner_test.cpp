#include "sip/scanner.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace trapezoid::sip {
namespace {

TEST(Scanner, StartsAtTheBeginning) {
  Scanner s("abc");
  EXPECT_EQ(s.pos(), 0u);
  EXPECT_FALSE(s.done());
  EXPECT_EQ(s.peek(), 'a');
  EXPECT_EQ(s.rest(), "abc");
  EXPECT_EQ(s.text(), "abc");
}

TEST(Scanner, EmptyTextIsDoneAndPeeksNul) {
  Scanner s("");
  EXPECT_TRUE(s.done());
  EXPECT_EQ(s.peek(), '\0');
  EXPECT_FALSE(s.accept('\0'));
  EXPECT_FALSE(s.skip_lws());
  EXPECT_EQ(s.token(), "");
  EXPECT_EQ(s.quoted_string(), "");
  EXPECT_EQ(s.gen_value(), "");
}

// A NUL byte inside the text is data, not the end: accept('\0') only consumes a real one.
TEST(Scanner, AcceptMatchesARealNulByteButNotTheEnd) {
  Scanner s(std::string_view("\0x", 2));
  EXPECT_TRUE(s.accept('\0'));
  EXPECT_TRUE(s.accept('x'));
  EXPECT_TRUE(s.done());
  EXPECT_FALSE(s.accept('\0'));
  EXPECT_EQ(s.pos(), 2u);
}

// RFC 3261 §25.1: LWS = [*WSP CRLF] 1*WSP. Header values reach the scanner with folds inside.
TEST(Scanner, SkipLwsSkipsSpacesTabsAndFolds) {
  Scanner s(" \t\r\n \tx");
  EXPECT_TRUE(s.skip_lws());
  EXPECT_EQ(s.peek(), 'x');
  EXPECT_FALSE(s.skip_lws());
  EXPECT_EQ(s.pos(), 6u);
}

TEST(Scanner, AcceptConsumesOnlyTheExpectedCharacter) {
  Scanner s("ab");
  EXPECT_FALSE(s.accept('b'));
  EXPECT_EQ(s.pos(), 0u);
  EXPECT_TRUE(s.accept('a'));
  EXPECT_EQ(s.pos(), 1u);
  // No whitespace is skipped.
  Scanner t(" a");
  EXPECT_FALSE(t.accept('a'));
}

// SEMI = SWS ";" SWS etc. (§25.1).
TEST(Scanner, AcceptSeparatorSkipsWhitespaceOnBothSides) {
  Scanner s("a \t; \r\n b");
  EXPECT_EQ(s.token(), "a");
  EXPECT_TRUE(s.accept_separator(';'));
  EXPECT_EQ(s.peek(), 'b');
  EXPECT_EQ(s.token(), "b");
  EXPECT_TRUE(s.done());
}

TEST(Scanner, AcceptSeparatorLeavesTheCursorAloneOnMismatch) {
  Scanner s("a  , b");
  EXPECT_EQ(s.token(), "a");
  const std::size_t before = s.pos();
  EXPECT_FALSE(s.accept_separator(';'));
  EXPECT_EQ(s.pos(), before);
  EXPECT_TRUE(s.accept_separator(','));
  EXPECT_EQ(s.rest(), "b");
}

TEST(Scanner, AcceptSeparatorWorksAtTheEnd) {
  Scanner s("a=");
  EXPECT_EQ(s.token(), "a");
  EXPECT_TRUE(s.accept_separator('='));
  EXPECT_TRUE(s.done());
  EXPECT_FALSE(s.accept_separator('='));
}

TEST(Scanner, TokenStopsAtTheFirstNonTokenCharacter) {
  Scanner s("z9hG4bK-.!%*_+`'~;rest");
  EXPECT_EQ(s.token(), "z9hG4bK-.!%*_+`'~");
  EXPECT_EQ(s.peek(), ';');
  EXPECT_EQ(s.token(), "");
  EXPECT_EQ(s.peek(), ';');
}

TEST(Scanner, TokenStopsAtNonAsciiBytes) {
  Scanner s("ab\xC3\xA9");
  EXPECT_EQ(s.token(), "ab");
  EXPECT_EQ(s.rest(), "\xC3\xA9");
}

// quoted-string = SWS DQUOTE *(qdtext / quoted-pair ) DQUOTE (§25.1); quotes are kept.
TEST(Scanner, QuotedStringKeepsItsQuotes) {
  Scanner s(R"("J Rosenberg" rest)");
  EXPECT_EQ(s.quoted_string(), R"("J Rosenberg")");
  EXPECT_EQ(s.rest(), " rest");
}

TEST(Scanner, QuotedStringHandlesQuotedPairs) {
  // RFC 4475 §3.1.1.1 (wsinv): "J Rosenberg \\\"" is J Rosenberg \" once unquoted.
  Scanner s(R"("J Rosenberg \\\""       <sip:jdrosen@example.com>)");
  EXPECT_EQ(s.quoted_string(), R"("J Rosenberg \\\"")");
  EXPECT_EQ(s.peek(), ' ');
  Scanner t(R"("Quoted string \"\"")");
  EXPECT_EQ(t.quoted_string(), R"("Quoted string \"\"")");
  EXPECT_TRUE(t.done());
}

TEST(Scanner, QuotedStringMayBeEmptyOfContent) {
  Scanner s(R"(""x)");
  EXPECT_EQ(s.quoted_string(), R"("")");
  EXPECT_EQ(s.peek(), 'x');
}

TEST(Scanner, QuotedStringMayHoldFoldsAndUtf8) {
  Scanner s("\"a\r\n b \xE2\x9C\x93\"");
  EXPECT_EQ(s.quoted_string(), "\"a\r\n b \xE2\x9C\x93\"");
  EXPECT_TRUE(s.done());
}

// quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F): NUL, BEL and DEL may be escaped
// (RFC 4475 §3.1.1.2 intmeth).
TEST(Scanner, QuotedStringAcceptsEscapedControlCharacters) {
  const std::string text = std::string("\"BEL:\\\x07 NUL:\\") + '\0' + " DEL:\\\x7F\"";
  Scanner s(text);
  EXPECT_EQ(s.quoted_string(), text);
  EXPECT_TRUE(s.done());
}

TEST(Scanner, QuotedStringFailuresLeaveTheCursorAlone) {
  for (std::string_view bad : {
           R"("unterminated)",
           R"("ends in escape\)",
           R"("escaped quote only\")",
           "\"escaped CR\\\r\n x\"",
           "\"escaped LF\\\n x\"",
           "\"escaped non-ASCII\\\xC3\xA9\"",
       }) {
    Scanner s(bad);
    EXPECT_EQ(s.quoted_string(), "") << bad;
    EXPECT_EQ(s.pos(), 0u) << bad;
  }
}

TEST(Scanner, QuotedStringNeedsAnOpeningQuote) {
  Scanner s(R"( "a")");
  EXPECT_EQ(s.quoted_string(), "");
  EXPECT_EQ(s.pos(), 0u);
  Scanner t("a\"b\"");
  EXPECT_EQ(t.quoted_string(), "");
}

// RFC 3261 §25.1: qdtext = LWS / %x21 / %x23-5B / %x5D-7E / UTF8-NONASCII, so an unescaped
// control character cannot appear inside a quoted-string (it needs a quoted-pair).
TEST(Scanner, QuotedStringRejectsUnescapedControlCharacters) {
  for (std::string_view bad : {std::string_view("\"a\x01" "b\"", 5), std::string_view("\"a\0b\"", 5),
                               std::string_view("\"a\x7F" "b\"", 5),
                               std::string_view("\"a\rb\"", 5)}) {
    Scanner s(bad);
    EXPECT_EQ(s.quoted_string(), "");
  }
}

// gen-value = token / host / quoted-string (§25.1).
TEST(Scanner, GenValueReadsTokensHostsAndQuotedStrings) {
  Scanner a("z9hG4bK776;x");
  EXPECT_EQ(a.gen_value(), "z9hG4bK776");
  Scanner b("[2001:db8::9:1];x");
  EXPECT_EQ(b.gen_value(), "[2001:db8::9:1]");
  Scanner c("192.0.2.1:5060 x");
  EXPECT_EQ(c.gen_value(), "192.0.2.1:5060");
  Scanner d(R"("a;b,c" x)");
  EXPECT_EQ(d.gen_value(), R"("a;b,c")");
  Scanner e(R"("open)");
  EXPECT_EQ(e.gen_value(), "");
  EXPECT_EQ(e.pos(), 0u);
  Scanner f(";x");
  EXPECT_EQ(f.gen_value(), "");
}

TEST(Scanner, SpanWhileSliceAndSetPos) {
  Scanner s("123abc");
  EXPECT_EQ(s.span_while(charset::is_digit), "123");
  EXPECT_EQ(s.slice(1), "23");
  EXPECT_EQ(s.slice(3), "");
  s.set_pos(1);
  EXPECT_EQ(s.rest(), "23abc");
  s.set_pos(6);
  EXPECT_TRUE(s.done());
  EXPECT_EQ(s.span_while(charset::is_alnum), "");
}

TEST(Scanner, IsLwsCharCoversFoldBytes) {
  EXPECT_TRUE(Scanner::is_lws_char(' '));
  EXPECT_TRUE(Scanner::is_lws_char('\t'));
  EXPECT_TRUE(Scanner::is_lws_char('\r'));
  EXPECT_TRUE(Scanner::is_lws_char('\n'));
  EXPECT_FALSE(Scanner::is_lws_char('\v'));
  EXPECT_FALSE(Scanner::is_lws_char('\f'));
  EXPECT_FALSE(Scanner::is_lws_char('\0'));
}

TEST(Scanner, TrimLwsTrimsBothEnds) {
  EXPECT_EQ(trim_lws("  a b \t"), "a b");
  EXPECT_EQ(trim_lws("\r\n a\r\n "), "a");
  EXPECT_EQ(trim_lws(" \t\r\n"), "");
  EXPECT_EQ(trim_lws(""), "");
  EXPECT_EQ(trim_lws("x"), "x");
}

TEST(Scanner, WorksAtCompileTime) {
  constexpr auto token_after_lws = [] {
    Scanner s("  INVITE sip:x");
    s.skip_lws();
    return s.token();
  };
  static_assert(token_after_lws() == "INVITE");
  static_assert(trim_lws(" x ") == "x");
  SUCCEED();
}

// skip_word classifies 16 bytes at a time where it can: it must stop where a byte-by-byte walk
// stops, for every length and every position of the first non-word byte.
TEST(Scanner, SkipWordStopsWhereAByteWalkStops) {
  const std::string_view stops = std::string_view(" \t\r\n#$&,;=@^|\x7f\x80\xff\0", 18);
  for (std::size_t len = 0; len <= 40; ++len) {
    std::string text;
    for (std::size_t i = 0; i < len; ++i) text += "a9-.!%*_+`'~()<>:\\\"/[]?{}"[i % 26];
    for (std::size_t at = 0; at <= len; ++at) {
      for (char stop : stops) {
        std::string t = text;
        if (at < len) t[at] = stop;
        const char* end = t.data() + t.size();
        const char* expected = t.data();
        while (expected != end && charset::is_word(*expected)) ++expected;
        ASSERT_EQ(cursor::skip_word(t.data(), end), expected) << "len " << len << " at " << at;
        // From a later start too: the last block then overlaps bytes before it.
        if (len > 3 && at > 3) {
          ASSERT_EQ(cursor::skip_word(t.data() + 3, end), expected);
        }
      }
    }
  }
}

}  // namespace
}  // namespace trapezoid::sip
