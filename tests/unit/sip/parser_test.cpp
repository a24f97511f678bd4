#include "sip/parser.hpp"

#include <gtest/gtest.h>

#include <string>

namespace trapezoid::sip {
namespace {

// RFC 3261 §4, F1.
const std::string kInvite =
    "INVITE sip:bob@biloxi.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds\r\n"
    "Max-Forwards: 70\r\n"
    "To: Bob <sip:bob@biloxi.com>\r\n"
    "From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710@pc33.atlanta.com\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Contact: <sip:alice@pc33.atlanta.com>\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length: 4\r\n"
    "\r\n"
    "v=0\n";

TEST(Parser, ParsesRequestLineHeadersAndBody) {
  Message m;
  ParseResult r = parse_datagram(kInvite, m);
  ASSERT_TRUE(r.ok()) << r.error.reason;
  EXPECT_EQ(r.consumed, kInvite.size());
  EXPECT_TRUE(m.is_request());
  EXPECT_EQ(m.method(), Method::kInvite);
  EXPECT_EQ(m.method_name(), "INVITE");
  EXPECT_EQ(m.request_uri(), "sip:bob@biloxi.com");
  EXPECT_EQ(m.version(), "SIP/2.0");
  EXPECT_EQ(m.headers().size(), 9u);
  ASSERT_NE(m.find(HeaderId::kCallId), nullptr);
  EXPECT_EQ(m.find(HeaderId::kCallId)->value, "a84b4c76e66710@pc33.atlanta.com");
  EXPECT_EQ(m.find("call-id")->value, "a84b4c76e66710@pc33.atlanta.com");
  EXPECT_EQ(m.find("i")->value, "a84b4c76e66710@pc33.atlanta.com");
  EXPECT_EQ(m.content_length(), 4);
  EXPECT_EQ(m.body(), "v=0\n");
  EXPECT_EQ(m.raw(), kInvite);
}

TEST(Parser, ParsesStatusLineWithEmptyAndUtf8Reason) {
  Message m;
  ASSERT_TRUE(parse_datagram("SIP/2.0 100 \r\nVia: x\r\n\r\n", m).ok());
  EXPECT_TRUE(m.is_response());
  EXPECT_EQ(m.status_code(), 100);
  EXPECT_EQ(m.reason_phrase(), "");
  ASSERT_TRUE(parse_datagram("SIP/2.0 200 \xE2\x9C\x93 fine\r\n\r\n", m).ok());
  EXPECT_EQ(m.reason_phrase(), "\xE2\x9C\x93 fine");
}

TEST(Parser, RejectsBadStatusCodes) {
  Message m;
  EXPECT_FALSE(parse_datagram("SIP/2.0 4294967301 big\r\n\r\n", m).ok());
  EXPECT_FALSE(parse_datagram("SIP/2.0 099 low\r\n\r\n", m).ok());
  EXPECT_FALSE(parse_datagram("SIP/2.0 7000 x\r\n\r\n", m).ok());
  EXPECT_FALSE(parse_datagram("SIP/2.0 2a0 x\r\n\r\n", m).ok());
}

TEST(Parser, FoldedHeaderValueSpansContinuationLines) {
  Message m;
  std::string text = "OPTIONS sip:a@b SIP/2.0\r\nSubject: one\r\n  two\r\n\tthree\r\nTO :\r\n sip:x@y\r\n\r\n";
  ASSERT_TRUE(parse_datagram(text, m).ok());
  EXPECT_EQ(m.find(HeaderId::kSubject)->value, "one\r\n  two\r\n\tthree");
  EXPECT_EQ(m.find(HeaderId::kTo)->value, "sip:x@y");
  EXPECT_EQ(m.find(HeaderId::kTo)->name, "TO");
}

TEST(Parser, AcceptsBareLineFeeds) {
  Message m;
  ASSERT_TRUE(parse_datagram("OPTIONS sip:a@b SIP/2.0\nVia: v\nl: 0\n\n", m).ok());
  EXPECT_EQ(m.count(HeaderId::kVia), 1u);
  EXPECT_EQ(m.content_length(), 0);
}

TEST(Parser, StartLineRules) {
  Message m;
  // RFC 4475 §3.1.2.9/§3.1.2.10: extra and trailing spaces are tolerated.
  ASSERT_TRUE(parse_datagram("INVITE  sip:a@b  SIP/2.0 \r\n\r\n", m).ok());
  EXPECT_EQ(m.request_uri(), "sip:a@b");
  EXPECT_EQ(m.version(), "SIP/2.0");
  EXPECT_EQ(parse_datagram(" INVITE sip:a@b SIP/2.0\r\n\r\n", m).error.reason, "Malformed Request Line");
  EXPECT_EQ(parse_datagram("INVITE sip:a@b\r\n\r\n", m).error.reason, "Malformed Request Line");
  EXPECT_EQ(parse_datagram("INVITE sip:a@b; lr SIP/2.0\r\n\r\n", m).error.reason, "Malformed SIP Version");
  EXPECT_EQ(parse_datagram("INV(ITE sip:a@b SIP/2.0\r\n\r\n", m).error.reason, "Malformed Request Line");
  ASSERT_TRUE(parse_datagram("INVITE sip:a@b SIP/7.0\r\n\r\n", m).ok());
  EXPECT_EQ(m.version_major(), 7);
  ASSERT_TRUE(parse_datagram("NEWMETHOD sip:a@b sip/2.0\r\n\r\n", m).ok());
  EXPECT_EQ(m.method(), Method::kUnknown);
  EXPECT_EQ(m.method_name(), "NEWMETHOD");
}

TEST(Parser, HeaderLineErrors) {
  Message m;
  EXPECT_EQ(parse_datagram("OPTIONS sip:a@b SIP/2.0\r\n continued\r\n\r\n", m).error.reason,
            "Malformed Header Line");
  EXPECT_EQ(parse_datagram("OPTIONS sip:a@b SIP/2.0\r\nNo colon here\r\n\r\n", m).error.reason,
            "Malformed Header Line");
  EXPECT_EQ(parse_datagram("OPTIONS sip:a@b SIP/2.0\r\n: empty name\r\n\r\n", m).error.reason,
            "Malformed Header Name");
}

TEST(Parser, DatagramContentLengthRules) {
  Message m;
  // §18.3: larger than the datagram is an error.
  ParseResult r = parse_datagram("OPTIONS sip:a@b SIP/2.0\r\nContent-Length: 10\r\n\r\nabc", m);
  EXPECT_EQ(r.error.status, 400);
  // Bytes after the body are ignored.
  ASSERT_TRUE(parse_datagram("OPTIONS sip:a@b SIP/2.0\r\nl: 3\r\n\r\nabcdef", m).ok());
  EXPECT_EQ(m.body(), "abc");
  // Absent: the rest of the datagram.
  ASSERT_TRUE(parse_datagram("OPTIONS sip:a@b SIP/2.0\r\n\r\nabcdef", m).ok());
  EXPECT_EQ(m.body(), "abcdef");
  EXPECT_EQ(parse_datagram("OPTIONS sip:a@b SIP/2.0\r\nl: -1\r\n\r\n", m).error.reason, "Malformed Content-Length");
  EXPECT_EQ(parse_datagram("OPTIONS sip:a@b SIP/2.0\r\nl: 1\r\nl: 1\r\n\r\nx", m).error.reason,
            "Multiple Content-Length Headers");
}

TEST(Parser, HeaderSectionMayEndWithDatagram) {
  Message m;
  ASSERT_TRUE(parse_datagram("OPTIONS sip:a@b SIP/2.0\r\nVia: x\r\nl: 0", m).ok());
  EXPECT_EQ(m.headers().size(), 2u);
  EXPECT_TRUE(m.body().empty());
}

TEST(Parser, GarbageAndEmpty) {
  Message m;
  EXPECT_EQ(parse_datagram("", m).error.status, 400);
  EXPECT_EQ(parse_datagram("\r\n\r\n", m).error.status, 400);
  std::string noise = "\x01\x02\xff\xfe garbage";
  EXPECT_FALSE(parse_datagram(noise, m).ok());
}

TEST(Parser, HugeHeaderIsTooLarge) {
  Message m;
  std::string text = "OPTIONS sip:a@b SIP/2.0\r\nX-Big: " + std::string(1 << 20, 'a') + "\r\n\r\n";
  ParseResult r = parse_datagram(text, m);
  EXPECT_EQ(r.error.status, 513);
}

TEST(Parser, ManyHeadersSpillPastInlineCapacity) {
  std::string text = "OPTIONS sip:a@b SIP/2.0\r\n";
  for (int i = 0; i < 100; ++i) text += "X-H" + std::to_string(i) + ": v" + std::to_string(i) + "\r\n";
  text += "Via: last\r\n\r\n";
  Message m;
  ASSERT_TRUE(parse_datagram(text, m).ok());
  EXPECT_EQ(m.headers().size(), 101u);
  EXPECT_EQ(m.headers()[99].value, "v99");
  EXPECT_EQ(m.find(HeaderId::kVia)->value, "last");
  EXPECT_EQ(m.find("x-h42")->value, "v42");
}

TEST(Parser, OwnCopiesBytesAndKeepsViews) {
  Message m;
  {
    std::string text = kInvite;
    ASSERT_TRUE(parse_datagram(text, m).ok());
    m.own();
    text.assign(text.size(), 'X');
  }
  EXPECT_TRUE(m.owns_bytes());
  EXPECT_EQ(m.find(HeaderId::kCallId)->value, "a84b4c76e66710@pc33.atlanta.com");
  Message moved = std::move(m);
  EXPECT_EQ(moved.request_uri(), "sip:bob@biloxi.com");
  EXPECT_EQ(moved.body(), "v=0\n");
}

TEST(StreamParser, SplitAndPipelinedMessages) {
  const std::string one = "OPTIONS sip:a@b SIP/2.0\r\nl: 3\r\n\r\nabc";
  const std::string two = "\r\n\r\nSIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n";
  const std::string stream = one + two;
  Message m;
  for (std::size_t cut = 0; cut < one.size(); ++cut) {
    ParseResult r = parse_stream(std::string_view(stream).substr(0, cut), m);
    EXPECT_TRUE(r.incomplete()) << cut;
  }
  ParseResult r = parse_stream(stream, m);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.consumed, one.size());
  EXPECT_EQ(m.body(), "abc");
  r = parse_stream(std::string_view(stream).substr(r.consumed), m);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(m.status_code(), 200);
  EXPECT_EQ(r.consumed, two.size());
}

TEST(StreamParser, KeepAlivesAreConsumed) {
  Message m;
  ParseResult r = parse_stream("\r\n\r\n", m);
  EXPECT_TRUE(r.incomplete());
  EXPECT_EQ(r.consumed, 4u);
}

TEST(StreamParser, ContentLengthIsMandatory) {
  Message m;
  EXPECT_EQ(parse_stream("OPTIONS sip:a@b SIP/2.0\r\nVia: x\r\n\r\n", m).error.reason, "Missing Content-Length");
}

TEST(StreamParser, EndlessHeaderIsRefused) {
  Message m;
  std::string text = "OPTIONS sip:a@b SIP/2.0\r\nX: " + std::string(70000, 'a');
  EXPECT_EQ(parse_stream(text, m).error.status, 513);
  std::string many = "OPTIONS sip:a@b SIP/2.0\r\n";
  while (many.size() < 70000) many += "X: y\r\n";
  EXPECT_EQ(parse_stream(many, m).error.status, 513);
}

TEST(StreamParser, VerdictDoesNotDependOnWhereTheStreamWasSplit) {
  // A header section of exactly max_header_bytes before its empty line is accepted whole, so
  // it must not be refused while its closing CRLF is still arriving.
  ParserLimits limits;
  limits.max_header_bytes = 128;
  std::string head = "OPTIONS sip:a@example.com SIP/2.0\r\nContent-Length: 0\r\nX-Pad: ";
  head += std::string(limits.max_header_bytes - head.size() - 2, 'p') + "\r\n";
  ASSERT_EQ(head.size(), limits.max_header_bytes);
  const std::string whole = head + "\r\n";
  Message m;
  ParseResult r = parse_stream(whole, m, limits);
  ASSERT_TRUE(r.ok()) << r.error.reason;
  for (std::size_t cut = 1; cut < whole.size(); ++cut)
    EXPECT_TRUE(parse_stream(std::string_view(whole).substr(0, cut), m, limits).incomplete()) << cut;
  // One byte more in the header section is too many, split or not.
  const std::string over = head + "X: 1\r\n\r\n";
  EXPECT_EQ(parse_stream(over, m, limits).error.status, 513);
  EXPECT_EQ(parse_stream(std::string_view(over).substr(0, over.size() - 1), m, limits).error.status, 513);
}

}  // namespace
}  // namespace trapezoid::sip
