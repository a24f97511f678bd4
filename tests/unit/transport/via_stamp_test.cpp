#include "transport/via_stamp.hpp"

#include <gtest/gtest.h>

#include "sip/parser.hpp"
#include "sip_samples.hpp"

namespace trapezoid::transport {
namespace {

using testing::options_request;

Endpoint udp(std::string_view ip, std::uint16_t port) {
  return Endpoint{TransportKind::kUdp, *IpAddress::parse(ip), port};
}

// Stamps the request with this top Via and returns the stamped top Via value ("" if unchanged).
struct Stamped {
  StampOutcome outcome;
  std::string via;    // the first Via field's value after stamping
  std::string bytes;  // the whole stamped message
};

// The message the transport passes up (the views moved by own_with_edit) must be the message
// a parse of the stamped bytes gives, view for view.
void expect_same_message(const sip::Message& edited, const sip::Message& parsed) {
  EXPECT_EQ(edited.raw(), parsed.raw());
  EXPECT_EQ(edited.method_name(), parsed.method_name());
  EXPECT_EQ(edited.request_uri(), parsed.request_uri());
  EXPECT_EQ(edited.version(), parsed.version());
  EXPECT_EQ(edited.body(), parsed.body());
  ASSERT_EQ(edited.headers().size(), parsed.headers().size());
  for (std::size_t i = 0; i < parsed.headers().size(); ++i) {
    EXPECT_EQ(edited.headers()[i].name, parsed.headers()[i].name);
    EXPECT_EQ(edited.headers()[i].value, parsed.headers()[i].value);
    EXPECT_EQ(edited.headers()[i].id, parsed.headers()[i].id);
    // Every view lies inside the edited message's own bytes.
    EXPECT_GE(edited.headers()[i].value.data(), edited.raw().data());
    EXPECT_LE(edited.headers()[i].value.data() + edited.headers()[i].value.size(),
              edited.raw().data() + edited.raw().size());
  }
  ASSERT_EQ(edited.top_via() != nullptr, parsed.top_via() != nullptr);
  if (parsed.top_via() != nullptr) {
    EXPECT_EQ(edited.top_via()->received, parsed.top_via()->received);
    EXPECT_EQ(edited.top_via()->rport_value, parsed.top_via()->rport_value);
    EXPECT_EQ(edited.top_via()->branch, parsed.top_via()->branch);
  }
}

Stamped stamp(const std::string& request, const Endpoint& from) {
  sip::Message msg;
  EXPECT_TRUE(sip::parse_datagram(request, msg).ok());
  Stamped s{};
  s.outcome = stamp_top_via(msg, from, s.bytes);
  if (s.outcome != StampOutcome::kStamped) return s;
  sip::Message out;
  EXPECT_TRUE(sip::parse_datagram(s.bytes, out).ok());
  if (const sip::HeaderField* via = out.find(sip::HeaderId::kVia)) s.via = via->value;

  sip::Message edited;
  EXPECT_TRUE(sip::parse_datagram(request, edited).ok());
  (void)edited.top_via();  // a cached top Via must not survive the edit
  ViaEdit edit;
  EXPECT_EQ(plan_top_via_stamp(edited, from, edit), StampOutcome::kStamped);
  edited.own_with_edit(edit.at, edit.erase, edit.insert);
  EXPECT_TRUE(edited.owns_bytes());
  expect_same_message(edited, out);
  return s;
}

TEST(ViaStamp, DomainNameGetsReceived) {
  // RFC 3261 §18.2.1 example.
  Stamped s = stamp(options_request("SIP/2.0/UDP bobspc.biloxi.com:5060"), udp("192.0.2.4", 5060));
  EXPECT_EQ(s.outcome, StampOutcome::kStamped);
  EXPECT_EQ(s.via, "SIP/2.0/UDP bobspc.biloxi.com:5060;received=192.0.2.4");
}

TEST(ViaStamp, SameAddressWithoutRportIsUnchanged) {
  Stamped s = stamp(options_request("SIP/2.0/UDP 192.0.2.4:5070;branch=z9hG4bK1"), udp("192.0.2.4", 5070));
  EXPECT_EQ(s.outcome, StampOutcome::kUnchanged);
}

TEST(ViaStamp, OtherAddressGetsReceivedAfterParams) {
  Stamped s = stamp(options_request("SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1"), udp("192.0.2.4", 5060));
  EXPECT_EQ(s.via, "SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1;received=192.0.2.4");
}

TEST(ViaStamp, RportIsFilledAndReceivedAddedAsInRfc3581) {
  // RFC 3581 §4 example.
  Stamped s = stamp(options_request("SIP/2.0/UDP 10.1.1.1:4540;rport;branch=z9hG4bKkjshdyff"),
                    udp("192.0.2.1", 9988));
  EXPECT_EQ(s.via, "SIP/2.0/UDP 10.1.1.1:4540;received=192.0.2.1;rport=9988;branch=z9hG4bKkjshdyff");
}

TEST(ViaStamp, RportAddsReceivedEvenForTheSameAddress) {
  Stamped s = stamp(options_request("SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK2;rport"), udp("192.0.2.1", 40000));
  EXPECT_EQ(s.via, "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK2;received=192.0.2.1;rport=40000");
}

TEST(ViaStamp, StaleReceivedIsReplacedNotRepeated) {
  Stamped s = stamp(options_request("SIP/2.0/UDP a.example.com;received=10.9.9.9;branch=z9hG4bK3"),
                    udp("192.0.2.7", 5060));
  EXPECT_EQ(s.via, "SIP/2.0/UDP a.example.com;received=192.0.2.7;branch=z9hG4bK3");
}

TEST(ViaStamp, IPv6ReceivedHasNoBrackets) {
  Stamped s = stamp(options_request("SIP/2.0/UDP [2001:db8::9]:5060;branch=z9hG4bK4;rport"),
                    udp("2001:db8::1", 5062));
  EXPECT_EQ(s.via, "SIP/2.0/UDP [2001:db8::9]:5060;branch=z9hG4bK4;received=2001:db8::1;rport=5062");
}

TEST(ViaStamp, IPv6OtherSpellingOfTheSourceIsUnchanged) {
  Stamped s = stamp(options_request("SIP/2.0/UDP [2001:DB8:0::1];branch=z9hG4bK5"), udp("2001:db8::1", 5060));
  EXPECT_EQ(s.outcome, StampOutcome::kUnchanged);
}

TEST(ViaStamp, OnlyTheTopViaParmChanges) {
  const std::string req = options_request("SIP/2.0/UDP a.example.com;branch=z9hG4bK6 , SIP/2.0/TCP b.example.com",
                                          "Via: SIP/2.0/UDP c.example.com;branch=z9hG4bK7\r\n");
  Stamped s = stamp(req, udp("192.0.2.4", 5060));
  EXPECT_EQ(s.via, "SIP/2.0/UDP a.example.com;branch=z9hG4bK6;received=192.0.2.4 , SIP/2.0/TCP b.example.com");
  EXPECT_NE(s.bytes.find("Via: SIP/2.0/UDP c.example.com;branch=z9hG4bK7\r\n"), std::string::npos);
}

TEST(ViaStamp, EverythingElseIsKeptByteForByte) {
  const std::string req = "MESSAGE sip:bob@biloxi.com SIP/2.0\r\n"
                          "v: SIP/2.0/TCP pc33.atlanta.com;branch=z9hG4bK8\r\n"
                          "Max-Forwards: 70\r\nt: <sip:bob@biloxi.com>\r\nf: <sip:a@atlanta.com>;tag=1\r\n"
                          "i: x1\r\nCSeq: 1 MESSAGE\r\nc: text/plain\r\nl: 5\r\n\r\nhello";
  Stamped s = stamp(req, Endpoint{TransportKind::kTcp, *IpAddress::parse("192.0.2.4"), 33000});
  std::string expected = req;
  expected.insert(expected.find("z9hG4bK8") + 8, ";received=192.0.2.4");
  EXPECT_EQ(s.bytes, expected);
}

TEST(ViaStamp, MalformedOrMissingVia) {
  EXPECT_EQ(stamp(options_request("garbage"), udp("192.0.2.4", 5060)).outcome, StampOutcome::kMalformedVia);
  std::string no_via = options_request("SIP/2.0/UDP a.example.com");
  no_via.erase(no_via.find("Via:"), no_via.find("Max-Forwards") - no_via.find("Via:"));
  EXPECT_EQ(stamp(no_via, udp("192.0.2.4", 5060)).outcome, StampOutcome::kMalformedVia);
}

TEST(ViaStamp, EditedInPlaceWithAListOfViasAndABody) {
  // The stamp lands inside the first of two elements of the first Via field; the fields and
  // the body after it move, the second Via field and the start line do not.
  const std::string request =
      "MESSAGE sip:bob@biloxi.com SIP/2.0\r\n"
      "Via: SIP/2.0/UDP 10.0.0.1:5060;rport;branch=z9hG4bKa1 , SIP/2.0/TCP proxy.example;branch=z9hG4bKb2\r\n"
      "Via: SIP/2.0/UDP ua.example;branch=z9hG4bKc3\r\n"
      "Max-Forwards: 70\r\n"
      "From: <sip:alice@atlanta.com>;tag=1\r\n"
      "To: <sip:bob@biloxi.com>\r\n"
      "Call-ID: edit-1\r\n"
      "CSeq: 1 MESSAGE\r\n"
      "Content-Type: text/plain\r\n"
      "Content-Length: 5\r\n"
      "\r\n"
      "hello";
  Stamped s = stamp(request, udp("192.0.2.9", 40000));
  EXPECT_EQ(s.outcome, StampOutcome::kStamped);
  EXPECT_EQ(s.via,
            "SIP/2.0/UDP 10.0.0.1:5060;received=192.0.2.9;rport=40000;branch=z9hG4bKa1 , SIP/2.0/TCP "
            "proxy.example;branch=z9hG4bKb2");
}

}  // namespace
}  // namespace trapezoid::transport
