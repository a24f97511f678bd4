#include "sip/inspect.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <string_view>

namespace trapezoid::sip {
namespace {

// RFC 3261 §24.2 F1, with its start line and extra header lines replaceable.
std::string invite(std::string_view start = "INVITE sip:bob@biloxi.com SIP/2.0", std::string_view extra = "") {
  return std::string(start) +
         "\r\n"
         "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds\r\n"
         "Max-Forwards: 70\r\n"
         "To: Bob <sip:bob@biloxi.com>\r\n"
         "From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n"
         "Call-ID: a84b4c76e66710@pc33.atlanta.com\r\n"
         "CSeq: 314159 INVITE\r\n"
         "Contact: <sip:alice@pc33.atlanta.com>\r\n" +
         std::string(extra) + "Content-Length: 0\r\n\r\n";
}

std::string ok_response(std::string_view extra = "") {
  return "SIP/2.0 200 OK\r\n"
         "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds;received=192.0.2.1\r\n"
         "To: Bob <sip:bob@biloxi.com>;tag=a6c85cf\r\n"
         "From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n"
         "Call-ID: a84b4c76e66710@pc33.atlanta.com\r\n"
         "CSeq: 314159 INVITE\r\n" +
         std::string(extra) + "Content-Length: 0\r\n\r\n";
}

TEST(Inspect, AcceptableRequest) {
  const std::string bytes = invite();
  Message msg;
  const Inspection r = inspect_datagram(bytes, msg);
  EXPECT_TRUE(r.parsed);
  EXPECT_FALSE(r.is_response);
  EXPECT_TRUE(r.well_formed);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.reason, "");
  EXPECT_EQ(r.detail, "");
  // The message is left parsed for the caller.
  EXPECT_EQ(msg.method(), Method::kInvite);
  EXPECT_EQ(msg.request_uri(), "sip:bob@biloxi.com");
}

TEST(Inspect, AcceptableResponse) {
  const std::string bytes = ok_response();
  Message msg;
  const Inspection r = inspect_datagram(bytes, msg);
  EXPECT_TRUE(r.parsed);
  EXPECT_TRUE(r.is_response);
  EXPECT_TRUE(r.well_formed);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(msg.status_code(), 200);
}

// Bytes the parser refuses: not parsed, not well formed, the parser's status and reason.
TEST(Inspect, UnparsableRequestReportsTheParserError) {
  const std::string bytes = "INVITE sip:bob@biloxi.com SIP/2.0\r\nContent-Length: -999\r\n\r\n";
  Message msg;
  const Inspection r = inspect_datagram(bytes, msg);
  EXPECT_FALSE(r.parsed);
  EXPECT_FALSE(r.is_response);
  EXPECT_FALSE(r.well_formed);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.reason, "Malformed Content-Length");
}

// RFC 4475 §3.1.2.2 (clerr): a Content-Length beyond the datagram is 400.
TEST(Inspect, ContentLengthBeyondTheDatagramIs400) {
  std::string bytes = invite() + "v=0\r\n";
  bytes.replace(bytes.find("Content-Length: 0"), 17, "Content-Length: 9999");
  Message msg;
  const Inspection r = inspect_datagram(bytes, msg);
  EXPECT_FALSE(r.parsed);
  EXPECT_FALSE(r.well_formed);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.reason, "Content-Length Exceeds Message");
}

// RFC 4475 §3.1.2.19 (bigcode): the bytes look like a response even though they do not parse,
// so the caller knows to drop them rather than answer.
TEST(Inspect, UnparsableResponseIsStillSeenAsAResponse) {
  for (std::string_view bytes : {std::string_view("SIP/2.0 4294967301 better not break the receiver\r\n\r\n"),
                                 std::string_view("SIP/2.0 099 low\r\n\r\n"),
                                 std::string_view("\r\n\r\nsip/2.0 7000 x\r\n\r\n")}) {
    Message msg;
    const Inspection r = inspect_datagram(bytes, msg);
    EXPECT_FALSE(r.parsed) << bytes;
    EXPECT_TRUE(r.is_response) << bytes;
    EXPECT_FALSE(r.well_formed) << bytes;
    EXPECT_EQ(r.status, 400) << bytes;
  }
}

TEST(Inspect, EmptyDatagramIsAnUnparsableRequest) {
  Message msg;
  const Inspection r = inspect_datagram("", msg);
  EXPECT_FALSE(r.parsed);
  EXPECT_FALSE(r.is_response);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.reason, "Empty Message");
  const Inspection crlf = inspect_datagram("\r\n\r\n", msg);
  EXPECT_FALSE(crlf.parsed);
  EXPECT_FALSE(crlf.is_response);
}

