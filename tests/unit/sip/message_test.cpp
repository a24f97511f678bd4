// Message: the parsed top Via and Request-URI it keeps, and the edit that moves its views.
#include "sip/message.hpp"

#include <gtest/gtest.h>

#include <string>

#include "sip/parser.hpp"

namespace trapezoid::sip {
namespace {

std::string request_with_via(std::string_view via) {
  std::string r = "OPTIONS sip:bob@biloxi.com SIP/2.0\r\nVia: ";
  r += via;
  r +=
      "\r\nVia: SIP/2.0/UDP second.example;branch=z9hG4bK2\r\n"
      "Max-Forwards: 70\r\nFrom: <sip:a@atlanta.com>;tag=1\r\nTo: <sip:bob@biloxi.com>\r\n"
      "Call-ID: m1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
  return r;
}

TEST(MessageTopVia, FirstElementOfTheFirstField) {
  const std::string bytes = request_with_via("SIP/2.0/UDP a.example:5070;branch=z9hG4bK1 , SIP/2.0/TCP b.example");
  Message m;
  ASSERT_TRUE(parse_datagram(bytes, m).ok());
  EXPECT_EQ(m.top_via_text(), "SIP/2.0/UDP a.example:5070;branch=z9hG4bK1");
  const Via* v = m.top_via();
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->host, "a.example");
  EXPECT_EQ(v->port, 5070);
  EXPECT_EQ(v->branch, "z9hG4bK1");
  EXPECT_EQ(m.top_via(), v);  // parsed once, then kept
}

TEST(MessageTopVia, CommaInsideAQuotedParamDoesNotSplit) {
  const std::string bytes = request_with_via("SIP/2.0/UDP a.example;branch=z9hG4bK1;x=\"p,q\", SIP/2.0/UDP b.example");
  Message m;
  ASSERT_TRUE(parse_datagram(bytes, m).ok());
  EXPECT_EQ(m.top_via_text(), "SIP/2.0/UDP a.example;branch=z9hG4bK1;x=\"p,q\"");
  ASSERT_NE(m.top_via(), nullptr);
  EXPECT_EQ(m.top_via()->branch, "z9hG4bK1");
}

TEST(MessageTopVia, MalformedOrMissingIsNull) {
  const std::string bytes = request_with_via("SIP/2.0/UDP");  // the message borrows it
  Message m;
  ASSERT_TRUE(parse_datagram(bytes, m).ok());
  EXPECT_EQ(m.top_via(), nullptr);
  EXPECT_EQ(m.top_via(), nullptr);  // the verdict is kept too

  const std::string no_via =
      "OPTIONS sip:bob@biloxi.com SIP/2.0\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
  Message n;
  ASSERT_TRUE(parse_datagram(no_via, n).ok());
  EXPECT_EQ(n.top_via_text(), "");
  EXPECT_EQ(n.top_via(), nullptr);
}

TEST(MessageTopVia, FollowsTheBytesThroughOwnAndMove) {
  std::string bytes = request_with_via("SIP/2.0/UDP a.example;branch=z9hG4bK1");
  Message m;
  ASSERT_TRUE(parse_datagram(bytes, m).ok());
  ASSERT_NE(m.top_via(), nullptr);
  m.own();
  Message moved(std::move(m));
  bytes.assign(bytes.size(), 'x');  // the borrowed buffer is gone
  const Via* v = moved.top_via();
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->host, "a.example");
  EXPECT_EQ(v->branch, "z9hG4bK1");
  EXPECT_GE(v->branch.data(), moved.raw().data());
  EXPECT_LT(v->branch.data(), moved.raw().data() + moved.raw().size());
}

TEST(MessageTopVia, ANewParseForgetsTheOldOne) {
  Message m;
  const std::string first = request_with_via("SIP/2.0/UDP a.example;branch=z9hG4bK1");
  ASSERT_TRUE(parse_datagram(first, m).ok());
  ASSERT_NE(m.top_via(), nullptr);
  const std::string second = request_with_via("SIP/2.0/UDP c.example;branch=z9hG4bK9");
  ASSERT_TRUE(parse_datagram(second, m).ok());
  ASSERT_NE(m.top_via(), nullptr);
  EXPECT_EQ(m.top_via()->host, "c.example");
}

