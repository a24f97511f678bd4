// RFC 3263 through the real server: `trapezoid serve` asks a DNS responder of the test's own
// (127.0.0.1, [dns] servers) where a domain it is not responsible for lives, and a SIPp caller
// reaches a SIPp callee that only DNS names.
#include <fstream>

#include "../unit/dns/dns_responder.hpp"
#include "server_fixture.hpp"

namespace trapezoid::server_test {
namespace {

using dns::testing::DnsResponder;

class DnsRoutingTest : public ServerTest {
 protected:
  // The server, responsible for trapezoid.test only, resolving through `dns`.
  void start_with_dns() {
    const std::string config = dir_.path() + "/dns.toml";
    std::ofstream(config) << "[dns]\nservers = [\"" << dns.server() << "\"]\ntimeout_ms = 500\ntries = 1\n";
    start({"--config", config, "--domain", "trapezoid.test"});
  }
  DnsResponder dns;
};

// _sip._udp SRV -> the callee's port: the call completes, and its ACK and BYE follow the
// route set (the callee's Contact is numeric).
TEST_F(DnsRoutingTest, CallToADomainFoundBySrv) {
  const int bob = free_udp_port();
  dns.add_srv("_sip._udp.example.test", 10, 0, static_cast<std::uint16_t>(bob), "pbx.example.test");
  dns.add_a("pbx.example.test", "127.0.0.1");
  start_with_dns();
  auto callee = uas("uas_answer.xml", bob);
  EXPECT_EQ(run("uac_call_domain.xml", "-m 1 -set callee bob -set domain example.test"), 0) << log();
  EXPECT_EQ(callee->wait(), 0) << log();
  EXPECT_GE(dns.queries("_sip._udp.example.test", DnsResponder::kSrv), 1);
}

// RFC 3263 §4.3: NAPTR prefers TCP, whose server refuses the connection; the request goes on
// to the next choice, UDP, where the callee answers.
TEST_F(DnsRoutingTest, RefusedFirstChoiceFailsOverToTheNext) {
  const int bob = free_udp_port();
  const int dead = free_udp_port();  // nobody listens on it over TCP either
  dns.add_naptr("example.test", 10, 10, "s", "SIP+D2T", "_sip._tcp.example.test");
  dns.add_naptr("example.test", 20, 10, "s", "SIP+D2U", "_sip._udp.example.test");
  dns.add_srv("_sip._tcp.example.test", 10, 0, static_cast<std::uint16_t>(dead), "pbx.example.test");
  dns.add_srv("_sip._udp.example.test", 10, 0, static_cast<std::uint16_t>(bob), "pbx.example.test");
  dns.add_a("pbx.example.test", "127.0.0.1");
  start_with_dns();
  auto callee = uas("uas_answer.xml", bob);
  EXPECT_EQ(run("uac_call_domain.xml", "-m 1 -set callee bob -set domain example.test"), 0) << log();
  EXPECT_EQ(callee->wait(), 0) << log();
  // The INVITE's log line counts the refused TCP branch and the UDP one that answered.
  EXPECT_NE(log().find("INVITE sip:bob@example.test -> 200 (2 branches)"), std::string::npos) << log();
  EXPECT_EQ(dns.queries("_sip._tcp.example.test", DnsResponder::kSrv), 1);
}

// A name without records: the caller gets a final response (500, from the branch's 503), not
// silence.
TEST_F(DnsRoutingTest, NameWithoutRecordsGetsAFinalResponse) {
  start_with_dns();
  EXPECT_EQ(run("uac_expect_500_domain.xml", "-m 1 -set callee bob -set domain nowhere.test"), 0) << log();
  EXPECT_GE(dns.queries("nowhere.test", DnsResponder::kNaptr), 1);
}

}  // namespace
}  // namespace trapezoid::server_test
