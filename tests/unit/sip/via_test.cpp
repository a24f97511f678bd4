#include "sip/via.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace trapezoid::sip {
namespace {

constexpr std::string_view kMalformed = "Malformed Via";

bool parses(std::string_view text) {
  Via v;
  return parse_via(text, v).empty();
}

// RFC 3261 §20.42 example.
TEST(Via, ParsesTheBasicForm) {
  Via v;
  ASSERT_EQ(parse_via("SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds", v), "");
  EXPECT_EQ(v.protocol_name, "SIP");
  EXPECT_EQ(v.protocol_version, "2.0");
  EXPECT_EQ(v.transport, "UDP");
  EXPECT_EQ(v.host, "pc33.atlanta.com");
  EXPECT_EQ(v.host_kind, HostKind::kHostname);
  EXPECT_FALSE(v.has_port);
  EXPECT_EQ(v.port, 0);
  EXPECT_EQ(v.branch, "z9hG4bK776asdhds");
  EXPECT_TRUE(v.has_magic_cookie());
  EXPECT_EQ(v.received, "");
  EXPECT_EQ(v.maddr, "");
  EXPECT_EQ(v.ttl, -1);
  EXPECT_FALSE(v.rport);
  EXPECT_EQ(v.rport_value, -1);
  EXPECT_EQ(v.params.raw(), "branch=z9hG4bK776asdhds");
}

TEST(Via, ParsesPortAndIpv4SentBy) {
  Via v;
  ASSERT_EQ(parse_via("SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK1", v), "");
  EXPECT_EQ(v.transport, "TCP");
  EXPECT_EQ(v.host, "192.0.2.1");
  EXPECT_EQ(v.host_kind, HostKind::kIPv4);
  EXPECT_TRUE(v.has_port);
  EXPECT_EQ(v.port, 5060);
}

TEST(Via, ParsesWithoutParameters) {
  Via v;
  ASSERT_EQ(parse_via("SIP/2.0/UDP erlang.bell-telephone.com:5060", v), "");
  EXPECT_EQ(v.port, 5060);
  EXPECT_TRUE(v.params.empty());
  EXPECT_EQ(v.branch, "");
  EXPECT_FALSE(v.has_magic_cookie());
}

// §18.2.1 / RFC 3261's port = 1*DIGIT: 0 and 65535 are the bounds of a 16-bit port.
TEST(Via, PortBounds) {
  Via v;
  ASSERT_EQ(parse_via("SIP/2.0/UDP h:0", v), "");
  EXPECT_TRUE(v.has_port);
  EXPECT_EQ(v.port, 0);
  ASSERT_EQ(parse_via("SIP/2.0/UDP h:65535", v), "");
  EXPECT_EQ(v.port, 65535);
  ASSERT_EQ(parse_via("SIP/2.0/UDP h:0005060", v), "");  // port = 1*DIGIT
  EXPECT_EQ(v.port, 5060);
  EXPECT_EQ(parse_via("SIP/2.0/UDP h:65536", v), kMalformed);
  EXPECT_EQ(parse_via("SIP/2.0/UDP h:", v), kMalformed);
  EXPECT_EQ(parse_via("SIP/2.0/UDP h:;branch=z9hG4bK1", v), kMalformed);
  EXPECT_EQ(parse_via("SIP/2.0/UDP h:50a60", v), kMalformed);
  EXPECT_EQ(parse_via("SIP/2.0/UDP h:5060:5061", v), kMalformed);
}

// sent-by = host [ COLON port ], COLON = SWS ":" SWS.
TEST(Via, AllowsLwsAroundThePortColon) {
  Via v;
  ASSERT_EQ(parse_via("SIP/2.0/UDP host.example.com : 5070 ;branch=z9hG4bK1", v), "");
  EXPECT_EQ(v.host, "host.example.com");
  EXPECT_EQ(v.port, 5070);
  EXPECT_EQ(v.branch, "z9hG4bK1");
}

// RFC 4475 §3.1.1.1 (wsinv): SLASH = SWS "/" SWS, and LWS may be folded.
TEST(Via, SentProtocolToleratesLwsAndFolds) {
  Via v;
  ASSERT_EQ(parse_via("SIP  /   2.0\r\n /UDP\r\n    192.0.2.2;branch=390skdjuw", v), "");
  EXPECT_EQ(v.protocol_name, "SIP");
  EXPECT_EQ(v.protocol_version, "2.0");
  EXPECT_EQ(v.transport, "UDP");
  EXPECT_EQ(v.host, "192.0.2.2");
  EXPECT_EQ(v.branch, "390skdjuw");
  EXPECT_FALSE(v.has_magic_cookie());

  ASSERT_EQ(parse_via("SIP  / 2.0  / TCP     spindle.example.com   ;\r\n  branch  =   z9hG4bK9ikj8", v), "");
  EXPECT_EQ(v.transport, "TCP");
  EXPECT_EQ(v.host, "spindle.example.com");
  EXPECT_EQ(v.branch, "z9hG4bK9ikj8");

  ASSERT_EQ(parse_via(" SIP  /    2.0   / UDP  192.168.255.111   ; branch=\r\n z9hG4bK30239", v), "");
  EXPECT_EQ(v.host, "192.168.255.111");
  EXPECT_EQ(v.branch, "z9hG4bK30239");
}

TEST(Via, SentProtocolToleratesTabs) {
  Via v;
  ASSERT_EQ(parse_via("SIP\t/\t2.0\t/\tUDP\t192.0.2.1\t;\tbranch\t=\tz9hG4bK1\t", v), "");
  EXPECT_EQ(v.host, "192.0.2.1");
  EXPECT_EQ(v.branch, "z9hG4bK1");
}

// RFC 4475 §3.1.1.10 (transports): other transports are tokens the parser keeps.
TEST(Via, KeepsUnknownTransportsAndProtocols) {
  Via v;
  ASSERT_EQ(parse_via("SIP/2.0/SCTP t.example.com;branch=z9hG4bKkdjuw", v), "");
  EXPECT_EQ(v.transport, "SCTP");
  ASSERT_EQ(parse_via("SIP/2.0/TLS t.example.com;branch=z9hG4bKkdjuw", v), "");
  EXPECT_EQ(v.transport, "TLS");
  ASSERT_EQ(parse_via("SIP/2.0/UNKNOWN t.example.com;branch=z9hG4bKkdjuw", v), "");
  EXPECT_EQ(v.transport, "UNKNOWN");
  ASSERT_EQ(parse_via("FOO/3.1/WS t.example.com", v), "");
  EXPECT_EQ(v.protocol_name, "FOO");
  EXPECT_EQ(v.protocol_version, "3.1");
  EXPECT_EQ(v.transport, "WS");
}

TEST(Via, RejectsBrokenSentProtocol) {
  for (std::string_view bad : {"", "   ", "SIP/2.0", "SIP/2.0/", "SIP/2.0/UDP", "SIP/2.0/UDP ",
                               "SIP 2.0 UDP host", "SIP//UDP host", "/2.0/UDP host",
                               "SIP/2.0/UDPhost", "SIP/2.0/UDP/ host", "SIP/2.0 /UDP\r\n",
                               "\"SIP\"/2.0/UDP host"}) {
    EXPECT_FALSE(parses(bad)) << '"' << bad << '"';
  }
}

// RFC 5118 §4.5: an IPv6 sent-by is an IPv6reference, with its port outside the brackets.
TEST(Via, ParsesIpv6SentByWithPort) {
  Via v;
  ASSERT_EQ(parse_via("SIP/2.0/UDP [2001:db8::9:1]:5060;branch=z9hG4bKas3-111", v), "");
  EXPECT_EQ(v.host, "[2001:db8::9:1]");
  EXPECT_EQ(v.host_kind, HostKind::kIPv6);
  EXPECT_TRUE(v.has_port);
  EXPECT_EQ(v.port, 5060);
  ASSERT_EQ(parse_via("SIP/2.0/UDP [::1];branch=z9hG4bK1", v), "");
  EXPECT_EQ(v.host, "[::1]");
  EXPECT_FALSE(v.has_port);
  ASSERT_EQ(parse_via("SIP/2.0/UDP [::]", v), "");
  EXPECT_EQ(v.host, "[::]");
}

TEST(Via, RejectsBrokenIpv6SentBy) {
  for (std::string_view bad : {"SIP/2.0/UDP [2001:db8::9:1", "SIP/2.0/UDP [2001:db8::9:1;branch=x",
                               "SIP/2.0/UDP 2001:db8::9:1", "SIP/2.0/UDP [2001:db8::9:1]5060",
                               "SIP/2.0/UDP [1:2:3:4:5:6:7:8:9]", "SIP/2.0/UDP []",
                               "SIP/2.0/UDP [2001:db8::9:1 ]", "SIP/2.0/UDP [atlanta.com]"}) {
    EXPECT_FALSE(parses(bad)) << '"' << bad << '"';
  }
}

// RFC 5118 §4.10 tolerance reaches the Via through classify_host.
TEST(Via, ToleratesThreeColonsBeforeEmbeddedIpv4) {
  Via v;
  ASSERT_EQ(parse_via("SIP/2.0/UDP [2001:db8:::192.0.2.1]:5060", v), "");
  EXPECT_EQ(v.host_kind, HostKind::kIPv6);
}

TEST(Via, RejectsMissingOrInvalidHost) {
  for (std::string_view bad :
       {"SIP/2.0/UDP ;branch=z9hG4bK1", "SIP/2.0/UDP :5060", "SIP/2.0/UDP\r\n ;branch=z9hG4bK1",
        "SIP/2.0/UDP a..b", "SIP/2.0/UDP -a.com", "SIP/2.0/UDP 256.1.1.1",
        "SIP/2.0/UDP 1.2.3", "SIP/2.0/UDP host_name.com", "SIP/2.0/UDP h\xC3\xA9.com",
        "SIP/2.0/UDP sip:host.com"}) {
    EXPECT_FALSE(parses(bad)) << '"' << bad << '"';
  }
}

TEST(Via, AcceptsHostnameWithTrailingDot) {
  Via v;
  ASSERT_EQ(parse_via("SIP/2.0/UDP atlanta.com.:5060", v), "");
  EXPECT_EQ(v.host, "atlanta.com.");
  EXPECT_EQ(v.port, 5060);
}

// via-params: branch, received, maddr, ttl (§20.42, §25.1) and rport (RFC 3581).
TEST(Via, ReadsAllKnownParameters) {
  Via v;
  ASSERT_EQ(parse_via("SIP/2.0/UDP 192.0.2.1:5060;received=192.0.2.207;rport=5061;"
                      "maddr=224.2.0.1;ttl=16;branch=z9hG4bK87asdks7;x-ext=1",
                      v),
            "");
  EXPECT_EQ(v.received, "192.0.2.207");
  EXPECT_TRUE(v.rport);
  EXPECT_EQ(v.rport_value, 5061);
  EXPECT_EQ(v.maddr, "224.2.0.1");
  EXPECT_EQ(v.ttl, 16);
  EXPECT_EQ(v.branch, "z9hG4bK87asdks7");
  EXPECT_EQ(v.params.get("x-ext"), "1");
}

TEST(Via, ParameterNamesAreCaseInsensitive) {
  Via v;
  ASSERT_EQ(parse_via("SIP/2.0/UDP h;BRANCH=z9hG4bK1;Received=192.0.2.1;RPort;TTL=1;MADDR=h2", v), "");
  EXPECT_EQ(v.branch, "z9hG4bK1");
  EXPECT_EQ(v.received, "192.0.2.1");
  EXPECT_TRUE(v.rport);
  EXPECT_EQ(v.ttl, 1);
  EXPECT_EQ(v.maddr, "h2");
}

// RFC 3261 §8.1.1.7: the magic cookie is compared as written.
TEST(Via, MagicCookieIsCaseSensitive) {
  Via v;
  ASSERT_EQ(parse_via("SIP/2.0/UDP h;branch=Z9HG4BK1", v), "");
  EXPECT_FALSE(v.has_magic_cookie());
  ASSERT_EQ(parse_via("SIP/2.0/UDP h;branch=z9hG4bK", v), "");
  EXPECT_TRUE(v.has_magic_cookie());  // RFC 4475 §3.2.1 badbranch: parses, cookie only
  ASSERT_EQ(parse_via("SIP/2.0/UDP h;branch=z9hG4b", v), "");
  EXPECT_FALSE(v.has_magic_cookie());
}

// via-branch = "branch" EQUAL token.
TEST(Via, RejectsBadBranch) {
  EXPECT_FALSE(parses("SIP/2.0/UDP h;branch"));
  EXPECT_FALSE(parses("SIP/2.0/UDP h;branch="));
  EXPECT_FALSE(parses("SIP/2.0/UDP h;branch=\"z9hG4bK1\""));
  EXPECT_FALSE(parses("SIP/2.0/UDP h;branch=[::1]"));
  EXPECT_FALSE(parses("SIP/2.0/UDP h;branch=a:b"));
}

// RFC 3581 §3: response-port = "rport" [EQUAL 1*DIGIT]; a request carries it empty.
TEST(Via, RportWithAndWithoutValue) {
  Via v;
  ASSERT_EQ(parse_via("SIP/2.0/UDP h;rport;branch=z9hG4bK1", v), "");
  EXPECT_TRUE(v.rport);
  EXPECT_EQ(v.rport_value, -1);
  ASSERT_EQ(parse_via("SIP/2.0/UDP h;rport=0", v), "");
  EXPECT_EQ(v.rport_value, 0);
  ASSERT_EQ(parse_via("SIP/2.0/UDP h;rport=65535", v), "");
  EXPECT_EQ(v.rport_value, 65535);
  ASSERT_EQ(parse_via("SIP/2.0/UDP h;rport = 5060", v), "");
  EXPECT_EQ(v.rport_value, 5060);
}

TEST(Via, RejectsBadRport) {
  EXPECT_FALSE(parses("SIP/2.0/UDP h;rport=65536"));
  EXPECT_FALSE(parses("SIP/2.0/UDP h;rport=-1"));
  EXPECT_FALSE(parses("SIP/2.0/UDP h;rport=abc"));
  EXPECT_FALSE(parses("SIP/2.0/UDP h;rport="));
  EXPECT_FALSE(parses("SIP/2.0/UDP h;rport=\"5060\""));
}

// via-ttl = "ttl" EQUAL ttl; ttl = 1*3DIGIT ; 0 to 255 (§25.1).
TEST(Via, TtlBounds) {
  Via v;
  ASSERT_EQ(parse_via("SIP/2.0/UDP h;ttl=0", v), "");
  EXPECT_EQ(v.ttl, 0);
  ASSERT_EQ(parse_via("SIP/2.0/UDP h;ttl=255", v), "");
  EXPECT_EQ(v.ttl, 255);
  ASSERT_EQ(parse_via("SIP/2.0/UDP h;ttl=007", v), "");
  EXPECT_EQ(v.ttl, 7);
}

TEST(Via, RejectsBadTtl) {
  for (std::string_view bad : {"SIP/2.0/UDP h;ttl=256", "SIP/2.0/UDP h;ttl=-1", "SIP/2.0/UDP h;ttl=",
                               "SIP/2.0/UDP h;ttl", "SIP/2.0/UDP h;ttl=1a", "SIP/2.0/UDP h;ttl=99999",
                               "SIP/2.0/UDP h;ttl=\"1\"", "SIP/2.0/UDP h;ttl=1.5"}) {
    EXPECT_FALSE(parses(bad)) << bad;
  }
}

// ttl = 1*3DIGIT: four digits are too many even when the value is small.
TEST(Via, RejectsTtlWithMoreThanThreeDigits) {
  EXPECT_FALSE(parses("SIP/2.0/UDP h;ttl=0255"));
  EXPECT_FALSE(parses("SIP/2.0/UDP h;ttl=0001"));
}

// via-received = "received" EQUAL (IPv4address / IPv6address); RFC 5118 §4.5 shows both the
// bare and the bracketed IPv6 form and asks receivers to accept them.
TEST(Via, ReceivedForms) {
  Via v;
  ASSERT_EQ(parse_via("SIP/2.0/UDP h;received=192.0.2.1", v), "");
  EXPECT_EQ(v.received, "192.0.2.1");
  ASSERT_EQ(parse_via("SIP/2.0/UDP [2001:db8::9:1];received=2001:db8::9:255;branch=z9hG4bK1", v), "");
  EXPECT_EQ(v.received, "2001:db8::9:255");
  ASSERT_EQ(parse_via("SIP/2.0/UDP [2001:db8::9:1];received=[2001:db8::9:255];branch=z9hG4bK1", v), "");
  EXPECT_EQ(v.received, "[2001:db8::9:255]");
  ASSERT_EQ(parse_via("SIP/2.0/UDP h;received=::1", v), "");
  EXPECT_EQ(v.received, "::1");
  ASSERT_EQ(parse_via("SIP/2.0/UDP h;received=::ffff:192.0.2.1", v), "");
}

TEST(Via, RejectsBadReceived) {
  for (std::string_view bad :
       {"SIP/2.0/UDP h;received", "SIP/2.0/UDP h;received=", "SIP/2.0/UDP h;received=256.0.0.1",
        "SIP/2.0/UDP h;received=1.2.3", "SIP/2.0/UDP h;received=[::1", "SIP/2.0/UDP h;received=:::1",
        "SIP/2.0/UDP h;received=\"192.0.2.1\"", "SIP/2.0/UDP h;received=a..b"}) {
    EXPECT_FALSE(parses(bad)) << bad;
  }
}

// via-maddr = "maddr" EQUAL host.
TEST(Via, MaddrIsAnyHost) {
  Via v;
  ASSERT_EQ(parse_via("SIP/2.0/UDP h;maddr=239.255.255.1", v), "");
  EXPECT_EQ(v.maddr, "239.255.255.1");
  ASSERT_EQ(parse_via("SIP/2.0/UDP h;maddr=[ff02::1]", v), "");
  EXPECT_EQ(v.maddr, "[ff02::1]");
  ASSERT_EQ(parse_via("SIP/2.0/UDP h;maddr=mcast.example.com", v), "");
  EXPECT_EQ(v.maddr, "mcast.example.com");
  EXPECT_FALSE(parses("SIP/2.0/UDP h;maddr"));
  EXPECT_FALSE(parses("SIP/2.0/UDP h;maddr=ff02::1"));
  EXPECT_FALSE(parses("SIP/2.0/UDP h;maddr=a_b"));
}

// RFC 4475 §3.1.2.1 (badinv01): "Via: SIP/2.0/UDP 192.0.2.15;;,;,," has empty parameters.
TEST(Via, RejectsEmptyParameters) {
  for (std::string_view bad : {"SIP/2.0/UDP 192.0.2.15;;", "SIP/2.0/UDP 192.0.2.15;",
                               "SIP/2.0/UDP 192.0.2.15;branch=z9hG4bK1;", "SIP/2.0/UDP h;;branch=z9hG4bK1",
                               "SIP/2.0/UDP h;=x", "SIP/2.0/UDP h; ;"}) {
    EXPECT_FALSE(parses(bad)) << '"' << bad << '"';
  }
}

TEST(Via, RejectsJunkAfterTheParameters) {
  for (std::string_view bad :
       {"SIP/2.0/UDP h;branch=z9hG4bK1 junk", "SIP/2.0/UDP h junk", "SIP/2.0/UDP h;branch=z9hG4bK1,",
        "SIP/2.0/UDP h;branch=z9hG4bK1, SIP/2.0/UDP h2", "SIP/2.0/UDP h:5060 x",
        "SIP/2.0/UDP h;branch=z9hG4bK1\"", "SIP/2.0/UDP h;a=b c=d"}) {
    EXPECT_FALSE(parses(bad)) << '"' << bad << '"';
  }
}

TEST(Via, AllowsTrailingLws) {
  Via v;
  ASSERT_EQ(parse_via("  SIP/2.0/UDP h;branch=z9hG4bK1  \r\n ", v), "");
  EXPECT_EQ(v.branch, "z9hG4bK1");
}

TEST(Via, ExtensionParametersMayBeQuotedOrFlags) {
  Via v;
  ASSERT_EQ(parse_via(R"(SIP/2.0/UDP h;branch=z9hG4bK1;comp=sigcomp;x="a b;c";flag)", v), "");
  EXPECT_EQ(v.params.get("comp"), "sigcomp");
  EXPECT_EQ(v.params.get("x"), R"("a b;c")");
  EXPECT_TRUE(v.params.has("flag"));
}

TEST(Via, ResetsTheOutputOnEachCall) {
  Via v;
  ASSERT_EQ(parse_via("SIP/2.0/UDP h:5060;branch=z9hG4bK1;ttl=3;rport=9;received=192.0.2.1", v), "");
  ASSERT_EQ(parse_via("SIP/2.0/UDP g", v), "");
  EXPECT_EQ(v.host, "g");
  EXPECT_FALSE(v.has_port);
  EXPECT_EQ(v.branch, "");
  EXPECT_EQ(v.ttl, -1);
  EXPECT_FALSE(v.rport);
  EXPECT_EQ(v.rport_value, -1);
  EXPECT_EQ(v.received, "");
}

}  // namespace
}  // namespace trapezoid::sip
