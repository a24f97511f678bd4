// RFC 3263 §4 on real sockets: c-ares asks a DnsResponder on 127.0.0.1 and SipResolver orders
// what it answers.
#include "dns/sip_resolver.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <map>
#include <optional>

#include "dns_responder.hpp"
#include "sip/uri.hpp"

namespace trapezoid::dns {
namespace {

using namespace std::chrono_literals;
using testing::DnsResponder;
using transport::TransportKind;

class DnsSipResolverTest : public ::testing::Test {
 protected:
  void make(ResolverConfig cfg = {}, LocalTransports local = {}) {
    cfg.servers = {dns.server()};
    if (cfg.timeout == ResolverConfig{}.timeout) cfg.timeout = 1000ms;
    std::string error;
    resolver = SipResolver::create(io, cfg, error, [this] { return now; });
    ASSERT_TRUE(resolver) << error;
    resolver->set_local_transports(local);
  }

  // Resolves and runs the event loop until the answer (at most 10 s).
  std::vector<transport::Target> resolve(std::string_view text, bool sips = false, bool* synchronous = nullptr) {
    sip::Uri uri;
    EXPECT_TRUE(sip::parse_uri(text, uri).empty()) << text;
    std::optional<std::vector<transport::Target>> got;
    bool in_call = true;
    bool sync = false;
    resolver->resolve(uri, sips, [&](std::vector<transport::Target> t) {
      got = std::move(t);
      sync = in_call;
    });
    in_call = false;
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    io.restart();
    while (!got && std::chrono::steady_clock::now() < deadline) io.run_one_for(50ms);
    if (synchronous != nullptr) *synchronous = sync;
    EXPECT_TRUE(got) << "no answer for " << text;
    return got.value_or(std::vector<transport::Target>{});
  }

  static ResolverConfig config(std::chrono::milliseconds timeout, int tries) {
    ResolverConfig cfg;
    cfg.timeout = timeout;
    cfg.tries = tries;
    return cfg;
  }

  static std::string str(const std::vector<transport::Target>& targets) {
    std::string s;
    for (const transport::Target& t : targets) {
      if (!s.empty()) s += ", ";
      s += transport::to_string(t.remote);
    }
    return s;
  }

