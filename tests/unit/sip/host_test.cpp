#include "sip/host.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace trapezoid::sip {
namespace {

// --- IPv4 ------------------------------------------------------------------------------------
// RFC 3261 §25.1: IPv4address = 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT

TEST(Host, Ipv4AcceptsTheWholeRange) {
  EXPECT_TRUE(is_ipv4_address("0.0.0.0"));
  EXPECT_TRUE(is_ipv4_address("255.255.255.255"));
  EXPECT_TRUE(is_ipv4_address("192.0.2.1"));
  EXPECT_TRUE(is_ipv4_address("1.2.3.4"));
}

// The grammar counts digits (1*3DIGIT), so a leading zero is allowed as long as a part has at
// most three digits; RFC 3986's dec-octet would refuse "01", RFC 3261's grammar does not.
TEST(Host, Ipv4AllowsLeadingZerosWithinThreeDigits) {
  EXPECT_TRUE(is_ipv4_address("01.2.3.4"));
  EXPECT_TRUE(is_ipv4_address("001.002.003.004"));
  EXPECT_FALSE(is_ipv4_address("0001.2.3.4"));
}

TEST(Host, Ipv4RejectsOutOfRangeParts) {
  EXPECT_FALSE(is_ipv4_address("256.1.1.1"));
  EXPECT_FALSE(is_ipv4_address("1.1.1.256"));
  EXPECT_FALSE(is_ipv4_address("999.1.1.1"));
  EXPECT_FALSE(is_ipv4_address("1234.1.1.1"));
}

TEST(Host, Ipv4RejectsWrongShapes) {
  for (std::string_view bad : {"", "1.2.3", "1.2.3.4.5", "1.2.3.", ".1.2.3", "1..2.3", "1.2.3.4.",
                               "a.b.c.d", "1.2.3.4a", "1.2.3.-4", "1.2.3.+4", " 1.2.3.4",
                               "1.2.3.4 ", "1,2,3,4", "1.2.3.4:5060", "1"}) {
    EXPECT_FALSE(is_ipv4_address(bad)) << '"' << bad << '"';
  }
}

// --- IPv6 ------------------------------------------------------------------------------------
// RFC 3261 §25.1 IPv6address, with the counting rules of RFC 4291 §2.2.

TEST(Host, Ipv6AcceptsFullAndCompressedForms) {
  for (std::string_view good :
       {"::", "::1", "1::", "1::2", "2001:db8::9:1", "2001:DB8:0:0:8:800:200C:417A",
        "2001:db8:0:0:0:0:0:1", "fe80::1:2:3:4:5:6", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8",
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "0:0:0:0:0:0:0:0", "abcd::ef"}) {
    EXPECT_TRUE(is_ipv6_address(good)) << good;
  }
}

TEST(Host, Ipv6AcceptsAnEmbeddedIpv4Tail) {
  EXPECT_TRUE(is_ipv6_address("::ffff:192.0.2.1"));
  EXPECT_TRUE(is_ipv6_address("::192.0.2.1"));
  EXPECT_TRUE(is_ipv6_address("2001:db8::192.0.2.1"));
  EXPECT_TRUE(is_ipv6_address("1:2:3:4:5:6:192.0.2.1"));
  EXPECT_TRUE(is_ipv6_address("1:2:3:4:5::192.0.2.1"));
}

TEST(Host, Ipv6RejectsBadEmbeddedIpv4) {
  EXPECT_FALSE(is_ipv6_address("::ffff:256.0.2.1"));
  EXPECT_FALSE(is_ipv6_address("::ffff:1.2.3"));
  EXPECT_FALSE(is_ipv6_address("1:2:3:4:5:6:7:192.0.2.1"));  // 9 groups' worth
  EXPECT_FALSE(is_ipv6_address("1:2:3:4:5:6:7::192.0.2.1"));
  EXPECT_FALSE(is_ipv6_address("192.0.2.1::1"));            // IPv4 only at the end
  EXPECT_FALSE(is_ipv6_address("::192.0.2.1:1"));
  EXPECT_FALSE(is_ipv6_address("1:2:3:4:5:6:192.0.2.1.5"));
}

TEST(Host, Ipv6RejectsTooManyOrTooFewGroups) {
  EXPECT_FALSE(is_ipv6_address("1:2:3:4:5:6:7:8:9"));
  EXPECT_FALSE(is_ipv6_address("1:2:3:4:5:6:7"));
  // "::" stands for at least one group of zeros (RFC 4291 §2.2), so eight more is too many.
  EXPECT_FALSE(is_ipv6_address("1::2:3:4:5:6:7:8"));
  EXPECT_FALSE(is_ipv6_address("1:2:3:4:5:6:7:8::"));
  EXPECT_FALSE(is_ipv6_address("::1:2:3:4:5:6:7:8"));
}

TEST(Host, Ipv6RejectsMalformedText) {
  for (std::string_view bad :
       {"", ":", "1", "12", ":1", "1:", "::1:", ":::", "1:::2", "::1::", "1::2::3", "12345::",
        "::12345", "g::1", "1:2:3:4:5:6:7:8:", ":1:2:3:4:5:6:7:8", "[::1]", "::1%eth0",
        "1 ::2", "1:-2::"}) {
    EXPECT_FALSE(is_ipv6_address(bad)) << '"' << bad << '"';
  }
}

// --- Host names --------------------------------------------------------------------------------
// hostname = *( domainlabel "." ) toplabel [ "." ]
// domainlabel = alphanum / alphanum *( alphanum / "-" ) alphanum
// toplabel = ALPHA / ALPHA *( alphanum / "-" ) alphanum

TEST(Host, HostnameAcceptsTheGrammarForms) {
  for (std::string_view good : {"atlanta.com", "a", "com", "pc33.atlanta.com", "a-b.c-d", "1a.com",
                                "123.example", "x1", "A.B.C", "chair-dnrc.example.com"}) {
    EXPECT_TRUE(is_hostname(good)) << good;
  }
}

TEST(Host, HostnameMayEndWithADot) {
  EXPECT_TRUE(is_hostname("atlanta.com."));
  EXPECT_TRUE(is_hostname("com."));
  EXPECT_FALSE(is_hostname("atlanta.com.."));
  EXPECT_FALSE(is_hostname("."));
  EXPECT_FALSE(is_hostname(".."));
}

TEST(Host, HostnameLabelsCannotStartOrEndWithAHyphen) {
  EXPECT_FALSE(is_hostname("-a.com"));
  EXPECT_FALSE(is_hostname("a-.com"));
  EXPECT_FALSE(is_hostname("a.-com"));
  EXPECT_FALSE(is_hostname("a.com-"));
  EXPECT_FALSE(is_hostname("-"));
  EXPECT_TRUE(is_hostname("a--b.com"));
}

TEST(Host, HostnameToplabelStartsWithALetter) {
  EXPECT_FALSE(is_hostname("example.1com"));
  EXPECT_FALSE(is_hostname("1.2.3.4"));
  EXPECT_FALSE(is_hostname("1.2.3.999"));
  EXPECT_FALSE(is_hostname("12345"));
  EXPECT_TRUE(is_hostname("example.c1m"));
}

TEST(Host, HostnameRejectsEmptyLabelsAndOtherCharacters) {
  for (std::string_view bad : {"", "a..b", ".a", "a_b.com", "a b.com", "a.com:5060", "a;b",
                               "caf\xC3\xA9.example", "a@b", "[a]", "a/b"}) {
    EXPECT_FALSE(is_hostname(bad)) << '"' << bad << '"';
  }
}

// A DNS label holds at most 63 octets (RFC 1035 §2.3.4).
TEST(Host, HostnameLabelsAreAtMost63Characters) {
  const std::string l63 = "a" + std::string(61, 'b') + "c";
  const std::string l64 = "a" + std::string(62, 'b') + "c";
  ASSERT_EQ(l63.size(), 63u);
  ASSERT_EQ(l64.size(), 64u);
  EXPECT_TRUE(is_hostname(l63 + ".com"));
  EXPECT_TRUE(is_hostname("www." + l63));
  EXPECT_TRUE(is_hostname("www." + l63 + "."));
  EXPECT_FALSE(is_hostname(l64 + ".com"));
  EXPECT_FALSE(is_hostname("www." + l64));
  EXPECT_FALSE(is_hostname("www." + l64 + "."));
}

// --- classify_host -----------------------------------------------------------------------------

TEST(Host, ClassifiesIpv4Addresses) {
  EXPECT_EQ(classify_host("0.0.0.0"), HostKind::kIPv4);
  EXPECT_EQ(classify_host("255.255.255.255"), HostKind::kIPv4);
  EXPECT_EQ(classify_host("01.2.3.4"), HostKind::kIPv4);
  EXPECT_EQ(classify_host("192.0.2.1"), HostKind::kIPv4);
}

// A dotted number that is not an address is not a host name either: its toplabel is a digit.
TEST(Host, NumericNonAddressesAreNone) {
  EXPECT_EQ(classify_host("256.1.1.1"), HostKind::kNone);
  EXPECT_EQ(classify_host("1.2.3"), HostKind::kNone);
  EXPECT_EQ(classify_host("1.2.3.4.5"), HostKind::kNone);
  EXPECT_EQ(classify_host("1.2.3.4."), HostKind::kNone);
  EXPECT_EQ(classify_host("0001.2.3.4"), HostKind::kNone);
  EXPECT_EQ(classify_host("12345"), HostKind::kNone);
}

TEST(Host, ClassifiesHostnames) {
  EXPECT_EQ(classify_host("atlanta.com"), HostKind::kHostname);
  EXPECT_EQ(classify_host("atlanta.com."), HostKind::kHostname);
  EXPECT_EQ(classify_host("1a.example.com"), HostKind::kHostname);
  EXPECT_EQ(classify_host("localhost"), HostKind::kHostname);
  EXPECT_EQ(classify_host("a..b"), HostKind::kNone);
  EXPECT_EQ(classify_host("-a.com"), HostKind::kNone);
  EXPECT_EQ(classify_host("a-.com"), HostKind::kNone);
  EXPECT_EQ(classify_host(""), HostKind::kNone);
}

// IPv6reference = "[" IPv6address "]" (§25.1): in a host, IPv6 is always bracketed.
TEST(Host, ClassifiesBracketedIpv6References) {
  EXPECT_EQ(classify_host("[::]"), HostKind::kIPv6);
  EXPECT_EQ(classify_host("[::1]"), HostKind::kIPv6);
  EXPECT_EQ(classify_host("[1::]"), HostKind::kIPv6);
  EXPECT_EQ(classify_host("[2001:db8::10]"), HostKind::kIPv6);
  EXPECT_EQ(classify_host("[::ffff:192.0.2.1]"), HostKind::kIPv6);
  EXPECT_EQ(classify_host("[2001:db8::192.0.2.1]"), HostKind::kIPv6);
}

TEST(Host, RejectsUnbracketedOrBrokenIpv6References) {
  EXPECT_EQ(classify_host("::1"), HostKind::kNone);
  EXPECT_EQ(classify_host("2001:db8::10"), HostKind::kNone);
  EXPECT_EQ(classify_host("[]"), HostKind::kNone);
  EXPECT_EQ(classify_host("[:]"), HostKind::kNone);
  EXPECT_EQ(classify_host("[::1"), HostKind::kNone);
  EXPECT_EQ(classify_host("::1]"), HostKind::kNone);
  EXPECT_EQ(classify_host("[::1]]"), HostKind::kNone);
  EXPECT_EQ(classify_host("[[::1]]"), HostKind::kNone);
  EXPECT_EQ(classify_host("[1:2:3:4:5:6:7:8:9]"), HostKind::kNone);
  EXPECT_EQ(classify_host("[192.0.2.1]"), HostKind::kNone);
  EXPECT_EQ(classify_host("[atlanta.com]"), HostKind::kNone);
  EXPECT_EQ(classify_host("[::1]:5060"), HostKind::kNone);
}

// RFC 5118 §4.10: RFC 3261's ABNF admits "2001:db8:::192.0.2.1"; receivers should tolerate
// it as "::" before an embedded IPv4 address.
TEST(Host, ToleratesThreeColonsBeforeAnEmbeddedIpv4Address) {
  EXPECT_EQ(classify_host("[2001:db8:::192.0.2.1]"), HostKind::kIPv6);
  EXPECT_EQ(classify_host("[:::192.0.2.1]"), HostKind::kIPv6);
  EXPECT_EQ(classify_host("[::ffff:::192.0.2.1]"), HostKind::kNone);  // two "::" once repaired
  // The raw IPv6address check stays strict; only classify_host repairs.
  EXPECT_FALSE(is_ipv6_address("2001:db8:::192.0.2.1"));
}

TEST(Host, ThreeColonToleranceIsOnlyForEmbeddedIpv4) {
  EXPECT_EQ(classify_host("[:::]"), HostKind::kNone);
  EXPECT_EQ(classify_host("[2001:db8:::1]"), HostKind::kNone);
  EXPECT_EQ(classify_host("[1:::2:3]"), HostKind::kNone);
  EXPECT_EQ(classify_host("[::::192.0.2.1]"), HostKind::kNone);
  EXPECT_EQ(classify_host("[2001:::db8:::192.0.2.1]"), HostKind::kNone);
}

TEST(Host, ThreeColonToleranceHandlesLongInput) {
  // Longer than any address: must be rejected without overrunning a fixed buffer.
  const std::string long_addr = "[" + std::string(70, '1') + ":::192.0.2.1]";
  EXPECT_EQ(classify_host(long_addr), HostKind::kNone);
}

// --- scan_host -------------------------------------------------------------------------------

// On a string that is exactly one host, scanning it agrees with classify_host.
TEST(Host, ScanHostAgreesWithClassifyHostOnWholeHosts) {
  const std::string l63 = "a" + std::string(61, 'b') + "c";
  const std::string l64 = l63 + "d";
  for (const std::string& h :
       {std::string("atlanta.com"), std::string("atlanta.com."), std::string("a"), std::string("1a.example.com"),
        std::string("0.0.0.0"), std::string("255.255.255.255"), std::string("01.2.3.4"), std::string("[::1]"),
        std::string("[2001:db8::10]"), std::string("[2001:db8:::192.0.2.1]"), std::string("256.1.1.1"),
        std::string("1.2.3"), std::string("1.2.3.4."), std::string("0001.2.3.4"), std::string("12345"),
        std::string("a..b"), std::string("-a.com"), std::string("a-.com"), std::string("a.-b"), std::string("."),
        std::string("a.."), std::string("example.1com"), std::string("1.2.3.4a"), std::string("[]"),
        std::string("[:::]"), l63 + ".com", l64 + ".com", "www." + l63 + ".", "www." + l64 + "."}) {
    HostKind kind = HostKind::kIPv4;
    const std::size_t n = scan_host(h, kind);
    const HostKind expected = classify_host(h);
    EXPECT_EQ(kind, expected) << h;
    EXPECT_EQ(n, expected == HostKind::kNone ? 0u : h.size()) << h;
  }
}

TEST(Host, ScanHostStopsAtTheFirstCharacterAfterTheHost) {
  struct Case {
    std::string_view text;
    std::size_t length;
    HostKind kind;
  };
  for (const Case& c : {Case{"atlanta.com:5060", 11, HostKind::kHostname},
                        Case{"192.0.2.1;branch=z9hG4bK1", 9, HostKind::kIPv4},
                        Case{"[2001:db8::9:1]:5060", 15, HostKind::kIPv6},
                        Case{"host.example.com ;x", 16, HostKind::kHostname},
                        Case{"a.b.:5060", 4, HostKind::kHostname}, Case{"h,next", 1, HostKind::kHostname}}) {
    HostKind kind = HostKind::kNone;
    EXPECT_EQ(scan_host(c.text, kind), c.length) << c.text;
    EXPECT_EQ(kind, c.kind) << c.text;
  }
}

TEST(Host, ScanHostFindsNoHost) {
  for (std::string_view bad : {"", ":5060", ";branch", "[::1", "[::1;x]", "-a", "256.1.1.1:5060", "1.2.3:5060",
                               "[1:2:3:4:5:6:7:8:9]"}) {
    HostKind kind = HostKind::kIPv4;
    EXPECT_EQ(scan_host(bad, kind), 0u) << '"' << bad << '"';
    EXPECT_EQ(kind, HostKind::kNone) << '"' << bad << '"';
  }
}

// --- ip_address_bytes --------------------------------------------------------------------------

using Bytes = std::array<std::uint8_t, 16>;

// The 16-byte array whose first bytes are `head`, the rest zero.
Bytes bytes_of(std::initializer_list<int> head) {
  Bytes b{};
  std::size_t i = 0;
  for (int v : head) b[i++] = static_cast<std::uint8_t>(v);
  return b;
}

// The bytes `host` names; fails the test when it names none, or an address of another kind.
Bytes address(std::string_view host, HostKind expected_kind) {
  Bytes b{};
  HostKind kind = HostKind::kNone;
  EXPECT_TRUE(ip_address_bytes(host, b, kind)) << host;
  EXPECT_EQ(kind, expected_kind) << host;
  return b;
}

TEST(Host, IpAddressBytesReadsIpv4) {
  EXPECT_EQ(address("192.0.2.1", HostKind::kIPv4), bytes_of({192, 0, 2, 1}));
  EXPECT_EQ(address("0.0.0.0", HostKind::kIPv4), Bytes{});
  EXPECT_EQ(address("255.255.255.255", HostKind::kIPv4), bytes_of({255, 255, 255, 255}));
  // 1*3DIGIT allows leading zeros (§25.1); they do not change the address.
  EXPECT_EQ(address("192.000.002.001", HostKind::kIPv4), bytes_of({192, 0, 2, 1}));
}

TEST(Host, IpAddressBytesReadsIpv6References) {
  const Bytes doc = bytes_of({0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01});
  EXPECT_EQ(address("[2001:db8::1]", HostKind::kIPv6), doc);
  EXPECT_EQ(address("[2001:DB8:0:0:0:0:0:1]", HostKind::kIPv6), doc);
  EXPECT_EQ(address("[2001:0db8:0000::0001]", HostKind::kIPv6), doc);
  EXPECT_EQ(address("[::]", HostKind::kIPv6), Bytes{});
  EXPECT_EQ(address("[::1]", HostKind::kIPv6),
            bytes_of({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
  EXPECT_EQ(address("[1::]", HostKind::kIPv6), bytes_of({0, 1}));
  EXPECT_EQ(address("[1:2:3:4:5:6:7:8]", HostKind::kIPv6),
            bytes_of({0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8}));
  EXPECT_EQ(address("[1:2::7:8]", HostKind::kIPv6),
            bytes_of({0, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7, 0, 8}));
  EXPECT_EQ(address("[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]", HostKind::kIPv6),
            bytes_of({255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255}));
}

// RFC 4291 §2.2 form 3: an IPv4 tail stands for the low 32 bits.
TEST(Host, IpAddressBytesReadsAnEmbeddedIpv4Tail) {
  const Bytes mapped = bytes_of({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 10});
  EXPECT_EQ(address("[::ffff:192.0.2.10]", HostKind::kIPv6), mapped);
  EXPECT_EQ(address("[::ffff:c000:20a]", HostKind::kIPv6), mapped);
  EXPECT_EQ(address("[1:2:3:4:5:6:1.2.3.4]", HostKind::kIPv6),
            bytes_of({0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 1, 2, 3, 4}));
}

// RFC 5118 §4.10: the extra colon RFC 3261's ABNF lets through is read as "::".
TEST(Host, IpAddressBytesReadsTheThreeColonForm) {
  EXPECT_EQ(address("[2001:db8:::192.0.2.1]", HostKind::kIPv6),
            address("[2001:db8::192.0.2.1]", HostKind::kIPv6));
  EXPECT_EQ(address("[:::192.0.2.1]", HostKind::kIPv6), address("[::192.0.2.1]", HostKind::kIPv6));
  EXPECT_EQ(address("[2001:db8:::1:192.0.2.1]", HostKind::kIPv6),
            address("[2001:db8::1:192.0.2.1]", HostKind::kIPv6));
}

// via-received (§25.1) writes an IPv6address without brackets; the tolerance of RFC 5118 §4.10
// is for the bracketed IPv6reference only, as in classify_host.
TEST(Host, IpAddressBytesReadsABareIpv6Address) {
  EXPECT_EQ(address("2001:db8::1", HostKind::kIPv6), address("[2001:db8::1]", HostKind::kIPv6));
  EXPECT_EQ(address("::ffff:192.0.2.10", HostKind::kIPv6),
            address("[::ffff:192.0.2.10]", HostKind::kIPv6));
  Bytes b{};
  HostKind kind = HostKind::kIPv4;
  EXPECT_FALSE(ip_address_bytes("2001:db8:::192.0.2.1", b, kind));
  EXPECT_EQ(kind, HostKind::kNone);
}

TEST(Host, IpAddressBytesRejectsNamesAndMalformedAddresses) {
  for (std::string_view bad :
       {"", "atlanta.com", "a", "1.2.3", "1.2.3.256", "0001.2.3.4", "1.2.3.4.", "[", "[]", "[:]",
        "[::1", "::1]", "[::1]:5060", "[1.2.3.4]", "[atlanta.com]", "[2001:db8:::1]", "[:::]",
        "[::::192.0.2.1]", "[1:2:3:4:5:6:7:8:9]", "[1::2::3]", "1:2:3:4:5:6:7", ":::1",
        "[::1%25eth0]"}) {
    Bytes b;
    b.fill(0xAA);
    HostKind kind = HostKind::kIPv4;
    EXPECT_FALSE(ip_address_bytes(bad, b, kind)) << '"' << bad << '"';
    EXPECT_EQ(kind, HostKind::kNone) << '"' << bad << '"';
    Bytes untouched;
    untouched.fill(0xAA);
    EXPECT_EQ(b, untouched) << '"' << bad << '"';  // untouched on failure
  }
}

// It reads exactly the addresses the validators accept: an address classify_host calls IPv4 or
// IPv6, or a bare IPv6address.
TEST(Host, IpAddressBytesAgreesWithTheValidators) {
  const std::string too_long = "[" + std::string(70, '1') + ":::192.0.2.1]";
  const std::initializer_list<std::string_view> hosts = {
      "192.0.2.1", "01.2.3.4", "256.1.1.1", "1.2.3.4a", "atlanta.com", "1a.example.com", "[::1]",
      "[2001:db8::10]", "[2001:db8:::192.0.2.1]", "[::ffff:::192.0.2.1]", "[1:::2:3]", "[12345::]",
      "[g::]", "[::1.2.3.4.5]", "[::1.2.3.4:5]", "[1:2:3:4:5:6:7::8]", "[1:2:3:4:5:6:7:1.2.3.4]",
      "::", "1::", "::1:", "1:::2", "12345::", "[[::1]]", "[ ::1]", too_long};
  for (std::string_view h : hosts) {
    Bytes b{};
    HostKind kind = HostKind::kNone;
    const bool ok = ip_address_bytes(h, b, kind);
    const HostKind classified = classify_host(h);
    HostKind expected = HostKind::kNone;
    if (classified == HostKind::kIPv4 || classified == HostKind::kIPv6) expected = classified;
    if (is_ipv6_address(h)) expected = HostKind::kIPv6;
    EXPECT_EQ(ok, expected != HostKind::kNone) << h;
    EXPECT_EQ(kind, expected) << h;
  }
}

// --- Ports -------------------------------------------------------------------------------------

TEST(Host, ParsePortAcceptsZeroTo65535) {
  std::uint16_t port = 1;
  EXPECT_TRUE(parse_port("0", port));
  EXPECT_EQ(port, 0);
  EXPECT_TRUE(parse_port("5060", port));
  EXPECT_EQ(port, 5060);
  EXPECT_TRUE(parse_port("65535", port));
  EXPECT_EQ(port, 65535);
  EXPECT_TRUE(parse_port("05060", port));
  EXPECT_EQ(port, 5060);
}

// port = 1*DIGIT (RFC 3261 §25.1): any number of leading zeros.
TEST(Host, ParsePortAllowsLeadingZerosBeyondFiveDigits) {
  std::uint16_t port = 1;
  EXPECT_TRUE(parse_port("000005060", port));
  EXPECT_EQ(port, 5060);
  EXPECT_TRUE(parse_port("0000000000000000000000000000065535", port));
  EXPECT_EQ(port, 65535);
  EXPECT_TRUE(parse_port("000000", port));
  EXPECT_EQ(port, 0);
  EXPECT_FALSE(parse_port("0000065536", port));
  EXPECT_FALSE(parse_port("99999999999999999999999", port));
}

TEST(Host, ParsePortRejectsOutOfRangeAndNonDigits) {
  std::uint16_t port = 7;
  for (std::string_view bad : {"", "65536", "99999", "100000", "-1", "+1", "50 60", "5060a", "0x10"}) {
    EXPECT_FALSE(parse_port(bad, port)) << '"' << bad << '"';
  }
  EXPECT_EQ(port, 7);  // untouched on failure
}

}  // namespace
}  // namespace trapezoid::sip
