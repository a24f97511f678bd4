#include "sip/uri.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace trapezoid::sip {
namespace {

using namespace std::string_view_literals;

Uri parse_ok(std::string_view text) {
  Uri u;
  const std::string_view err = parse_uri(text, u);
  EXPECT_TRUE(err.empty()) << text << " -> " << err;
  return u;
}

std::string_view parse_err(std::string_view text) {
  Uri u;
  return parse_uri(text, u);
}

bool parses(std::string_view text) { return parse_err(text).empty(); }

bool equal(std::string_view a, std::string_view b) {
  Uri x;
  Uri y;
  EXPECT_TRUE(parse_uri(a, x).empty()) << a;
  EXPECT_TRUE(parse_uri(b, y).empty()) << b;
  const bool ab = uri_equal(x, y);
  EXPECT_EQ(ab, uri_equal(y, x)) << "uri_equal is not symmetric for " << a << " / " << b;
  return ab;
}

// ---------------------------------------------------------------------------------------------
// sip / sips structure

TEST(UriParse, FullSipUri) {
  const Uri u = parse_ok("sip:alice:secret@atlanta.com:5070;transport=tcp;lr?subject=hi&x=y");
  EXPECT_EQ(u.scheme, UriScheme::kSip);
  EXPECT_EQ(u.scheme_name, "sip");
  EXPECT_TRUE(u.has_user);
  EXPECT_EQ(u.user, "alice");
  EXPECT_TRUE(u.has_password);
  EXPECT_EQ(u.password, "secret");
  EXPECT_EQ(u.host, "atlanta.com");
  EXPECT_EQ(u.host_kind, HostKind::kHostname);
  EXPECT_TRUE(u.has_port);
  EXPECT_EQ(u.port, 5070);
  EXPECT_EQ(u.params, "transport=tcp;lr");
  EXPECT_EQ(u.headers, "subject=hi&x=y");
  EXPECT_TRUE(u.opaque.empty());
  EXPECT_TRUE(u.is_sip_or_sips());
}

TEST(UriParse, HostOnly) {
  const Uri u = parse_ok("sip:example.com");
  EXPECT_FALSE(u.has_user);
  EXPECT_TRUE(u.user.empty());
  EXPECT_FALSE(u.has_password);
  EXPECT_EQ(u.host, "example.com");
  EXPECT_FALSE(u.has_port);
  EXPECT_EQ(u.port, 0);
  EXPECT_TRUE(u.params.empty());
  EXPECT_TRUE(u.headers.empty());
}

TEST(UriParse, ViewsPointIntoInput) {
  const std::string text = "sip:bob@biloxi.com;lr";
  const Uri u = parse_ok(text);
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  for (std::string_view part : {u.scheme_name, u.user, u.host, u.params}) {
    EXPECT_GE(part.data(), begin);
    EXPECT_LE(part.data() + part.size(), end);
  }
}

TEST(UriParse, SchemeIsCaseInsensitive) {
  EXPECT_EQ(parse_ok("SIP:alice@atlanta.com").scheme, UriScheme::kSip);
  EXPECT_EQ(parse_ok("SIP:alice@atlanta.com").scheme_name, "SIP");
  EXPECT_EQ(parse_ok("SiPs:alice@atlanta.com").scheme, UriScheme::kSips);
  EXPECT_EQ(parse_ok("TEL:+1234").scheme, UriScheme::kTel);
}

TEST(UriParse, Rfc3261Section19_1_3Examples) {
  {
    const Uri u = parse_ok("sip:alice@atlanta.com");
    EXPECT_EQ(u.user, "alice");
    EXPECT_EQ(u.host, "atlanta.com");
  }
  {
    const Uri u = parse_ok("sip:alice:secretword@atlanta.com;transport=tcp");
    EXPECT_EQ(u.password, "secretword");
    EXPECT_EQ(u.param("transport"), "tcp");
  }
  {
    const Uri u = parse_ok("sips:alice@atlanta.com?subject=project%20x&priority=urgent");
    EXPECT_EQ(u.scheme, UriScheme::kSips);
    EXPECT_EQ(u.header("subject"), "project%20x");
    EXPECT_EQ(u.header("priority"), "urgent");
  }
  {
    const Uri u = parse_ok("sip:+1-212-555-1212:1234@gateway.com;user=phone");
    EXPECT_EQ(u.user, "+1-212-555-1212");
    EXPECT_EQ(u.password, "1234");
    EXPECT_EQ(u.param("user"), "phone");
  }
  EXPECT_EQ(parse_ok("sips:1212@gateway.com").user, "1212");
  {
    const Uri u = parse_ok("sip:alice@192.0.2.4");
    EXPECT_EQ(u.host_kind, HostKind::kIPv4);
    EXPECT_EQ(u.host, "192.0.2.4");
  }
  {
    const Uri u = parse_ok("sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com");
    EXPECT_FALSE(u.has_user);
    EXPECT_EQ(u.param("method"), "REGISTER");
    EXPECT_EQ(u.header("to"), "alice%40atlanta.com");
  }
  {
    const Uri u = parse_ok("sip:alice;day=tuesday@atlanta.com");
    EXPECT_EQ(u.user, "alice;day=tuesday");
    EXPECT_EQ(u.host, "atlanta.com");
    EXPECT_TRUE(u.params.empty());
  }
}

TEST(UriParse, EmptyPassword) {
  const Uri u = parse_ok("sip:alice:@atlanta.com");
  EXPECT_TRUE(u.has_password);
  EXPECT_TRUE(u.password.empty());
}

TEST(UriParse, UserCharacters) {
  // Every unreserved, mark and user-unreserved character.
  const Uri u = parse_ok("sip:aZ9-_.!~*'()&=+$,;?/@h.com");
  EXPECT_EQ(u.user, "aZ9-_.!~*'()&=+$,;?/");
}

TEST(UriParse, PasswordCharacters) {
  const Uri u = parse_ok("sip:u:aZ9-_.!~*'()&=+$,@h.com");
  EXPECT_EQ(u.password, "aZ9-_.!~*'()&=+$,");
  EXPECT_FALSE(parses("sip:u:a;b@h.com"));  // ';' is a user char, not a password char
  EXPECT_FALSE(parses("sip:u:a?b@h.com"));
  EXPECT_FALSE(parses("sip:u:a:b@h.com"));
}

TEST(UriParse, BadUserinfo) {
  EXPECT_EQ(parse_err("sip:@example.com"), "Bad URI User");  // §19.1.1: user MUST NOT be empty
  EXPECT_EQ(parse_err("sip::pw@example.com"), "Bad URI User");
  EXPECT_EQ(parse_err("sip:a\"b@example.com"), "Bad URI User");
  EXPECT_EQ(parse_err("sip:a[b@example.com"), "Bad URI User");
  EXPECT_EQ(parse_err("sip:a#b@example.com"), "Bad URI User");
  EXPECT_EQ(parse_err("sip:u:p\"w@example.com"), "Bad URI Password");
  EXPECT_FALSE(parses("sip:a@b@example.com"));
}

TEST(UriParse, UserEscapes) {
  // RFC 4475 esc01
  const Uri u = parse_ok("sip:sips%3Auser%40example.com@example.net");
  EXPECT_EQ(u.user, "sips%3Auser%40example.com");
  EXPECT_EQ(u.host, "example.net");
  EXPECT_EQ(unescape(u.user), "sips:user@example.com");
  EXPECT_EQ(unescape(parse_ok("sip:%75se%72@example.com").user), "user");
  EXPECT_EQ(unescape(parse_ok("sip:I%20have%20spaces@example.net").user), "I have spaces");
}

TEST(UriParse, EscapedNullInUser) {
  // RFC 4475 escnull: %00 is legal and must not truncate the user.
  const Uri u = parse_ok("sip:null-%00-null@example.com");
  EXPECT_EQ(u.user, "null-%00-null");
  const auto raw = unescape(u.user);
  ASSERT_TRUE(raw.has_value());
  EXPECT_EQ(*raw, std::string("null-\0-null", 11));
  EXPECT_EQ(parse_ok("sip:%00@host5.example.com").user, "%00");
  EXPECT_EQ(parse_ok("sip:%00%00@host5.example.com").user, "%00%00");
  EXPECT_FALSE(equal("sip:%00@host5.example.com", "sip:%00%00@host5.example.com"));
}

TEST(UriParse, MalformedEscapes) {
  for (std::string_view bad :
       {"sip:%@h.com", "sip:a%4@h.com", "sip:a%4G@h.com", "sip:a%G4@h.com", "sip:%", "sip:a%@h",
        "sip:u:%zz@h.com", "sip:h.com;a%2=b", "sip:h.com;a=%", "sip:h.com;a=%1",
        "sip:h.com?a=%2", "sip:h.com?%=1", "sip:h.com?a=b%"}) {
    EXPECT_FALSE(parses(bad)) << bad;
  }
  EXPECT_TRUE(parses("sip:a%4a%4A@h.com"));  // either case of hex digit
}

TEST(UriParse, SemicolonsInUser) {
  // RFC 4475 semiuri
  const Uri u = parse_ok("sip:user;par=u%40example.net@example.com");
  EXPECT_EQ(u.user, "user;par=u%40example.net");
  EXPECT_EQ(u.host, "example.com");
  EXPECT_TRUE(u.params.empty());
  EXPECT_FALSE(u.has_param("par"));
}

TEST(UriParse, UnusualButValidUserinfo) {
  // RFC 4475 intmeth Request-URI and To URI.
  const Uri r = parse_ok(
      "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too."
      "(doesn't-it)@example.com");
  EXPECT_EQ(r.user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
  EXPECT_EQ(r.password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
  EXPECT_EQ(r.host, "example.com");
  const Uri t = parse_ok("sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*@example.com");
  EXPECT_EQ(t.user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
  EXPECT_FALSE(t.has_password);
}

TEST(UriParse, EscapedParamsFromEsc01) {
  const Uri u = parse_ok("sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31");
  EXPECT_EQ(u.params, "%6C%72;n%61me=v%61lue%25%34%31");
  // Names match through their escapes; values come back as written.
  EXPECT_EQ(u.param("lr"), "");
  EXPECT_EQ(u.param("name"), "v%61lue%25%34%31");
  // Decoding is done once: the value is "value%41", not "valueA" (RFC 4475 §3.1.1.3).
  EXPECT_EQ(unescape(*u.param("name")), "value%41");
}

// ---------------------------------------------------------------------------------------------
// Hosts

TEST(UriHost, Hostnames) {
  for (std::string_view h :
       {"a", "example.com", "example.com.", "a-b.c-d.example", "x1.y2.z3", "123.example.com",
        "a.b.c.d.e.f.g", "EXAMPLE.COM", "chair-dnrc.example.com", "host.a9", "x.y-2"}) {
    Uri u;
    const std::string text = "sip:" + std::string(h);
    ASSERT_TRUE(parse_uri(text, u).empty()) << h;
    EXPECT_EQ(u.host_kind, HostKind::kHostname) << h;
    EXPECT_EQ(u.host, h);
  }
}

TEST(UriHost, BadHostnames) {
  for (std::string_view text :
       {"sip:", "sip:alice@", "sip:-a.com", "sip:a-.com", "sip:a.-com", "sip:a..com", "sip:.a.com",
        "sip:a.com..", "sip:.", "sip:exa_mple.com", "sip:exa mple.com", "sip:example.com ",
        "sip: example.com", "sip:<example.com>", "sip:example.com>", "sip:ex%61mple.com",
        "sip:example.com/path", "sip:example.com@", "sip:a.b\t", "sip:\xc3\xa9.com",
        "sip:a.b.c.123", "sip:12345", "sip:1.2.3.4.5", "sip:10.0.0", "sip:1.2.3.", "sip:1.2.3.4.",
        // §25.1: the toplabel starts with a letter, even when the host is not an address.
        "sip:3com", "sip:host.9a", "sip:host.1-2", "sip:1.2.3.4a",
        "sip:[]", "sip:user@host@host"}) {
    EXPECT_EQ(parse_err(text), "Bad URI Host") << text;
  }
}

TEST(UriHost, Ipv4) {
  for (std::string_view h : {"192.0.2.4", "0.0.0.0", "255.255.255.255", "010.001.0.00"}) {
    const std::string text = "sip:" + std::string(h) + ":5060";
    const Uri u = parse_ok(text);
    EXPECT_EQ(u.host_kind, HostKind::kIPv4) << h;
    EXPECT_EQ(u.host, h);
    EXPECT_EQ(u.port, 5060);
  }
  for (std::string_view bad : {"sip:256.1.1.1", "sip:999.1.1.1", "sip:1.2.3.1000", "sip:1.2.3.-4",
                               "sip:1..2.3"}) {
    EXPECT_FALSE(parses(bad)) << bad;
  }
}

TEST(UriHost, Ipv6References) {
  // RFC 5118 §4.1, §4.9, §4.10 (correct form) and common forms of RFC 4291 §2.2.
  for (std::string_view h :
       {"[2001:db8::10]", "[::ffff:192.0.2.10]", "[2001:db8::192.0.2.1]", "[::1]", "[::]",
        "[1::]", "[2001:DB8:0:0:8:800:200C:417A]", "[1:2:3:4:5:6:7:8]", "[1:2:3:4:5:6::8]",
        "[1::3:4:5:6:7:8]", "[1:2:3:4:5:6:1.2.3.4]", "[::1.2.3.4]", "[2001:db8::9:255]",
        "[fe80::]", "[a:b:c:d:e:f:0:1]", "[0000:0000:0000:0000:0000:0000:0000:0001]"}) {
    const std::string text = "sip:user@" + std::string(h);
    const Uri u = parse_ok(text);
    EXPECT_EQ(u.host_kind, HostKind::kIPv6) << h;
    EXPECT_EQ(u.host, h);  // brackets kept
    EXPECT_FALSE(u.has_port);
  }
}

TEST(UriHost, BadIpv6References) {
  for (std::string_view text :
       {"sip:[2001:db8::10", "sip:2001:db8::10", "sip:[1:2:3:4:5:6:7:8:9]", "sip:[1:2:3:4:5:6:7]",
        "sip:[1:2:3:4:5:6:7::8]", "sip:[1::2::3]", "sip:[12345::]", "sip:[g::]",
        "sip:[:1:2:3:4:5:6:7]", "sip:[1:2:3:4:5:6:7:]", "sip:[1:]", "sip:[:]", "sip:[:::]",
        "sip:[2001:db8:::1]", "sip:[::ffff:192.0.2]", "sip:[::ffff:256.0.2.1]",
        "sip:[::1.2.3.4:5]", "sip:[1:2:3:4:5:6:7:1.2.3.4]", "sip:[::1]x", "sip:[::1]]",
        "sip:[[::1]]", "sip:[::1%25eth0]", "sip:[ ::1]", "sip:[::1]@h.com",
        "sip:[2001:db8::10]:", "sip:[::1.2.3.4.5]", "sip:[1.2.3.4]"}) {
    EXPECT_FALSE(parses(text)) << text;
  }
}

TEST(UriHost, Rfc5118PortAmbiguity) {
  // §4.3: the last group is part of the address, there is no port.
  const Uri a = parse_ok("sip:[2001:db8::10:5070]");
  EXPECT_EQ(a.host, "[2001:db8::10:5070]");
  EXPECT_FALSE(a.has_port);
  // §4.4
  const Uri b = parse_ok("sip:[2001:db8::10]:5070");
  EXPECT_EQ(b.host, "[2001:db8::10]");
  EXPECT_TRUE(b.has_port);
  EXPECT_EQ(b.port, 5070);
  EXPECT_FALSE(uri_equal(a, b));
  EXPECT_FALSE(equal("sip:[2001:db8::10:5070]", "sip:[2001:db8::10]"));
}

TEST(UriHost, Rfc5118UnbracketedIpv6IsRejected) {
  // §4.2: sip:2001:db8::10 lacks the mandatory brackets.
  EXPECT_FALSE(parses("sip:2001:db8::10"));
  EXPECT_FALSE(parses("sip:user@2001:db8::10"));
}

TEST(UriHost, Rfc5118ThreeColonAbnfBugTolerated) {
  // §4.10: RFC 3261's ABNF yields an extra colon before an embedded IPv4 address.
  const Uri u = parse_ok("sip:user@[2001:db8:::192.0.2.1]");
  EXPECT_EQ(u.host_kind, HostKind::kIPv6);
  EXPECT_EQ(u.host, "[2001:db8:::192.0.2.1]");
  EXPECT_TRUE(parses("sip:[:::192.0.2.1]"));
  EXPECT_TRUE(equal("sip:user@[2001:db8:::192.0.2.1]", "sip:user@[2001:db8::192.0.2.1]"));
  EXPECT_EQ(to_string(u), "sip:user@[2001:db8::192.0.2.1]");
  EXPECT_TRUE(equal("sip:[2001:db8:::1:192.0.2.1]", "sip:[2001:db8::1:192.0.2.1]"));
  // Only in an address with an IPv4 part, and only once.
  EXPECT_FALSE(parses("sip:[2001:db8:::1]"));
  EXPECT_FALSE(parses("sip:[2001:db8::::192.0.2.1]"));
  EXPECT_FALSE(parses("sip:[2001:::db8::192.0.2.1]"));
  EXPECT_FALSE(parses("sip:[2001:::db8:::192.0.2.1]"));
}

TEST(UriHost, Ports) {
  EXPECT_EQ(parse_ok("sip:h.com:0").port, 0);
  EXPECT_TRUE(parse_ok("sip:h.com:0").has_port);
  EXPECT_EQ(parse_ok("sip:h.com:65535").port, 65535);
  EXPECT_EQ(parse_ok("sip:h.com:05060").port, 5060);
  EXPECT_EQ(parse_ok("sip:h.com:5060;lr").port, 5060);
  EXPECT_EQ(parse_ok("sip:h.com:5060?a=b").port, 5060);
  EXPECT_EQ(parse_ok("sip:192.0.2.1:1").port, 1);
  for (std::string_view bad :
       {"sip:h.com:", "sip:h.com:65536", "sip:h.com:99999999999999999999", "sip:h.com:-1",
        "sip:h.com:50a", "sip:h.com:5060:5061", "sip:h.com: 5060", "sip:h.com:5060 ",
        "sip:h.com:;lr", "sip:h.com:+5"}) {
    EXPECT_EQ(parse_err(bad), "Bad URI Port") << bad;
  }
}

// ---------------------------------------------------------------------------------------------
// Parameters and headers

TEST(UriParams, Lookup) {
  const Uri u = parse_ok("sip:h.com;transport=TCP;lr;maddr=239.255.255.1;ttl=15;Method=INVITE");
  EXPECT_EQ(u.param("transport"), "TCP");
  EXPECT_EQ(u.param("TRANSPORT"), "TCP");
  EXPECT_EQ(u.param("lr"), "");
  EXPECT_TRUE(u.has_param("lr"));
  EXPECT_TRUE(u.has_param("LR"));
  EXPECT_EQ(u.param("maddr"), "239.255.255.1");
  EXPECT_EQ(u.param("ttl"), "15");
  EXPECT_EQ(u.param("method"), "INVITE");
  EXPECT_EQ(u.param("user"), std::nullopt);
  EXPECT_FALSE(u.has_param("l"));
  EXPECT_FALSE(u.has_param("lrx"));
  EXPECT_FALSE(u.has_param(""));
}

TEST(UriParse, AtSignAlwaysEndsTheUserinfo) {
  // No character after the userinfo may be '@', so the grammar leaves one reading.
  const Uri u = parse_ok("sip:h.com;a@b");
  EXPECT_EQ(u.user, "h.com;a");
  EXPECT_EQ(u.host, "b");
  EXPECT_TRUE(u.params.empty());
  EXPECT_EQ(parse_err("sip:h.com?a=@"), "Bad URI Host");
}

TEST(UriParams, FirstOccurrenceWins) {
  const Uri u = parse_ok("sip:h.com;a=1;a=2");
  EXPECT_EQ(u.param("a"), "1");
}

TEST(UriParams, ParamCharacters) {
  const Uri u = parse_ok("sip:h.com;a[]/:&+$-_.!~*'()=b[]/:&+$-_.!~*'()");
  EXPECT_EQ(u.param("a[]/:&+$-_.!~*'()"), "b[]/:&+$-_.!~*'()");
}

TEST(UriParams, Malformed) {
  for (std::string_view bad :
       {"sip:h.com;", "sip:h.com;;lr", "sip:h.com;lr;", "sip:h.com;=x", "sip:h.com;a=",
        "sip:h.com;a==b", "sip:h.com;a=b=c", "sip:h.com;a b", "sip:h.com;a=<b>", "sip:h.com; lr",
        "sip:h.com;a,b", "sip:h.com;a\"b", "sip:h.com;?a=b",
        "sip:user@example.com; lr"}) {
    EXPECT_EQ(parse_err(bad), "Bad URI Parameter") << bad;
  }
}

TEST(UriHeaders, Lookup) {
  const Uri u = parse_ok("sip:h.com;lr?Subject=project%20x&priority=urgent&empty=&to=sip:b%40c");
  EXPECT_EQ(u.params, "lr");
  EXPECT_EQ(u.header("subject"), "project%20x");
  EXPECT_EQ(u.header("PRIORITY"), "urgent");
  EXPECT_EQ(u.header("empty"), "");
  EXPECT_EQ(u.header("to"), "sip:b%40c");
  EXPECT_EQ(u.header("lr"), std::nullopt);
  EXPECT_EQ(u.param("subject"), std::nullopt);
}

TEST(UriHeaders, HeaderCharacters) {
  const Uri u = parse_ok("sip:h.com?a[]/?:+$-_.!~*'()=[]/?:+$-_.!~*'()");
  EXPECT_EQ(u.header("a[]/?:+$-_.!~*'()"), "[]/?:+$-_.!~*'()");
}

TEST(UriHeaders, EscapedRouteFromRfc4475) {
  // escruri / regescrt: syntactically valid URI headers (whether a Request-URI may carry them
  // is the message layer's business).
  const Uri u = parse_ok("sip:user@example.com?Route=%3Csip:example.com%3E");
  EXPECT_EQ(u.header("route"), "%3Csip:example.com%3E");
  EXPECT_EQ(unescape(*u.header("route")), "<sip:example.com>");
}

TEST(UriHeaders, Malformed) {
  for (std::string_view bad :
       {"sip:h.com?", "sip:h.com?a", "sip:h.com?=b", "sip:h.com?a=b&", "sip:h.com?a=b&&c=d",
        "sip:h.com?&a=b", "sip:h.com?a=b=c", "sip:h.com?a=b;c", "sip:h.com?a=b c",
        "sip:h.com?a=<b>", "sip:h.com;lr?", "sip:h.com?a=b?c=d&e"}) {
    EXPECT_EQ(parse_err(bad), "Bad URI Header") << bad;
  }
}

// ---------------------------------------------------------------------------------------------
// Malformed input in general

TEST(UriParse, BadSchemes) {
  for (std::string_view bad : {"", ":", "alice@atlanta.com", "1sip:h.com", "s_p:h.com",
                               " sip:h.com", "<sip:h.com>", "si p:h.com", "+:x"}) {
    EXPECT_FALSE(parses(bad)) << bad;
  }
  EXPECT_EQ(parse_err(""), "Empty URI");
  EXPECT_EQ(parse_err("alice"), "Bad URI Scheme");
}

TEST(UriParse, WhitespaceAndBracketsAreErrors) {
  // RFC 4475 ltgtruri, lwsruri and badaspec.
  for (std::string_view bad :
       {"<sip:user@example.com>", "sip:user@example.com>", "sip:user@example.com; lr",
        "sip:user@example.com ;lr", "sip:user @example.com", "sip:user@exa mple.com",
        "sip:user@example.com\r\n", "sip:user@example.com\t", "sip:us\ter@example.com"}) {
    EXPECT_FALSE(parses(bad)) << bad;
  }
}

TEST(UriParse, EmbeddedNulIsAnError) {
  EXPECT_FALSE(parses("sip:a\0b@example.com"sv));
  EXPECT_FALSE(parses("sip:example.com\0"sv));
  EXPECT_FALSE(parses("sip:example.com;a=\0"sv));
}

TEST(UriParse, FailureResetsOutput) {
  Uri u = parse_ok("sip:alice@atlanta.com;lr");
  EXPECT_FALSE(parse_uri("sip:bob@biloxi.com:99999", u).empty());
  EXPECT_EQ(u.scheme, UriScheme::kSip);
  EXPECT_TRUE(u.host.empty());
  EXPECT_TRUE(u.user.empty());
  EXPECT_FALSE(u.has_user);
  EXPECT_TRUE(u.params.empty());
  // A successful parse replaces every field.
  u = parse_ok("sip:alice@atlanta.com;lr?a=b");
  u = parse_ok("sips:h.com");
  EXPECT_FALSE(u.has_user);
  EXPECT_TRUE(u.params.empty());
  EXPECT_TRUE(u.headers.empty());
}

// ---------------------------------------------------------------------------------------------
// Other schemes (absoluteURI)

TEST(UriOther, OpaqueSchemes) {
  // RFC 4475 unkscm, novelsc, unksm2.
  {
    const Uri u = parse_ok("nobodyKnowsThisScheme:totallyopaquecontent");
    EXPECT_EQ(u.scheme, UriScheme::kOther);
    EXPECT_EQ(u.scheme_name, "nobodyKnowsThisScheme");
    EXPECT_EQ(u.opaque, "totallyopaquecontent");
    EXPECT_FALSE(u.is_sip_or_sips());
    EXPECT_TRUE(u.host.empty());
  }
  {
    const Uri u = parse_ok("soap.beep://192.0.2.103:3002");
    EXPECT_EQ(u.scheme_name, "soap.beep");
    EXPECT_EQ(u.opaque, "//192.0.2.103:3002");
  }
  EXPECT_EQ(parse_ok("isbn:2983792873").opaque, "2983792873");
  EXPECT_EQ(parse_ok("http://www.example.com").opaque, "//www.example.com");
  EXPECT_EQ(parse_ok("name:John_Smith").opaque, "John_Smith");
  EXPECT_EQ(parse_ok("mailto:a@b.com?subject=hi%20there").opaque, "a@b.com?subject=hi%20there");
  EXPECT_EQ(parse_ok("http://[2001:db8::1]:80/a;b/c?d=e").opaque, "//[2001:db8::1]:80/a;b/c?d=e");
  EXPECT_EQ(parse_ok("urn:x-y+z.w:1").scheme_name, "urn");
  EXPECT_EQ(parse_ok("a1+-.:x").scheme_name, "a1+-.");
}

TEST(UriOther, Malformed) {
  for (std::string_view bad : {"foo:", "foo:a b", "foo:<x>", "foo:a%", "foo:a%zz", "foo:a\"b",
                               "foo:a#frag", "foo:a{b}", "foo:a|b", "foo:a\\b"}) {
    EXPECT_EQ(parse_err(bad), "Bad URI") << bad;
  }
}

// ---------------------------------------------------------------------------------------------
// tel (RFC 3966)

TEST(UriTel, GlobalNumber) {
  const Uri u = parse_ok("tel:+1-201-555-0123");
  EXPECT_EQ(u.scheme, UriScheme::kTel);
  EXPECT_TRUE(u.has_user);
  EXPECT_EQ(u.user, "+1-201-555-0123");
  EXPECT_TRUE(u.params.empty());
  EXPECT_EQ(u.host_kind, HostKind::kNone);
  EXPECT_TRUE(u.host.empty());
  EXPECT_FALSE(u.is_sip_or_sips());
  EXPECT_EQ(parse_ok("tel:+1(201)555.0123").user, "+1(201)555.0123");
  EXPECT_EQ(parse_ok("tel:+1").user, "+1");
}

TEST(UriTel, LocalNumbers) {
  {
    const Uri u = parse_ok("tel:7042;phone-context=example.com");
    EXPECT_EQ(u.user, "7042");
    EXPECT_EQ(u.params, "phone-context=example.com");
    EXPECT_EQ(u.param("phone-context"), "example.com");
  }
  {
    const Uri u = parse_ok("tel:863-1234;phone-context=+1-914-555");
    EXPECT_EQ(u.user, "863-1234");
    EXPECT_EQ(u.param("Phone-Context"), "+1-914-555");
  }
  EXPECT_TRUE(parses("tel:*21#;phone-context=example.com"));
  EXPECT_TRUE(parses("tel:ABCD;phone-context=example.com"));
  EXPECT_TRUE(parses("tel:911;foo=bar;phone-context=+1"));  // context may follow others
  EXPECT_TRUE(parses("tel:911;phone-context=example.com."));
  EXPECT_EQ(parse_err("tel:7042"), "tel Local Number Without phone-context");
  EXPECT_EQ(parse_err("tel:7042;ext=1"), "tel Local Number Without phone-context");
}

TEST(UriTel, Parameters) {
  const Uri u = parse_ok("tel:+1-201-555-0123;ext=1234;phone-context=+1;foo;bar=a%20b");
  EXPECT_EQ(u.user, "+1-201-555-0123");
  EXPECT_EQ(u.param("ext"), "1234");
  EXPECT_EQ(u.param("phone-context"), "+1");
  EXPECT_EQ(u.param("foo"), "");
  EXPECT_EQ(u.param("bar"), "a%20b");
  EXPECT_EQ(parse_ok("tel:+1234;isub=abc?/:@&=+$,-_").param("isub"), "abc?/:@&=+$,-_");
  EXPECT_EQ(parse_ok("tel:+1234;ext=12-34").param("ext"), "12-34");
  EXPECT_EQ(parse_ok("tel:+1234;m-x=1").param("m-x"), "1");
}

TEST(UriTel, Malformed) {
  for (std::string_view bad : {"tel:", "tel:+", "tel:+-", "tel:+1 234", "tel:+12a4", "tel:+1*2",
                               "tel:12g;phone-context=a.com", "tel:-;phone-context=a.com",
                               "tel:;phone-context=a.com", "tel:+1%32", "tel:+1@h"}) {
    EXPECT_EQ(parse_err(bad), "Bad tel Number") << bad;
  }
  for (std::string_view bad :
       {"tel:+1;", "tel:+1;;a", "tel:+1;=a", "tel:+1;a=", "tel:+1;a_b=1", "tel:+1;ext=",
        "tel:+1;ext", "tel:+1;ext=12a", "tel:+1;ext=--", "tel:+1;isub=", "tel:+1;isub",
        "tel:+1;isub=a b", "tel:+1;isub=%zz", "tel:+1;phone-context=", "tel:+1;phone-context=-a",
        "tel:+1;phone-context=a_b.com", "tel:+1;phone-context=+",
        "tel:1;phone-context=a.com;phone-context=b.com", "tel:+1;ext=1;ext=2",
        "tel:+1;isub=1;ext=2", "tel:+1;a=b c", "tel:+1;a=%1", "tel:+1;a=b;c=<d>"}) {
    EXPECT_EQ(parse_err(bad), "Bad tel Parameter") << bad;
  }
}

// ---------------------------------------------------------------------------------------------
// unescape

TEST(Unescape, Decodes) {
  EXPECT_EQ(unescape(""), "");
  EXPECT_EQ(unescape("plain"), "plain");
  EXPECT_EQ(unescape("a%20b"), "a b");
  EXPECT_EQ(unescape("%41%42%43"), "ABC");
  EXPECT_EQ(unescape("%4a%4A"), "JJ");
  EXPECT_EQ(unescape("%25%34%31"), "%41");  // one pass only
  EXPECT_EQ(unescape("%ff"), "\xff");
  EXPECT_EQ(unescape("%00"), std::string(1, '\0'));
}

TEST(Unescape, RejectsMalformed) {
  for (std::string_view bad : {"%", "%4", "a%", "%4g", "%g4", "%%41", "a%2", "% 41"}) {
    EXPECT_EQ(unescape(bad), std::nullopt) << bad;
  }
}

// ---------------------------------------------------------------------------------------------
// Comparison (RFC 3261 §19.1.4)

TEST(UriEqual, Rfc3261EquivalentSets) {
  EXPECT_TRUE(equal("sip:%61lice@atlanta.com;transport=TCP",
                    "sip:alice@AtLanTa.CoM;Transport=tcp"));
  EXPECT_TRUE(equal("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5"));
  EXPECT_TRUE(equal("sip:carol@chicago.com", "sip:carol@chicago.com;security=on"));
  EXPECT_TRUE(equal("sip:carol@chicago.com;newparam=5", "sip:carol@chicago.com;security=on"));
  EXPECT_TRUE(equal("sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
                    "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com"));
  EXPECT_TRUE(equal("sip:alice@atlanta.com?subject=project%20x&priority=urgent",
                    "sip:alice@atlanta.com?priority=urgent&subject=project%20x"));
}

TEST(UriEqual, Rfc3261NonEquivalentSets) {
  EXPECT_FALSE(equal("SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP"));
  EXPECT_FALSE(equal("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060"));
  EXPECT_FALSE(equal("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp"));
  EXPECT_FALSE(equal("sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp"));
  EXPECT_FALSE(equal("sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting"));
  EXPECT_FALSE(equal("sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4"));
}

TEST(UriEqual, NotTransitive) {
  EXPECT_TRUE(equal("sip:carol@chicago.com", "sip:carol@chicago.com;security=on"));
  EXPECT_TRUE(equal("sip:carol@chicago.com", "sip:carol@chicago.com;security=off"));
  EXPECT_FALSE(equal("sip:carol@chicago.com;security=on", "sip:carol@chicago.com;security=off"));
}

TEST(UriEqual, SipAndSipsNeverEqual) {
  EXPECT_FALSE(equal("sip:alice@atlanta.com", "sips:alice@atlanta.com"));
  EXPECT_TRUE(equal("SIPS:alice@atlanta.com", "sips:alice@atlanta.com"));
}

TEST(UriEqual, Userinfo) {
  EXPECT_FALSE(equal("sip:alice@h.com", "sip:h.com"));
  EXPECT_FALSE(equal("sip:alice@h.com", "sip:Alice@h.com"));
  EXPECT_FALSE(equal("sip:alice:pw@h.com", "sip:alice@h.com"));
  EXPECT_FALSE(equal("sip:alice:@h.com", "sip:alice@h.com"));
  EXPECT_FALSE(equal("sip:alice:pw@h.com", "sip:alice:PW@h.com"));
  EXPECT_TRUE(equal("sip:alice:p%77@h.com", "sip:alice:pw@h.com"));
  EXPECT_TRUE(equal("sip:%75se%72@example.com", "sip:user@example.com"));
  EXPECT_TRUE(equal("sip:a%2db@h.com", "sip:a-b@h.com"));
  EXPECT_TRUE(equal("sip:%4a@h.com", "sip:%4A@h.com"));  // hex digits are case-insensitive
  EXPECT_FALSE(equal("sip:%4a@h.com", "sip:j@h.com"));   // but the decoded letter is not
  EXPECT_TRUE(equal("sip:I%20have%20spaces@h.com", "sip:I%20have%20spaces@h.com"));
  EXPECT_TRUE(equal("sip:+1-212-555-1212:1234@gateway.com",
                    "sip:+1-212-555-1212:1234@gateway.com"));
}

TEST(UriEqual, EscapedReservedCharactersAreNotEquivalent) {
  // §19.1.4: only characters outside the "reserved" set equal their %XX encoding.
  EXPECT_FALSE(equal("sip:a%3Bb@h.com", "sip:a;b@h.com"));
  EXPECT_FALSE(equal("sip:a%3Fb@h.com", "sip:a?b@h.com"));
  EXPECT_TRUE(equal("sip:a%3Bb@h.com", "sip:a%3bb@h.com"));
  EXPECT_FALSE(equal("sip:h.com;a=%2F", "sip:h.com;a=/"));
}

TEST(UriEqual, Hosts) {
  EXPECT_TRUE(equal("sip:h.EXAMPLE.com", "sip:H.example.COM"));
  EXPECT_FALSE(equal("sip:a.example.com", "sip:b.example.com"));
  EXPECT_FALSE(equal("sip:example.com", "sip:example.com."));
  EXPECT_TRUE(equal("sip:192.0.2.4", "sip:192.000.002.004"));
  EXPECT_FALSE(equal("sip:192.0.2.4", "sip:192.0.2.5"));
  EXPECT_TRUE(equal("sip:[2001:db8::1]", "sip:[2001:DB8:0:0:0:0:0:1]"));
  EXPECT_TRUE(equal("sip:[::ffff:192.0.2.10]", "sip:[::ffff:c000:20a]"));
  EXPECT_FALSE(equal("sip:[2001:db8::1]", "sip:[2001:db8::2]"));
  EXPECT_FALSE(equal("sip:[::1]", "sip:[::]"));
}

TEST(UriEqual, Ports) {
  EXPECT_TRUE(equal("sip:h.com:5060", "sip:h.com:05060"));
  EXPECT_FALSE(equal("sip:h.com:5060", "sip:h.com:5061"));
  EXPECT_FALSE(equal("sip:h.com:0", "sip:h.com"));
}

TEST(UriEqual, ParametersInOnlyOneUri) {
  for (std::string_view p : {"user=ip", "ttl=1", "method=INVITE", "maddr=192.0.2.1",
                             "transport=udp", "USER=phone", "Transport=UDP", "%74tl=1"}) {
    const std::string with = "sip:alice@h.com;" + std::string(p);
    EXPECT_FALSE(equal("sip:alice@h.com", with)) << p;
    EXPECT_FALSE(equal("sip:alice@h.com;lr", with + ";lr")) << p;
  }
  EXPECT_TRUE(equal("sip:alice@h.com", "sip:alice@h.com;lr"));
  EXPECT_TRUE(equal("sip:alice@h.com;foo=1", "sip:alice@h.com;bar=2"));
  EXPECT_TRUE(equal("sip:alice@h.com;maddr=192.0.2.1;lr", "sip:alice@h.com;MADDR=192.0.2.1"));
}

TEST(UriEqual, ParametersInBothUris) {
  EXPECT_TRUE(equal("sip:h.com;transport=TCP", "sip:h.com;TRANSPORT=tcp"));
  EXPECT_FALSE(equal("sip:h.com;transport=tcp", "sip:h.com;transport=udp"));
  EXPECT_FALSE(equal("sip:h.com;foo=1", "sip:h.com;foo=2"));
  EXPECT_FALSE(equal("sip:h.com;foo", "sip:h.com;foo=1"));
  EXPECT_TRUE(equal("sip:h.com;lr", "sip:h.com;LR"));
  EXPECT_TRUE(equal("sip:h.com;%6C%72", "sip:h.com;lr"));
  EXPECT_TRUE(equal("sip:h.com;n%61me=v%61lue", "sip:h.com;name=VALUE"));
  EXPECT_FALSE(equal("sip:h.com;name=v%61lue%25%34%31", "sip:h.com;name=valueA"));
  EXPECT_TRUE(equal("sip:h.com;name=v%61lue%25%34%31", "sip:h.com;name=value%2541"));
}

TEST(UriEqual, RepeatedParameterFirstOccurrenceCounts) {
  // A repeat violates §19.1.1; comparison then follows param(): the first one counts.
  EXPECT_TRUE(equal("sip:h.com;transport=tcp;transport=udp",
                    "sip:h.com;transport=tcp;transport=udp"));
  EXPECT_TRUE(equal("sip:h.com;transport=tcp;transport=udp", "sip:h.com;transport=tcp"));
  EXPECT_FALSE(equal("sip:h.com;transport=tcp;transport=udp", "sip:h.com;transport=udp"));
  EXPECT_TRUE(equal("sip:h.com;lr;%6C%72=x", "sip:h.com;lr"));
  EXPECT_TRUE(equal("tel:+1;a=1;a=2", "tel:+1;a=1"));
  EXPECT_FALSE(equal("tel:+1;a=1;a=2", "tel:+1;a=2"));
}

TEST(UriEqual, Headers) {
  EXPECT_TRUE(equal("sip:h.com?a=1&b=2", "sip:h.com?b=2&a=1"));
  EXPECT_TRUE(equal("sip:h.com?Subject=x", "sip:h.com?subject=%78"));
  EXPECT_FALSE(equal("sip:h.com?a=1", "sip:h.com?a=2"));
  EXPECT_FALSE(equal("sip:h.com?a=1", "sip:h.com?a=1&b=2"));
  EXPECT_FALSE(equal("sip:h.com?a=1&a=1", "sip:h.com?a=1"));
  EXPECT_FALSE(equal("sip:h.com?a=1&a=1&b=2", "sip:h.com?a=1&b=2&b=2"));
  EXPECT_TRUE(equal("sip:h.com?a=1&a=2", "sip:h.com?a=2&a=1"));
  EXPECT_TRUE(equal("sip:h.com?a=", "sip:h.com?A="));
  EXPECT_FALSE(equal("sip:h.com?a=", "sip:h.com"));
}

TEST(UriEqual, Rfc4475EscapedContacts) {
  // escnull: the two Contacts are distinct bindings.
  EXPECT_FALSE(equal("sip:%00@host5.example.com", "sip:%00%00@host5.example.com"));
  EXPECT_FALSE(equal("sip:null-%00-null@example.com", "sip:null-@example.com"));
  // esc01
  EXPECT_TRUE(equal("sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31",
                    "sip:caller@host5.example.net;lr;name=value%2541"));
  EXPECT_FALSE(equal("sip:sips%3Auser%40example.com@example.net", "sip:sips@example.net"));
}

TEST(UriEqual, SchemesDiffer) {
  EXPECT_FALSE(equal("sip:+1234@h.com", "tel:+1234"));
  EXPECT_FALSE(equal("sip:a@h.com", "mailto:a@h.com"));
}

TEST(UriEqual, Tel) {
  // RFC 3966 §4
  EXPECT_TRUE(equal("tel:+1-201-555-0123", "tel:+1.201.555.0123"));
  EXPECT_TRUE(equal("tel:+1-201-555-0123", "tel:+1(201)5550123"));
  EXPECT_FALSE(equal("tel:+1-201-555-0123", "tel:+1-201-555-0124"));
  EXPECT_FALSE(equal("tel:+1-201-555-0123", "tel:+1-201-555-01234"));
  EXPECT_FALSE(equal("tel:1234;phone-context=+1", "tel:+1234"));
  EXPECT_TRUE(equal("tel:abcd;phone-context=example.com", "tel:ABCD;phone-context=EXAMPLE.com"));
  EXPECT_TRUE(equal("tel:863-1234;phone-context=+1-914-555", "tel:8631234;phone-context=+1914555"));
  EXPECT_FALSE(equal("tel:863-1234;phone-context=+1-914-555",
                     "tel:8631234;phone-context=+1914556"));
  EXPECT_FALSE(equal("tel:7042;phone-context=example.com", "tel:7042;phone-context=example.net"));
  EXPECT_TRUE(equal("tel:+1234;ext=1-2;foo=BAR", "tel:+1234;FOO=bar;ext=12"));
  EXPECT_FALSE(equal("tel:+1234;ext=12", "tel:+1234"));
  EXPECT_FALSE(equal("tel:+1234;foo", "tel:+1234"));  // unlike sip, no parameter is ignored
  EXPECT_FALSE(equal("tel:+1234;foo=1", "tel:+1234;foo=2"));
  EXPECT_TRUE(equal("tel:+1234;foo=%41", "tel:+1234;foo=a"));
}

TEST(UriEqual, OtherSchemes) {
  EXPECT_TRUE(equal("HTTP://www.example.com", "http://www.example.com"));
  EXPECT_TRUE(equal("urn:%61bc", "urn:abc"));
  EXPECT_FALSE(equal("urn:ABC", "urn:abc"));
  EXPECT_FALSE(equal("urn:abc", "isbn:abc"));
  EXPECT_FALSE(equal("foo:a%2Fb", "foo:a/b"));
}

// ---------------------------------------------------------------------------------------------
// Serialization

TEST(UriToString, Canonical) {
  EXPECT_EQ(to_string(parse_ok("SIP:Alice:PW@AtLanTa.CoM:05060;Transport=TCP?Subject=X")),
            "sip:Alice:PW@atlanta.com:5060;Transport=TCP?Subject=X");
  EXPECT_EQ(to_string(parse_ok("sips:h.com")), "sips:h.com");
  EXPECT_EQ(to_string(parse_ok("sip:alice:@h.com")), "sip:alice:@h.com");
  EXPECT_EQ(to_string(parse_ok("sip:[2001:DB8::1]:5070")), "sip:[2001:db8::1]:5070");
  EXPECT_EQ(to_string(parse_ok("sip:h.com:0")), "sip:h.com:0");
  EXPECT_EQ(to_string(parse_ok("TEL:+1-201-555-0123;ext=1")), "tel:+1-201-555-0123;ext=1");
  EXPECT_EQ(to_string(parse_ok("tel:7042;phone-context=example.com")),
            "tel:7042;phone-context=example.com");
  EXPECT_EQ(to_string(parse_ok("Soap.Beep://192.0.2.103:3002")), "soap.beep://192.0.2.103:3002");
  EXPECT_EQ(to_string(parse_ok("sip:null-%00-null@example.com")), "sip:null-%00-null@example.com");
}

TEST(UriToString, HandBuilt) {
  Uri u;
  u.scheme = UriScheme::kSips;
  u.user = "bob";
  u.has_user = true;
  u.host = "biloxi.com";
  u.host_kind = HostKind::kHostname;
  u.port = 5061;
  u.has_port = true;
  u.params = "transport=tcp";
  EXPECT_EQ(to_string(u), "sips:bob@biloxi.com:5061;transport=tcp");
}

TEST(UriToString, RoundTripsToAnEqualUri) {
  for (std::string_view text :
       {"sip:alice@atlanta.com", "sip:alice:secretword@atlanta.com;transport=tcp",
        "sips:alice@atlanta.com?subject=project%20x&priority=urgent",
        "sip:+1-212-555-1212:1234@gateway.com;user=phone", "sip:alice@192.0.2.4",
        "sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com",
        "sip:alice;day=tuesday@atlanta.com",
        "sip:sips%3Auser%40example.com@example.net", "sip:user;par=u%40example.net@example.com",
        "sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31",
        "sip:[2001:db8::10]:5070", "sip:user@[2001:db8:::192.0.2.1]", "sip:[::ffff:192.0.2.10]",
        "SIP:ALICE@AtLanTa.CoM;Transport=udp", "tel:+1-201-555-0123",
        "tel:863-1234;phone-context=+1-914-555", "nobodyKnowsThisScheme:totallyopaquecontent",
        "soap.beep://192.0.2.103:3002"}) {
    const Uri first = parse_ok(text);
    const std::string canonical = to_string(first);
    Uri second;
    ASSERT_TRUE(parse_uri(canonical, second).empty()) << canonical;
    EXPECT_TRUE(uri_equal(first, second)) << text << " -> " << canonical;
    EXPECT_EQ(to_string(second), canonical) << "to_string is not idempotent for " << text;
  }
}

// ---------------------------------------------------------------------------------------------
// Robustness: every prefix and many single-byte mutations of a set of seeds, each parsed from
// a buffer of exactly its size so a read past the end trips AddressSanitizer.

void check_robust(std::string_view text) {
  const auto buffer = std::make_unique<char[]>(text.size() + 1);
  std::memcpy(buffer.get() + 1, text.data(), text.size());
  // Shift by one and never touch buffer[0]: the view ends exactly at the allocation's end.
  const std::string_view view(buffer.get() + 1, text.size());
  Uri u;
  if (!parse_uri(view, u).empty()) return;
  // Whatever parses must also serialize, re-parse and compare equal to itself.
  EXPECT_TRUE(uri_equal(u, u)) << view;
  const std::string canonical = to_string(u);
  Uri again;
  ASSERT_TRUE(parse_uri(canonical, again).empty()) << view << " -> " << canonical;
  EXPECT_TRUE(uri_equal(u, again)) << view << " -> " << canonical;
  (void)u.param("lr");
  (void)u.header("subject");
  if (!u.user.empty()) (void)unescape(u.user);
}

TEST(UriRobustness, PrefixesAndMutations) {
  const std::vector<std::string_view> seeds = {
      "sip:alice:pw@atlanta.com:5060;transport=tcp;lr?subject=a%20b&x=",
      "sips:[2001:db8:::192.0.2.1]:5061;maddr=[::1]",
      "sip:user;par=u%40example.net@[::ffff:192.0.2.10]",
      "tel:863-1234;isub=a?b;phone-context=+1-914-555;x",
      "tel:+1-201-555-0123;ext=12;phone-context=example.com.",
      "soap.beep://192.0.2.103:3002/a;b?c",
  };
  const std::string_view alphabet = "%:;@?&=[].-+/ 0aF\0\xff"sv;
  for (std::string_view seed : seeds) {
    for (std::size_t n = 0; n <= seed.size(); ++n) check_robust(seed.substr(0, n));
    for (std::size_t i = 0; i < seed.size(); ++i) {
      for (char c : alphabet) {
        std::string mutated(seed);
        mutated[i] = c;
        check_robust(mutated);
        mutated.insert(i, 1, c);
        check_robust(mutated);
        check_robust(std::string(seed).erase(i, 1));
      }
    }
  }
}

TEST(UriRobustness, EveryByteValueInEveryComponent) {
  const std::vector<std::string> templates = {"sip:u@h.com", "sip:u:p@h.com", "sip:h.com",
                                              "sip:h.com;a=b", "sip:h.com?a=b", "tel:+1;a=b",
                                              "x:abc"};
  for (const std::string& t : templates) {
    for (std::size_t i = 0; i <= t.size(); ++i) {
      for (int b = 0; b < 256; ++b) {
        std::string s = t;
        s.insert(i, 1, static_cast<char>(b));
        check_robust(s);
      }
    }
  }
}

TEST(UriRobustness, LongInputs) {
  std::string many_params = "sip:h.com";
  for (int i = 0; i < 2000; ++i) many_params += ";p" + std::to_string(i) + "=v";
  const Uri u = parse_ok(many_params);
  EXPECT_EQ(u.param("p1999"), "v");
  EXPECT_TRUE(uri_equal(u, u));

  const std::string long_user = "sip:" + std::string(10000, 'a') + "@h.com";
  EXPECT_EQ(parse_ok(long_user).user.size(), 10000U);

  EXPECT_FALSE(parses("sip:h.com:" + std::string(10000, '9')));
  EXPECT_FALSE(parses("sip:[" + std::string(10000, ':') + "]"));
  EXPECT_FALSE(parses("sip:" + std::string(10000, '%')));
  std::string long_host = "sip:";
  for (int i = 0; i < 150; ++i) long_host += std::string(63, 'a') + ".";
  EXPECT_TRUE(parses(long_host + "com"));
  EXPECT_FALSE(parses("sip:" + std::string(64, 'a') + ".com"));  // a DNS label holds 63 octets
}

}  // namespace
}  // namespace trapezoid::sip