TEST(MessageEdit, ViasAfterTheEditMoveAndTheEditedOneGrows) {
  const std::string bytes = request_with_via("SIP/2.0/UDP a.example;branch=z9hG4bK1");
  Message m;
  ASSERT_TRUE(parse_datagram(bytes, m).ok());
  const std::size_t at = bytes.find(";branch");
  m.own_with_edit(at, 0, ";received=192.0.2.1");
  EXPECT_TRUE(m.owns_bytes());
  EXPECT_EQ(m.top_via_text(), "SIP/2.0/UDP a.example;received=192.0.2.1;branch=z9hG4bK1");
  ASSERT_NE(m.top_via(), nullptr);
  EXPECT_EQ(m.top_via()->received, "192.0.2.1");
  EXPECT_EQ(m.find(HeaderId::kCallId)->value, "m1");
  EXPECT_EQ(m.request_uri(), "sip:bob@biloxi.com");
  EXPECT_EQ(m.raw().size(), bytes.size() + std::string_view(";received=192.0.2.1").size());
}

TEST(MessageRequestUri, ParsedOnceAndKept) {
  const std::string bytes = request_with_via("SIP/2.0/UDP a.example;branch=z9hG4bK1");
  Message m;
  ASSERT_TRUE(parse_datagram(bytes, m).ok());
  const Uri* u = m.parsed_request_uri();
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->scheme, UriScheme::kSip);
  EXPECT_EQ(u->user, "bob");
  EXPECT_EQ(u->host, "biloxi.com");
  EXPECT_EQ(m.parsed_request_uri(), u);
}

TEST(MessageRequestUri, ResponseOrMalformedIsNull) {
  const std::string response =
      "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP a.example;branch=z9hG4bK1\r\nFrom: <sip:a@atlanta.com>;tag=1\r\n"
      "To: <sip:bob@biloxi.com>;tag=2\r\nCall-ID: m1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
  Message r;
  ASSERT_TRUE(parse_datagram(response, r).ok());
  EXPECT_EQ(r.parsed_request_uri(), nullptr);

  std::string bad = request_with_via("SIP/2.0/UDP a.example;branch=z9hG4bK1");
  bad.replace(bad.find("sip:bob@biloxi.com"), 18, "sip:bob@bi<oxi.com");  // '<' is no host character
  Message m;
  ASSERT_TRUE(parse_datagram(bad, m).ok());
  EXPECT_EQ(m.parsed_request_uri(), nullptr);
  EXPECT_EQ(m.parsed_request_uri(), nullptr);  // the verdict is kept too
}

TEST(MessageRequestUri, FollowsTheBytesThroughOwnAndMove) {
  std::string bytes = request_with_via("SIP/2.0/UDP a.example;branch=z9hG4bK1");
  Message m;
  ASSERT_TRUE(parse_datagram(bytes, m).ok());
  ASSERT_NE(m.parsed_request_uri(), nullptr);
  m.own();
  Message moved(std::move(m));
  bytes.assign(bytes.size(), 'x');  // the borrowed buffer is gone
  const Uri* u = moved.parsed_request_uri();
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->host, "biloxi.com");
  EXPECT_GE(u->host.data(), moved.raw().data());
  EXPECT_LT(u->host.data(), moved.raw().data() + moved.raw().size());
}

TEST(MessageRequestUri, AnEditOrANewParseForgetsIt) {
  const std::string bytes = request_with_via("SIP/2.0/UDP a.example;branch=z9hG4bK1");
  Message m;
  ASSERT_TRUE(parse_datagram(bytes, m).ok());
  ASSERT_NE(m.parsed_request_uri(), nullptr);
  // Lengthen the user part: the cached parse would still say "bob".
  m.own_with_edit(m.raw().find("bob"), 3, "roberta");
  ASSERT_NE(m.parsed_request_uri(), nullptr);
  EXPECT_EQ(m.parsed_request_uri()->user, "roberta");

  const std::string other = "REGISTER sip:carol@chicago.com SIP/2.0\r\nCall-ID: x\r\nCSeq: 1 REGISTER\r\n\r\n";
  ASSERT_TRUE(parse_datagram(other, m).ok());
  ASSERT_NE(m.parsed_request_uri(), nullptr);
  EXPECT_EQ(m.parsed_request_uri()->host, "chicago.com");
}

}  // namespace
}  // namespace trapezoid::sip