  DnsResponder dns;
  boost::asio::io_context io;
  std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now();
  std::unique_ptr<SipResolver> resolver;
};

TEST_F(DnsSipResolverTest, NumericHostsNeedNoQuery) {
  make();
  bool sync = false;
  EXPECT_EQ(str(resolve("sip:bob@192.0.2.4", false, &sync)), "UDP 192.0.2.4:5060");
  EXPECT_TRUE(sync);
  EXPECT_EQ(str(resolve("sip:bob@192.0.2.4:5070;transport=tcp")), "TCP 192.0.2.4:5070");
  EXPECT_EQ(str(resolve("sips:bob@[2001:db8::1]")), "TLS [2001:db8::1]:5061");
  EXPECT_EQ(str(resolve("sip:bob@192.0.2.4", true)), "TLS 192.0.2.4:5061");
  EXPECT_EQ(str(resolve("sip:bob@example.test;maddr=192.0.2.9")), "UDP 192.0.2.9:5060");
  EXPECT_TRUE(resolve("sip:bob@192.0.2.4;transport=udp", true).empty());  // SIPS cannot go over UDP
  EXPECT_TRUE(resolve("sip:bob@192.0.2.4;transport=sctp").empty());
  EXPECT_EQ(dns.queries(), 0);
  EXPECT_EQ(resolver->queries_sent(), 0u);
}

TEST_F(DnsSipResolverTest, ExplicitPortAsksForAddressesOnly) {
  dns.add_naptr("example.test", 10, 10, "s", "SIP+D2T", "_sip._tcp.example.test");
  dns.add_a("example.test", "127.0.0.7");
  make();
  EXPECT_EQ(str(resolve("sip:bob@example.test:5099")), "UDP 127.0.0.7:5099");
  EXPECT_EQ(str(resolve("sip:bob@EXAMPLE.test:5098;transport=tcp")), "TCP 127.0.0.7:5098");
  EXPECT_EQ(dns.queries("example.test", DnsResponder::kNaptr), 0);
  EXPECT_EQ(dns.queries("example.test", DnsResponder::kA), 1);  // the second from the cache
  EXPECT_EQ(dns.queries(), 1);
}

TEST_F(DnsSipResolverTest, NaptrThenSrvThenAddresses) {
  // RFC 3263 §4.1: NAPTR by order then preference; unsupported services are skipped.
  dns.add_naptr("example.test", 20, 10, "s", "SIP+D2U", "_sip._udp.example.test");
  dns.add_naptr("example.test", 10, 20, "s", "SIP+D2T", "_sip._tcp.example.test");
  dns.add_naptr("example.test", 10, 10, "s", "SIP+D2S", "_sip._sctp.example.test");
  dns.add_srv("_sip._tcp.example.test", 10, 0, 5070, "tcp.example.test");
  dns.add_srv("_sip._udp.example.test", 10, 0, 5080, "udp.example.test");
  dns.add_a("tcp.example.test", "127.0.0.2");
  dns.add_a("udp.example.test", "127.0.0.3");
  make();
  EXPECT_EQ(str(resolve("sip:bob@example.test")), "TCP 127.0.0.2:5070, UDP 127.0.0.3:5080");
  EXPECT_EQ(dns.queries("_sip._sctp.example.test", DnsResponder::kSrv), 0);
}

TEST_F(DnsSipResolverTest, SrvPriorityThenWeight) {
  dns.add_srv("_sip._udp.example.test", 20, 0, 5003, "c.example.test");
  dns.add_srv("_sip._udp.example.test", 10, 90, 5001, "a.example.test");
  dns.add_srv("_sip._udp.example.test", 10, 10, 5002, "b.example.test");
  dns.add_a("a.example.test", "127.0.0.1");
  dns.add_a("b.example.test", "127.0.0.2");
  dns.add_a("c.example.test", "127.0.0.3");
  make({}, LocalTransports{.udp = true, .tcp = false});
  // RFC 2782: priority 10 before 20 always; within 10, a first about 90% of the time.
  int a_first = 0;
  constexpr int kRuns = 400;
  for (int i = 0; i < kRuns; ++i) {
    const std::vector<transport::Target> t = resolve("sip:bob@example.test");
    ASSERT_EQ(t.size(), 3u) << str(t);
    EXPECT_EQ(transport::to_string(t[2].remote), "UDP 127.0.0.3:5003");
    if (t[0].remote.port == 5001) ++a_first;
  }
  EXPECT_GT(a_first, kRuns * 80 / 100);
  EXPECT_LT(a_first, kRuns * 98 / 100);
}

TEST_F(DnsSipResolverTest, SrvWithoutNaptrPerTransport) {
  dns.add_srv("_sip._tcp.example.test", 10, 0, 5070, "host.example.test");
  dns.add_a("host.example.test", "127.0.0.5");
  make();
  EXPECT_EQ(str(resolve("sip:bob@example.test")), "TCP 127.0.0.5:5070");
  EXPECT_EQ(dns.queries("example.test", DnsResponder::kNaptr), 1);
  EXPECT_EQ(dns.queries("_sip._udp.example.test", DnsResponder::kSrv), 1);
  EXPECT_EQ(dns.queries("_sips._tcp.example.test", DnsResponder::kSrv), 0);  // no TLS here
}

TEST_F(DnsSipResolverTest, ExplicitTransportAsksItsSrv) {
  dns.add_srv("_sip._tcp.example.test", 10, 0, 5071, "host.example.test");
  dns.add_a("host.example.test", "127.0.0.5");
  dns.add_a("plain.test", "127.0.0.6");
  make();
  EXPECT_EQ(str(resolve("sip:bob@example.test;transport=tcp")), "TCP 127.0.0.5:5071");
  EXPECT_EQ(dns.queries("example.test", DnsResponder::kNaptr), 0);
  // No SRV: the host's address on the transport's default port (§4.2).
  EXPECT_EQ(str(resolve("sip:bob@plain.test;transport=tcp")), "TCP 127.0.0.6:5060");
}

TEST_F(DnsSipResolverTest, AddressFallbackWithoutSrv) {
  dns.add_a("plain.test", "127.0.0.6");
  dns.add_a("plain.test", "127.0.0.16");
  make();
  EXPECT_EQ(str(resolve("sip:bob@plain.test")), "UDP 127.0.0.6:5060, UDP 127.0.0.16:5060");
}

TEST_F(DnsSipResolverTest, AaaaWhenThisElementHasIpv6) {
  dns.add_a("dual.test", "127.0.0.6");
  dns.add_aaaa("dual.test", "::1");
  make({}, LocalTransports{.ipv6 = true});
  EXPECT_EQ(str(resolve("sip:bob@dual.test")), "UDP 127.0.0.6:5060, UDP [::1]:5060");
  dns.add_aaaa("six.test", "2001:db8::5");
  EXPECT_EQ(str(resolve("sip:bob@six.test:5062")), "UDP [2001:db8::5]:5062");
}

TEST_F(DnsSipResolverTest, CnameIsFollowed) {
  dns.add_cname("alias.test", "real.test");
  dns.add_a("real.test", "127.0.0.8");
  make();
  EXPECT_EQ(str(resolve("sip:bob@alias.test:5060")), "UDP 127.0.0.8:5060");
}

TEST_F(DnsSipResolverTest, SipsTakesTlsOnly) {
  dns.add_naptr("example.test", 10, 10, "s", "SIP+D2U", "_sip._udp.example.test");
  dns.add_naptr("example.test", 20, 10, "s", "SIPS+D2T", "_sips._tcp.example.test");
  dns.add_srv("_sip._udp.example.test", 10, 0, 5060, "host.example.test");
  dns.add_srv("_sips._tcp.example.test", 10, 0, 5061, "host.example.test");
  dns.add_a("host.example.test", "127.0.0.9");
  make({}, LocalTransports{.tls = true});
  EXPECT_EQ(str(resolve("sips:bob@example.test")), "TLS 127.0.0.9:5061");
  EXPECT_EQ(str(resolve("sip:bob@example.test", true)), "TLS 127.0.0.9:5061");
  EXPECT_EQ(str(resolve("sip:bob@example.test")), "UDP 127.0.0.9:5060, TLS 127.0.0.9:5061");
}

TEST_F(DnsSipResolverTest, SipsWithoutTlsHasNoTarget) {
  dns.add_srv("_sip._udp.example.test", 10, 0, 5060, "host.example.test");
  dns.add_a("host.example.test", "127.0.0.9");
  make();  // no TLS socket here
  EXPECT_TRUE(resolve("sips:bob@example.test").empty());
}

TEST_F(DnsSipResolverTest, NxdomainGivesNothingAndIsCachedBriefly) {
  make();
  EXPECT_TRUE(resolve("sip:bob@nowhere.test").empty());
  const int asked = dns.queries();
  EXPECT_GT(asked, 0);
  EXPECT_TRUE(resolve("sip:bob@nowhere.test").empty());
  EXPECT_EQ(dns.queries(), asked);  // negative answers cached
  now += 31s;                       // past the negative TTL (30 s here, the SOA says 60)
  EXPECT_TRUE(resolve("sip:bob@nowhere.test").empty());
  EXPECT_EQ(dns.queries(), 2 * asked);
}

TEST_F(DnsSipResolverTest, ServfailGivesNothing) {
  dns.servfail("broken.test");
  make(config(300ms, 1));
  EXPECT_TRUE(resolve("sip:bob@broken.test").empty());
}

TEST_F(DnsSipResolverTest, TimeoutGivesNothingWithinTheConfiguredTime) {
  dns.drop("silent.test");
  make(config(200ms, 2));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(resolve("sip:bob@silent.test").empty());
  const auto took = std::chrono::steady_clock::now() - start;
  // c-ares waits 200 ms, then 400 ms on the second try.
  EXPECT_GE(took, 200ms);
  EXPECT_LT(took, 1500ms);
  EXPECT_EQ(dns.queries("silent.test", DnsResponder::kNaptr), 2);
  EXPECT_EQ(dns.queries("_sip._udp.silent.test", DnsResponder::kSrv), 0);  // gave up at once
}

TEST_F(DnsSipResolverTest, CacheHitSendsNoQueryAndTtlExpires) {
  dns.add_srv("_sip._udp.example.test", 10, 0, 5070, "host.example.test", 120);
  dns.add_a("host.example.test", "127.0.0.5", 60);
  make({}, LocalTransports{.udp = true, .tcp = false});
  EXPECT_EQ(str(resolve("sip:bob@example.test")), "UDP 127.0.0.5:5070");
  const int first = dns.queries();
  EXPECT_EQ(first, 3);  // NAPTR (none), SRV, A
  bool sync = false;
  EXPECT_EQ(str(resolve("sip:bob@example.test", false, &sync)), "UDP 127.0.0.5:5070");
  EXPECT_TRUE(sync);
  EXPECT_EQ(dns.queries(), first);
  now += 61s;  // the A record's TTL has run out, the SRV's not
  EXPECT_EQ(str(resolve("sip:bob@example.test")), "UDP 127.0.0.5:5070");
  EXPECT_EQ(dns.queries("host.example.test", DnsResponder::kA), 2);
  EXPECT_EQ(dns.queries("_sip._udp.example.test", DnsResponder::kSrv), 1);
}

TEST_F(DnsSipResolverTest, AdditionalRecordsSaveTheAddressQuery) {
  dns.set_additional(true);
  dns.add_srv("_sip._udp.example.test", 10, 0, 5070, "host.example.test");
  dns.add_a("host.example.test", "127.0.0.5");
  make({}, LocalTransports{.udp = true, .tcp = false});
  EXPECT_EQ(str(resolve("sip:bob@example.test")), "UDP 127.0.0.5:5070");
  EXPECT_EQ(dns.queries("host.example.test", DnsResponder::kA), 0);
}

TEST_F(DnsSipResolverTest, ConcurrentLookupsShareOneQuery) {
  dns.add_a("plain.test", "127.0.0.6");
  make();
  sip::Uri uri;
  ASSERT_TRUE(sip::parse_uri("sip:bob@plain.test:5060", uri).empty());
  int answered = 0;
  for (int i = 0; i < 3; ++i)
    resolver->resolve(uri, false, [&](std::vector<transport::Target> t) { answered += t.size() == 1 ? 1 : 100; });
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (answered < 3 && std::chrono::steady_clock::now() < deadline) io.run_one_for(50ms);
  EXPECT_EQ(answered, 3);
  EXPECT_EQ(dns.queries("plain.test", DnsResponder::kA), 1);
}

TEST_F(DnsSipResolverTest, DestroyedWithQueriesOutCallsNothing) {
  dns.drop("silent.test");
  make();
  sip::Uri uri;
  ASSERT_TRUE(sip::parse_uri("sip:bob@silent.test", uri).empty());
  bool called = false;
  resolver->resolve(uri, false, [&](std::vector<transport::Target>) { called = true; });
  io.run_for(50ms);
  resolver.reset();
  io.run_for(50ms);
  EXPECT_FALSE(called);
}

TEST_F(DnsSipResolverTest, BadServerAddressIsRefused) {
  ResolverConfig cfg;
  cfg.servers = {"not an address"};
  std::string error;
  EXPECT_FALSE(SipResolver::create(io, cfg, error));
  EXPECT_FALSE(error.empty());
}

}  // namespace
}  // namespace trapezoid::dns