// Well formed but refused by the role: parsed and well formed, with the role's status.
TEST(Inspect, RoleRefusalIsWellFormed) {
  const std::string bytes = invite("INVITE sip:bob@biloxi.com SIP/2.0", "Require: foo, bar\r\n");
  Message msg;
  const Inspection r = inspect_datagram(bytes, msg);
  EXPECT_TRUE(r.parsed);
  EXPECT_TRUE(r.well_formed);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status, 420);
  EXPECT_EQ(r.reason, "Bad Extension");
  EXPECT_EQ(r.detail, "foo");
  // The detail is a view into the inspected bytes.
  EXPECT_GE(r.detail.data(), bytes.data());
  EXPECT_LT(r.detail.data(), bytes.data() + bytes.size());
}

TEST(Inspect, UnknownSchemeIsWellFormed416) {
  const std::string bytes = invite("INVITE nobodyKnowsThisScheme:totallyopaquecontent SIP/2.0");
  Message msg;
  const Inspection r = inspect_datagram(bytes, msg);
  EXPECT_TRUE(r.parsed);
  EXPECT_TRUE(r.well_formed);
  EXPECT_EQ(r.status, 416);
}

// A syntax error found by validation: parsed, but not well formed.
TEST(Inspect, SyntaxErrorIsNotWellFormed) {
  const std::string bytes = invite("INVITE sip:bob@biloxi.com SIP/2.0", "Max-Forwards: 5\r\n");
  Message msg;
  const Inspection r = inspect_datagram(bytes, msg);
  EXPECT_TRUE(r.parsed);
  EXPECT_FALSE(r.well_formed);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.reason, "Multiple Max-Forwards Headers");
}

// RFC 4475 §3.1.2.16 (badvers): 505, and the message is not taken as well formed.
TEST(Inspect, UnknownVersionIs505AndNotWellFormed) {
  const std::string bytes = invite("INVITE sip:bob@biloxi.com SIP/7.0");
  Message msg;
  const Inspection r = inspect_datagram(bytes, msg);
  EXPECT_TRUE(r.parsed);
  EXPECT_FALSE(r.well_formed);
  EXPECT_EQ(r.status, 505);
}

TEST(Inspect, InvalidResponseIsDroppedWith400) {
  const std::string bytes = ok_response("Call-ID: second\r\n");
  Message msg;
  const Inspection r = inspect_datagram(bytes, msg);
  EXPECT_TRUE(r.parsed);
  EXPECT_TRUE(r.is_response);
  EXPECT_FALSE(r.well_formed);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.reason, "Multiple Call-ID Headers");
}

// The policy decides role checks: Max-Forwards 0 (RFC 4475 §3.3.11 zeromf).
TEST(Inspect, PolicyIsPassedToValidation) {
  std::string bytes = invite();
  bytes.replace(bytes.find("Max-Forwards: 70"), 16, "Max-Forwards: 0 ");
  Message msg;
  EXPECT_TRUE(inspect_datagram(bytes, msg).ok());
  ValidationPolicy proxy;
  proxy.role = Role::kProxy;
  const Inspection r = inspect_datagram(bytes, msg, proxy);
  EXPECT_TRUE(r.well_formed);
  EXPECT_EQ(r.status, 483);
  EXPECT_EQ(r.reason, "Too Many Hops");

  static constexpr std::array<std::string_view, 1> kFoo = {"foo"};
  ValidationPolicy uas;
  uas.supported_extensions = kFoo;
  const std::string with_require = invite("INVITE sip:bob@biloxi.com SIP/2.0", "Require: foo\r\n");
  EXPECT_TRUE(inspect_datagram(with_require, msg, uas).ok());
}

// RFC 4475 §3.1.1.8 (dblreq): octets after the Content-Length body are ignored.
TEST(Inspect, TrailingOctetsAfterTheMessageAreIgnored) {
  const std::string bytes = invite() + "INVITE sip:joe@example.com SIP/2.0\r\nt: <sip:joe@example.com>\r\n\r\n";
  Message msg;
  const Inspection r = inspect_datagram(bytes, msg);
  EXPECT_TRUE(r.parsed);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(msg.raw(), invite());
}

// The Message is reused: a second inspection replaces the first.
TEST(Inspect, ReusesTheMessage) {
  const std::string request = invite();
  const std::string response = ok_response();
  Message msg;
  EXPECT_TRUE(inspect_datagram(request, msg).ok());
  EXPECT_TRUE(inspect_datagram(response, msg).ok());
  EXPECT_TRUE(msg.is_response());
  EXPECT_EQ(msg.count(HeaderId::kContact), 0u);
}

}  // namespace
}  // namespace trapezoid::sip
