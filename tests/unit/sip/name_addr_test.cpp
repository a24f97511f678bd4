#include "sip/name_addr.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace trapezoid::sip {
namespace {

constexpr std::string_view kMalformed = "Malformed Address";

bool parses(std::string_view text, AddrForm form = AddrForm::kNameAddrOrAddrSpec) {
  NameAddr a;
  return parse_name_addr(text, a, form).empty();
}

// RFC 3261 §20.20 / §20.39 examples.
TEST(NameAddr, ParsesQuotedDisplayNameWithParams) {
  NameAddr a;
  ASSERT_EQ(parse_name_addr(R"("Bob" <sip:bob@biloxi.com>;tag=a6c85cf)", a), "");
  EXPECT_EQ(a.display_name, R"("Bob")");
  EXPECT_EQ(unquote(a.display_name), "Bob");
  EXPECT_EQ(a.uri, "sip:bob@biloxi.com");
  EXPECT_TRUE(a.angle_brackets);
  EXPECT_EQ(a.parsed_uri.scheme, UriScheme::kSip);
  EXPECT_EQ(a.parsed_uri.user, "bob");
  EXPECT_EQ(a.parsed_uri.host, "biloxi.com");
  EXPECT_EQ(a.params.get("tag"), "a6c85cf");
}

// display-name = *(token LWS) / quoted-string (§25.1).
TEST(NameAddr, ParsesTokenDisplayNames) {
  NameAddr a;
  ASSERT_EQ(parse_name_addr("Bob <sip:bob@biloxi.com>", a), "");
  EXPECT_EQ(a.display_name, "Bob");
  ASSERT_EQ(parse_name_addr("Anonymous Bob  Smith <sip:c8oqz84zk7z@privacy.org>;tag=hyh8", a), "");
  EXPECT_EQ(a.display_name, "Anonymous Bob  Smith");
  EXPECT_EQ(a.uri, "sip:c8oqz84zk7z@privacy.org");
  EXPECT_EQ(a.params.get("tag"), "hyh8");
  ASSERT_EQ(parse_name_addr("A.G.-Bell!~' <sip:a@b.c>", a), "");
  EXPECT_EQ(a.display_name, "A.G.-Bell!~'");
}

TEST(NameAddr, ParsesNameAddrWithoutDisplayName) {
  NameAddr a;
  ASSERT_EQ(parse_name_addr("<sip:alice@atlanta.com>", a), "");
  EXPECT_EQ(a.display_name, "");
  EXPECT_EQ(a.uri, "sip:alice@atlanta.com");
  EXPECT_TRUE(a.angle_brackets);
  EXPECT_TRUE(a.params.empty());
}

// Quoted display names keep their escapes as written; unquote() resolves quoted-pairs.
TEST(NameAddr, QuotedDisplayNamesWithEscapes) {
  NameAddr a;
  // RFC 4475 §3.1.1.1 (wsinv) From and Contact.
  ASSERT_EQ(parse_name_addr("\"J Rosenberg \\\\\\\"\"       <sip:jdrosen@example.com>\r\n  ;\r\n  tag = 98asjd8", a), "");
  EXPECT_EQ(a.display_name, "\"J Rosenberg \\\\\\\"\"");
  EXPECT_EQ(unquote(a.display_name), "J Rosenberg \\\"");
  EXPECT_EQ(a.params.get("tag"), "98asjd8");

  ASSERT_EQ(parse_name_addr("\"Quoted string \\\"\\\"\" <sip:jdrosen@example.com> ; newparam =\r\n      newvalue ;\r\n  secondparam ; q = 0.33", a), "");
  EXPECT_EQ(unquote(a.display_name), "Quoted string \"\"");
  EXPECT_EQ(a.params.get("newparam"), "newvalue");
  EXPECT_TRUE(a.params.has("secondparam"));
  EXPECT_EQ(a.params.get("q"), "0.33");
}

// A quoted display name may hold characters a token cannot: ',', ';', '<', '@', UTF-8.
TEST(NameAddr, QuotedDisplayNamesMayHoldSeparators) {
  NameAddr a;
  ASSERT_EQ(parse_name_addr(R"("Bell, Alexander; <x@y>" <sip:a.g.bell@example.com>;tag=43)", a), "");
  EXPECT_EQ(unquote(a.display_name), "Bell, Alexander; <x@y>");
  EXPECT_EQ(a.uri, "sip:a.g.bell@example.com");
  ASSERT_EQ(parse_name_addr("\"caf\xC3\xA9\" <sip:a@b.c>", a), "");
  EXPECT_EQ(unquote(a.display_name), "caf\xC3\xA9");
  ASSERT_EQ(parse_name_addr(R"("" <sip:a@b.c>)", a), "");
  EXPECT_EQ(a.display_name, R"("")");
  EXPECT_EQ(unquote(a.display_name), "");
}

// RFC 4475 §3.1.1.6 (lwsdisp): no LWS between display name and '<'. RFC 3261's grammar
// wants LWS after a token display name, but RFC 4475 asks elements to accept this.
TEST(NameAddr, AcceptsNoSpaceBeforeTheAngleBracket) {
  NameAddr a;
  ASSERT_EQ(parse_name_addr("caller<sip:caller@example.com>;tag=323", a), "");
  EXPECT_EQ(a.display_name, "caller");
  EXPECT_EQ(a.uri, "sip:caller@example.com");
  EXPECT_EQ(a.params.get("tag"), "323");
  // LAQUOT = SWS "<": after a quoted-string no whitespace is needed at all.
  ASSERT_EQ(parse_name_addr(R"("Bob"<sip:bob@biloxi.com>)", a), "");
  EXPECT_EQ(a.display_name, R"("Bob")");
}

// §20.10: in an addr-spec without angle brackets, the parameters after the URI belong to the
// header, not the URI (RFC 4475 §3.3.12 cparam01).
TEST(NameAddr, AddrSpecParamsBelongToTheHeader) {
  NameAddr a;
  ASSERT_EQ(parse_name_addr("sip:+19725552222@gw1.example.net;unknownparam", a), "");
  EXPECT_FALSE(a.angle_brackets);
  EXPECT_EQ(a.display_name, "");
  EXPECT_EQ(a.uri, "sip:+19725552222@gw1.example.net");
  EXPECT_TRUE(a.params.has("unknownparam"));
  EXPECT_EQ(a.parsed_uri.params, "");
  ASSERT_EQ(parse_name_addr("sip:user@example.com;tag=8", a), "");
  EXPECT_EQ(a.params.get("tag"), "8");
  ASSERT_EQ(parse_name_addr("sip:user@example.com ;tag=8", a), "");
  EXPECT_EQ(a.params.get("tag"), "8");
}

// Inside angle brackets the parameters are the URI's (RFC 4475 §3.3.13 cparam02).
TEST(NameAddr, NameAddrParamsInsideBracketsBelongToTheUri) {
  NameAddr a;
  ASSERT_EQ(parse_name_addr("<sip:+19725552222@gw1.example.net;unknownparam>", a), "");
  EXPECT_TRUE(a.params.empty());
  EXPECT_TRUE(a.parsed_uri.has_param("unknownparam"));
  ASSERT_EQ(parse_name_addr("<sip:services.example.com;lr;unknownwith=value;unknown-no-value>", a), "");
  EXPECT_TRUE(a.parsed_uri.has_param("lr"));
  EXPECT_EQ(a.parsed_uri.param("unknownwith"), "value");
}

// §20.10: "if the URI contains a comma, question mark or semicolon, the URI MUST be enclosed
// in angle brackets". A '?' or ',' in an addr-spec is an error.
TEST(NameAddr, QuestionMarkOrCommaInAddrSpecIsAnError) {
  // RFC 4475 §3.1.2.13 (regbadct).
  EXPECT_EQ([] {
    NameAddr a;
    return parse_name_addr("sip:user@example.com?Route=%3Csip:sip.example.com%3E", a);
  }(), kMalformed);
  EXPECT_FALSE(parses("sip:user@example.com?subject=x"));
  EXPECT_FALSE(parses("sip:a,b@example.com"));
  EXPECT_FALSE(parses("sip:user@example.com,sip:other@example.com"));
  // The same URIs are fine in brackets (RFC 4475 §3.3.14 regescrt).
  NameAddr a;
  ASSERT_EQ(parse_name_addr("<sip:user@example.com?Route=%3Csip:sip.example.com%3E>", a), "");
  EXPECT_EQ(a.parsed_uri.headers, "Route=%3Csip:sip.example.com%3E");
}

// LAQUOT = SWS "<" and RAQUOT = ">" SWS (§25.1): no whitespace inside the brackets.
// RFC 4475 §3.1.2.14 (badaspec).
TEST(NameAddr, WhitespaceInsideAngleBracketsIsAnError) {
  EXPECT_FALSE(parses("<sip:user@example.com >"));
  EXPECT_FALSE(parses("< sip:user@example.com>"));
  EXPECT_FALSE(parses("\"Watson, Thomas\" < sip:t.watson@example.org >"));
  EXPECT_FALSE(parses("<sip:user @example.com>"));
  EXPECT_FALSE(parses("<sip:user@example.com\r\n >"));
}

TEST(NameAddr, SpacesInsideAnAddrSpecAreAnError) {
  EXPECT_FALSE(parses("sip:user@example.com junk"));
  EXPECT_FALSE(parses("sip: user@example.com"));
}

// absoluteURI (§25.1): other schemes are accepted; RFC 4475 §3.3.4 (unksm2).
TEST(NameAddr, AcceptsUnknownSchemes) {
  NameAddr a;
  ASSERT_EQ(parse_name_addr("<http://example.com/joe>;tag=1", a), "");
  EXPECT_EQ(a.parsed_uri.scheme, UriScheme::kOther);
  EXPECT_EQ(a.parsed_uri.scheme_name, "http");
  EXPECT_EQ(a.params.get("tag"), "1");
  ASSERT_EQ(parse_name_addr("isbn:2983792873", a), "");
  EXPECT_EQ(a.parsed_uri.scheme, UriScheme::kOther);
  EXPECT_EQ(a.uri, "isbn:2983792873");
  ASSERT_EQ(parse_name_addr("<name:John_Smith>", a), "");
  EXPECT_EQ(a.parsed_uri.scheme_name, "name");
  ASSERT_EQ(parse_name_addr("<tel:+1-201-555-0123>", a), "");
  EXPECT_EQ(a.parsed_uri.scheme, UriScheme::kTel);
}

TEST(NameAddr, UriErrorsAreReported) {
  NameAddr a;
  EXPECT_NE(parse_name_addr("<sip:user@>", a), "");
  EXPECT_NE(parse_name_addr("<sip:@example.com>", a), "");
  EXPECT_NE(parse_name_addr("<not a uri>", a), "");
  EXPECT_NE(parse_name_addr("<1sip:a@b>", a), "");
  EXPECT_NE(parse_name_addr("plainword", a), "");
}

// RFC 4475 §3.1.2.6 (quotbal): an unterminated quoted display name.
TEST(NameAddr, UnterminatedQuoteIsAnError) {
  EXPECT_EQ([] {
    NameAddr a;
    return parse_name_addr("\"Mr. J. User <sip:j.user@example.com>", a);
  }(), kMalformed);
  EXPECT_FALSE(parses("\"Bob\\\" <sip:bob@biloxi.com>"));
  EXPECT_FALSE(parses("\"Bob"));
}

// RFC 4475 §3.1.2.15 (baddn): ',' is not a token character, so an unquoted display name
// cannot hold one.
TEST(NameAddr, NonTokenCharactersInUnquotedDisplayNameAreAnError) {
  EXPECT_FALSE(parses("Bell, Alexander <sip:a.g.bell@example.com>;tag=43"));
  EXPECT_FALSE(parses("Watson, Thomas <sip:t.watson@example.org>"));
  EXPECT_FALSE(parses("Bob@home <sip:bob@biloxi.com>"));
  EXPECT_FALSE(parses("Bob; <sip:bob@biloxi.com>"));
}

TEST(NameAddr, BrokenBracketsAreAnError) {
  for (std::string_view bad : {"<sip:a@b.c", "sip:a@b.c>", "<>", "\"Bob\" <>", "<sip:a@b.c>>",
                               "<<sip:a@b.c>>", "\"Bob\" sip:a@b.c", "\"Bob\"", "Bob",
                               "Bob sip:a@b.c", "<sip:a@b.c> <sip:d@e.f>", ""}) {
    EXPECT_FALSE(parses(bad)) << '"' << bad << '"';
  }
}

TEST(NameAddr, HeaderParamsAreCheckedToo) {
  EXPECT_FALSE(parses("<sip:a@b.c>;"));
  EXPECT_FALSE(parses("<sip:a@b.c>;;tag=1"));
  EXPECT_FALSE(parses("<sip:a@b.c>;tag="));
  EXPECT_FALSE(parses("<sip:a@b.c>;tag=1 junk"));
  EXPECT_FALSE(parses("<sip:a@b.c> tag=1"));
  EXPECT_FALSE(parses("sip:a@b.c;"));
  EXPECT_TRUE(parses("<sip:a@b.c> ; tag = 1 ; lr "));
}

TEST(NameAddr, ToleratesSurroundingAndFoldedLws) {
  NameAddr a;
  ASSERT_EQ(parse_name_addr("\r\n sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n", a), "");
  EXPECT_EQ(a.uri, "sip:vivekg@chair-dnrc.example.com");
  EXPECT_EQ(a.params.get("tag"), "1918181833n");
  ASSERT_EQ(parse_name_addr("  Bob \t <sip:bob@biloxi.com>  ", a), "");
  EXPECT_EQ(a.display_name, "Bob");
}

// rec-route = name-addr *( SEMI rr-param ) (§25.1): Route, Record-Route and Path need the
// brackets.
TEST(NameAddr, RouteFormRequiresNameAddr) {
  NameAddr a;
  ASSERT_EQ(parse_name_addr("<sip:p1.example.com;lr>", a, AddrForm::kNameAddrOnly), "");
  EXPECT_TRUE(a.parsed_uri.has_param("lr"));
  ASSERT_EQ(parse_name_addr("Proxy <sip:p1.example.com;lr>;x=1", a, AddrForm::kNameAddrOnly), "");
  EXPECT_EQ(a.params.get("x"), "1");
  EXPECT_EQ(parse_name_addr("sip:p1.example.com;lr", a, AddrForm::kNameAddrOnly), kMalformed);
  EXPECT_EQ(parse_name_addr("sip:p1.example.com", a, AddrForm::kNameAddrOnly), kMalformed);
  EXPECT_TRUE(parses("sip:p1.example.com;lr", AddrForm::kNameAddrOrAddrSpec));
}

TEST(NameAddr, ResetsTheOutputOnEachCall) {
  NameAddr a;
  ASSERT_EQ(parse_name_addr(R"("Bob" <sip:bob@biloxi.com>;tag=1)", a), "");
  ASSERT_EQ(parse_name_addr("sip:carol@chicago.com", a), "");
  EXPECT_EQ(a.display_name, "");
  EXPECT_FALSE(a.angle_brackets);
  EXPECT_TRUE(a.params.empty());
  EXPECT_EQ(a.parsed_uri.user, "carol");
}

TEST(NameAddr, UnquoteResolvesQuotedPairs) {
  EXPECT_EQ(unquote(R"("Bob")"), "Bob");
  EXPECT_EQ(unquote(R"("a\"b")"), "a\"b");
  EXPECT_EQ(unquote(R"("a\\b")"), "a\\b");
  EXPECT_EQ(unquote(R"("\\")"), "\\");
  EXPECT_EQ(unquote(R"("\a\b")"), "ab");
  EXPECT_EQ(unquote(R"("")"), "");
  // Not quoted: returned as is.
  EXPECT_EQ(unquote("Bob Smith"), "Bob Smith");
  EXPECT_EQ(unquote("\""), "\"");
  EXPECT_EQ(unquote(""), "");
}

// A URI copied from a known parse (To repeating the Request-URI) is the parse itself: the
// same fields, its views inside the address's own text.
TEST(NameAddr, KnownUriCopyEqualsParse) {
  for (std::string_view uri_text : {"sip:bob@biloxi.com", "sips:alice:pw@[2001:db8::1]:5061;transport=tcp;lr",
                                    "sip:+1-212-555-1212@gw.example.com;user=phone", "tel:+1-201-555-0123"}) {
    const std::string request_uri(uri_text);  // elsewhere in the message
    Uri known_parse;
    ASSERT_TRUE(parse_uri(request_uri, known_parse).empty()) << uri_text;
    const KnownUri known{request_uri, &known_parse};
    const std::string to = "Bob <" + std::string(uri_text) + ">;tag=a6c85cf";
    NameAddr copied;
    NameAddr parsed;
    ASSERT_TRUE(parse_name_addr(to, copied, AddrForm::kNameAddrOrAddrSpec, &known).empty()) << uri_text;
    ASSERT_TRUE(parse_name_addr(to, parsed).empty()) << uri_text;
    const Uri& a = copied.parsed_uri;
    const Uri& b = parsed.parsed_uri;
    for (auto field : {&Uri::scheme_name, &Uri::user, &Uri::password, &Uri::host, &Uri::params, &Uri::headers,
                       &Uri::opaque}) {
      EXPECT_EQ(a.*field, b.*field) << uri_text;
      EXPECT_EQ((a.*field).data(), (b.*field).data()) << uri_text;  // into `to`, not request_uri
    }
    EXPECT_EQ(a.scheme, b.scheme);
    EXPECT_EQ(a.has_user, b.has_user);
    EXPECT_EQ(a.has_password, b.has_password);
    EXPECT_EQ(a.host_kind, b.host_kind);
    EXPECT_EQ(a.port, b.port);
    EXPECT_EQ(a.has_port, b.has_port);
    EXPECT_EQ(copied.tag, "a6c85cf");
  }
}

// A known URI with other text is not used.
TEST(NameAddr, KnownUriWithOtherTextIsParsed) {
  Uri known_parse;
  ASSERT_TRUE(parse_uri("sip:carol@chicago.com", known_parse).empty());
  const KnownUri known{"sip:carol@chicago.com", &known_parse};
  NameAddr a;
  ASSERT_TRUE(parse_name_addr("<sip:bob@biloxi.com>", a, AddrForm::kNameAddrOrAddrSpec, &known).empty());
  EXPECT_EQ(a.parsed_uri.user, "bob");
  EXPECT_EQ(parse_name_addr("<sip:bob@bad_host>", a, AddrForm::kNameAddrOrAddrSpec, &known), "Bad URI Host");
}

// find_address_tag reads what parse_name_addr reads, without the URI: on every value the full
// parse accepts, the same presence and value of the tag parameter.
TEST(NameAddr, FindAddressTagAgreesWithTheFullParse) {
  const std::string_view values[] = {
      R"("Bob" <sip:bob@biloxi.com>;tag=a6c85cf)",
      R"(<sip:alice@atlanta.com>;tag=1928301774)",
      R"(sip:alice@atlanta.com;tag=88sja8x)",
      R"(sip:alice@atlanta.com)",
      R"(<sip:alice@atlanta.com;tag=not-a-header-param>)",
      R"(<sip:alice@atlanta.com;tag=uri>;tag=header)",
      R"("A; <weird> \"name\"" <sip:a@b.example.com>;x=1;TAG=Upper)",
      R"(Bob Smith <sips:bob@192.0.2.4:5061;transport=tls>;x="a;tag=q";tag=real)",
      R"(<sip:bob@biloxi.com> ; tag = spaced ;lr)",
      R"(<sip:bob@biloxi.com>;tag)",
      R"(<sip:bob@biloxi.com>;lr;tag=1;tag=2)",
      R"(<tel:+1-201-555-0123>;tag=t1)",
      R"(<sip:[2001:db8::10]:5070>;tag=v6)",
      R"(  "x" <sip:x@example.com>  ;  tag=pad  )",
  };
  for (std::string_view v : values) {
    NameAddr a;
    ASSERT_EQ(parse_name_addr(v, a), "") << v;
    std::string_view tag = "unset";
    const bool found = find_address_tag(v, tag);
    EXPECT_EQ(found, a.params.has("tag")) << v;
    EXPECT_EQ(tag, a.tag) << v;
  }
  std::string_view tag;
  EXPECT_TRUE(find_address_tag(R"(<sip:bob@biloxi.com>;tag=1;tag=2)", tag));
  EXPECT_EQ(tag, "2");
  EXPECT_FALSE(find_address_tag("<sip:bob@biloxi.com", tag));  // unclosed: nothing found
  EXPECT_EQ(tag, "");
}

}  // namespace
}  // namespace trapezoid::sip
