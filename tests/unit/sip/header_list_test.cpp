#include "sip/header_list.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <string_view>
#include <vector>

#include "sip/parser.hpp"

namespace trapezoid::sip {
namespace {

// Splits `value`; returns the elements, and whether the list was well formed via `ok`.
std::vector<std::string> split(std::string_view value, bool* ok = nullptr) {
  std::vector<std::string> out;
  const bool result = for_each_list_element(value, [&](std::string_view e) {
    out.emplace_back(e);
    return true;
  });
  if (ok != nullptr) *ok = result;
  return out;
}

using Strings = std::vector<std::string>;

// A request with the given extra header lines (each ending in CRLF).
std::string request_with(std::string_view extra) {
  return "OPTIONS sip:bob@biloxi.com SIP/2.0\r\n"
         "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds\r\n"
         "To: <sip:bob@biloxi.com>\r\n"
         "From: <sip:alice@atlanta.com>;tag=1928301774\r\n"
         "Call-ID: a84b4c76e66710\r\n"
         "CSeq: 1 OPTIONS\r\n" +
         std::string(extra) + "Content-Length: 0\r\n\r\n";
}

// Keeps the bytes a Message points into alive for as long as the Message.
struct Parsed {
  explicit Parsed(std::string bytes) : text(std::move(bytes)) { ok = parse_datagram(text, msg).ok(); }
  std::string text;
  Message msg;
  bool ok = false;
};

// --- for_each_list_element (RFC 3261 §7.3.1) -------------------------------------------------

TEST(HeaderList, SplitsOnCommasAndTrimsLws) {
  bool ok = false;
  EXPECT_EQ(split("a, b ,c", &ok), (Strings{"a", "b", "c"}));
  EXPECT_TRUE(ok);
  EXPECT_EQ(split("  single  ", &ok), (Strings{"single"}));
  EXPECT_TRUE(ok);
  EXPECT_EQ(split("a ,\r\n b", &ok), (Strings{"a", "b"}));
  EXPECT_TRUE(ok);
}

TEST(HeaderList, CommasInsideQuotesDoNotSplit) {
  bool ok = false;
  EXPECT_EQ(split(R"("Bell, Alexander" <sip:a@b.c>, <sip:d@e.f>)", &ok),
            (Strings{R"("Bell, Alexander" <sip:a@b.c>)", "<sip:d@e.f>"}));
  EXPECT_TRUE(ok);
  // An escaped quote does not close the string.
  EXPECT_EQ(split(R"("a\",b" <sip:a@b.c>, x)", &ok), (Strings{R"("a\",b" <sip:a@b.c>)", "x"}));
  EXPECT_TRUE(ok);
  // An escaped backslash does not escape the closing quote.
  EXPECT_EQ(split(R"("a\\", b)", &ok), (Strings{R"("a\\")", "b"}));
  EXPECT_TRUE(ok);
}

TEST(HeaderList, CommasInsideAngleBracketsDoNotSplit) {
  bool ok = false;
  EXPECT_EQ(split("<sip:a,b@c.d;x=1,2>;q=1, <sip:e@f.g>", &ok),
            (Strings{"<sip:a,b@c.d;x=1,2>;q=1", "<sip:e@f.g>"}));
  EXPECT_TRUE(ok);
  EXPECT_EQ(split("<sip:user@example.com?Route=%3Csip:x%3E,y>", &ok),
            (Strings{"<sip:user@example.com?Route=%3Csip:x%3E,y>"}));
  EXPECT_TRUE(ok);
}

// An empty element is not a list element (RFC 4475 §3.1.2.1 badinv01 ",,").
TEST(HeaderList, EmptyElementsAreErrors) {
  for (std::string_view bad : {"", "  ", ",", "a,", "a, ", ",a", "a,,b", "a, ,b", "a,\r\n ,b"}) {
    bool ok = true;
    (void)split(bad, &ok);
    EXPECT_FALSE(ok) << '"' << bad << '"';
  }
}

TEST(HeaderList, ElementsBeforeAnEmptyOneAreStillVisited) {
  bool ok = true;
  EXPECT_EQ(split("a,,b", &ok), (Strings{"a"}));
  EXPECT_FALSE(ok);
}

TEST(HeaderList, UnclosedQuoteOrBracketIsAnError) {
  for (std::string_view bad : {R"("open, b)", "<sip:a@b.c, d", R"(a, "b)", R"("a\")", "<"}) {
    bool ok = true;
    (void)split(bad, &ok);
    EXPECT_FALSE(ok) << bad;
  }
}

// A backslash as the very last byte inside an open quoted string escapes nothing; the quote
// is still open and the list malformed (quoted-pair needs a character after the '\').
TEST(HeaderList, TrailingBackslashInsideAnOpenQuoteIsAnError) {
  for (std::string_view bad : {R"("abc\)", R"(a, "b\)", R"("\)"}) {
    bool ok = true;
    std::vector<std::string> seen = split(bad, &ok);
    EXPECT_FALSE(ok) << bad;
  }
}

TEST(HeaderList, CallbackCanStopEarly) {
  std::vector<std::string> seen;
  const bool ok = for_each_list_element("a, b, c", [&](std::string_view e) {
    seen.emplace_back(e);
    return e != "b";
  });
  EXPECT_TRUE(ok);
  EXPECT_EQ(seen, (Strings{"a", "b"}));
  // Stopping early means the rest is not examined, even if malformed.
  seen.clear();
  EXPECT_TRUE(for_each_list_element("a, ,", [&](std::string_view e) {
    seen.emplace_back(e);
    return false;
  }));
  EXPECT_EQ(seen, (Strings{"a"}));
}

TEST(HeaderList, QuotesInsideBracketsAndBracketsInsideQuotes) {
  bool ok = false;
  EXPECT_EQ(split(R"("<x,y" <sip:a@b.c>, z)", &ok), (Strings{R"("<x,y" <sip:a@b.c>)", "z"}));
  EXPECT_TRUE(ok);
}

// --- for_each_element over a Message: several header lines form one list (§7.3.1) -----------

TEST(HeaderList, FieldsAcrossLinesFormOneList) {
  const std::string text = request_with(
      "Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>\r\n"
      "Subject: between\r\n"
      "Route: <sip:p3.example.com;lr>\r\n");
  Message m;
  ASSERT_TRUE(parse_datagram(text, m).ok());
  std::vector<std::string> seen;
  EXPECT_TRUE(for_each_element(m, HeaderId::kRoute, [&](std::string_view e) {
    seen.emplace_back(e);
    return true;
  }));
  EXPECT_EQ(seen, (Strings{"<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>", "<sip:p3.example.com;lr>"}));
}

// RFC 4475 §3.1.1.1 (wsinv): a list folded over continuation lines.
TEST(HeaderList, FoldedListsAcrossContinuationLines) {
  const std::string text = request_with(
      "v:  SIP  / 2.0  / TCP     spindle.example.com   ;\r\n"
      "  branch  =   z9hG4bK9ikj8  ,\r\n"
      " SIP  /    2.0   / UDP  192.168.255.111   ; branch=\r\n"
      " z9hG4bK30239\r\n");
  Message m;
  ASSERT_TRUE(parse_datagram(text, m).ok());
  std::vector<std::string> seen;
  EXPECT_TRUE(for_each_element(m, HeaderId::kVia, [&](std::string_view e) {
    seen.emplace_back(e);
    return true;
  }));
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0], "SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds");
  EXPECT_EQ(seen[1], "SIP  / 2.0  / TCP     spindle.example.com   ;\r\n  branch  =   z9hG4bK9ikj8");
  EXPECT_EQ(seen[2], "SIP  /    2.0   / UDP  192.168.255.111   ; branch=\r\n z9hG4bK30239");
}

TEST(HeaderList, CompactAndFullNamesJoinTheSameList) {
  const std::string text = request_with("Contact: <sip:a@b.c>\r\nm: <sip:d@e.f>, <sip:g@h.i>\r\n");
  Message m;
  ASSERT_TRUE(parse_datagram(text, m).ok());
  int n = 0;
  EXPECT_TRUE(for_each_element(m, HeaderId::kContact, [&](std::string_view) {
    ++n;
    return true;
  }));
  EXPECT_EQ(n, 3);
}

TEST(HeaderList, AbsentHeaderIsAnEmptyWellFormedList) {
  Parsed p(request_with(""));
  ASSERT_TRUE(p.ok);
  const Message& m = p.msg;
  int n = 0;
  EXPECT_TRUE(for_each_element(m, HeaderId::kRequire, [&](std::string_view) {
    ++n;
    return true;
  }));
  EXPECT_EQ(n, 0);
  EXPECT_TRUE(all_elements(m, HeaderId::kRequire, [](std::string_view) { return false; }));
}

TEST(HeaderList, MalformedLineMakesTheWholeListMalformed) {
  Parsed p(request_with("Require: foo\r\nRequire: bar,,baz\r\n"));
  ASSERT_TRUE(p.ok);
  const Message& m = p.msg;
  EXPECT_FALSE(for_each_element(m, HeaderId::kRequire, [](std::string_view) { return true; }));
  EXPECT_FALSE(all_elements(m, HeaderId::kRequire, [](std::string_view) { return true; }));
}

// An empty header line is an empty list element (a list header needs at least one element
// where the grammar says 1#, e.g. Require).
TEST(HeaderList, EmptyHeaderLineIsMalformed) {
  Parsed p(request_with("Require:\r\n"));
  ASSERT_TRUE(p.ok);
  const Message& m = p.msg;
  EXPECT_FALSE(for_each_element(m, HeaderId::kRequire, [](std::string_view) { return true; }));
}

TEST(HeaderList, StopsAcrossLines) {
  Parsed p(request_with("Supported: a, b\r\nSupported: c\r\n"));
  ASSERT_TRUE(p.ok);
  const Message& m = p.msg;
  std::vector<std::string> seen;
  EXPECT_TRUE(for_each_element(m, HeaderId::kSupported, [&](std::string_view e) {
    seen.emplace_back(e);
    return e != "b";
  }));
  EXPECT_EQ(seen, (Strings{"a", "b"}));
}

TEST(HeaderList, AllElementsChecksEveryElement) {
  Parsed p(request_with("Supported: timer, 100rel\r\nk: path\r\n"));
  ASSERT_TRUE(p.ok);
  const Message& m = p.msg;
  EXPECT_TRUE(all_elements(m, HeaderId::kSupported, [](std::string_view e) { return !e.empty(); }));
  EXPECT_FALSE(all_elements(m, HeaderId::kSupported, [](std::string_view e) { return e != "path"; }));
}

// --- list_contains: option tags compare case-insensitively (§19.2, §7.3.1) ------------------

TEST(HeaderList, ListContainsFindsTokensInAnyLineAndCase) {
  Parsed p(request_with("Supported: timer, 100rel\r\nk: Path\r\n"
                                          "Allow: INVITE, ACK\r\nAllow: BYE\r\n"));
  ASSERT_TRUE(p.ok);
  const Message& m = p.msg;
  EXPECT_TRUE(list_contains(m, HeaderId::kSupported, "timer"));
  EXPECT_TRUE(list_contains(m, HeaderId::kSupported, "100REL"));
  EXPECT_TRUE(list_contains(m, HeaderId::kSupported, "path"));
  EXPECT_FALSE(list_contains(m, HeaderId::kSupported, "replaces"));
  EXPECT_FALSE(list_contains(m, HeaderId::kSupported, "time"));
  EXPECT_TRUE(list_contains(m, HeaderId::kAllow, "BYE"));
  EXPECT_FALSE(list_contains(m, HeaderId::kAllow, "CANCEL"));
  EXPECT_FALSE(list_contains(m, HeaderId::kRequire, "timer"));
}

TEST(HeaderList, ListContainsDoesNotMatchPartsOfElements) {
  Parsed p(request_with("Supported: \"timer, path\"\r\n"));
  ASSERT_TRUE(p.ok);
  const Message& m = p.msg;
  EXPECT_FALSE(list_contains(m, HeaderId::kSupported, "timer"));
  EXPECT_FALSE(list_contains(m, HeaderId::kSupported, "path"));
}

// Elements before a malformed part are still found (the caller validates the syntax).
TEST(HeaderList, ListContainsSeesElementsBeforeAnError) {
  Parsed p(request_with("Require: foo,,bar\r\n"));
  ASSERT_TRUE(p.ok);
  const Message& m = p.msg;
  EXPECT_TRUE(list_contains(m, HeaderId::kRequire, "foo"));
  EXPECT_FALSE(list_contains(m, HeaderId::kRequire, "bar"));
}

}  // namespace
}  // namespace trapezoid::sip
