#include "transport/inbound.hpp"

#include <gtest/gtest.h>

#include "sip/parser.hpp"
#include "sip_samples.hpp"

namespace trapezoid::transport {
namespace {

using testing::ok_response;
using testing::options_request;

class InboundTest : public ::testing::Test {
 protected:
  sip::SystemRandomSource random{42};
  InboundProcessor in{sip::ParserLimits{}, random};
  Source from{Endpoint{TransportKind::kUdp, *IpAddress::parse("192.0.2.4"), 5070}, 0, {}};

  static sip::Message parse(const std::string& bytes) {
    sip::Message m;
    EXPECT_TRUE(sip::parse_datagram(bytes, m).ok());
    m.own();
    return m;
  }
};

TEST_F(InboundTest, RequestIsStampedAndOwnsItsBytes) {
  std::string bytes = options_request("SIP/2.0/UDP pc33.atlanta.com;rport;branch=z9hG4bK1");
  Inbound r = in.on_datagram(bytes, from);
  bytes.assign(bytes.size(), 'x');  // the passed-up message must not depend on these bytes
  ASSERT_EQ(r.action, Inbound::Action::kPassUp);
  EXPECT_TRUE(r.message.owns_bytes());
  EXPECT_TRUE(r.message.syntax_valid());
  EXPECT_EQ(r.message.find(sip::HeaderId::kVia)->value,
            "SIP/2.0/UDP pc33.atlanta.com;received=192.0.2.4;rport=5070;branch=z9hG4bK1");
  EXPECT_EQ(r.message.find(sip::HeaderId::kCallId)->value, "a84b4c76e66710@pc33.atlanta.com");
}

TEST_F(InboundTest, StampingMayGrowAHeaderSectionAtTheLimit) {
  const std::string bytes = options_request("SIP/2.0/UDP pc33.atlanta.com;rport;branch=z9hG4bK9");
  sip::ParserLimits tight;
  tight.max_header_bytes = bytes.size() - 2;  // just fits as received
  InboundProcessor at_limit(tight, random);
  Inbound r = at_limit.on_datagram(bytes, from);
  ASSERT_EQ(r.action, Inbound::Action::kPassUp) << r.why;
  EXPECT_GT(r.message.raw().size(), bytes.size());
}

TEST_F(InboundTest, ResponseIsPassedUpUnchanged) {
  const std::string bytes = ok_response("SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK1");
  Inbound r = in.on_datagram(bytes, from);
  ASSERT_EQ(r.action, Inbound::Action::kPassUp);
  EXPECT_EQ(r.message.raw(), bytes);
  // validate_response checked its header syntax: readers of its tags may rely on that.
  EXPECT_TRUE(r.message.syntax_valid());
}

TEST_F(InboundTest, ResponseForSomeoneElseIsDropped) {
  // RFC 3261 §18.1.2.
  in.set_sent_by({SentBy{"pc33.atlanta.com", 0}});
  EXPECT_EQ(in.on_datagram(ok_response("SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK1"), from).action,
            Inbound::Action::kPassUp);
  Inbound r = in.on_datagram(ok_response("SIP/2.0/UDP other.example.com;branch=z9hG4bK1"), from);
  EXPECT_EQ(r.action, Inbound::Action::kDrop);
  EXPECT_EQ(r.why, "Response Not Sent By Us");
}

TEST_F(InboundTest, GarbageIsDropped) {
  Inbound r = in.on_datagram("\x01\x02 hello there", from);
  EXPECT_EQ(r.action, Inbound::Action::kDrop);
  EXPECT_FALSE(r.why.empty());
}

TEST_F(InboundTest, MalformedResponseIsDropped) {
  Inbound r = in.on_datagram("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP a\r\n\r\n", from);
  EXPECT_EQ(r.action, Inbound::Action::kDrop);
}

TEST_F(InboundTest, TruncatedDatagramGets400ToTheRport) {
  std::string bytes = options_request("SIP/2.0/UDP 10.0.0.1:5060;rport;branch=z9hG4bK2");
  bytes.replace(bytes.find("Content-Length: 0"), 17, "Content-Length: 900");
  Inbound r = in.on_datagram(bytes, from);
  ASSERT_EQ(r.action, Inbound::Action::kReply);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(to_string(r.reply_to), "UDP 192.0.2.4:5070");
  sip::Message reply = parse(r.reply);
  EXPECT_EQ(reply.status_code(), 400);
  EXPECT_EQ(reply.reason_phrase(), "Content-Length Exceeds Message");
  EXPECT_EQ(reply.find(sip::HeaderId::kCallId)->value, "a84b4c76e66710@pc33.atlanta.com");
}

TEST_F(InboundTest, BadSyntaxIsAnsweredWithTheStampedVia) {
  std::string bytes = options_request("SIP/2.0/UDP 10.0.0.1:5090;branch=z9hG4bK3");
  bytes.replace(bytes.find("Max-Forwards: 70"), 16, "Max-Forwards: seventy");
  Inbound r = in.on_datagram(bytes, from);
  ASSERT_EQ(r.action, Inbound::Action::kReply);
  EXPECT_EQ(r.status, 400);
  // §18.2.2: received (the source address) at the sent-by port.
  EXPECT_EQ(to_string(r.reply_to), "UDP 192.0.2.4:5090");
  sip::Message reply = parse(r.reply);
  EXPECT_EQ(reply.find(sip::HeaderId::kVia)->value, "SIP/2.0/UDP 10.0.0.1:5090;branch=z9hG4bK3;received=192.0.2.4");
}

TEST_F(InboundTest, MalformedViaIsAnsweredToTheSource) {
  Inbound r = in.on_datagram(options_request("not a via"), from);
  ASSERT_EQ(r.action, Inbound::Action::kReply);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(to_string(r.reply_to), "UDP 192.0.2.4:5070");
}

TEST_F(InboundTest, StreamGarbageGetsABareErrorAndClose) {
  Source tcp{Endpoint{TransportKind::kTcp, *IpAddress::parse("192.0.2.4"), 40000}, 9, {}};
  sip::Message partial;
  const std::string bytes = "HELLO\r\n\r\n";
  sip::ParseResult p = sip::parse_stream(bytes, partial);
  ASSERT_FALSE(p.ok());
  Inbound r = in.on_parse_error(bytes, partial, p.error, tcp, true);
  ASSERT_EQ(r.action, Inbound::Action::kReply);
  EXPECT_TRUE(r.close);
  EXPECT_EQ(r.reply_to.connection, 9u);
  EXPECT_TRUE(r.reply.starts_with("SIP/2.0 400 "));
}

}  // namespace
}  // namespace trapezoid::transport
