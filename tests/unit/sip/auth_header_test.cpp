#include "sip/auth_header.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace trapezoid::sip {
namespace {

Challenge must_parse_challenge(std::string_view v) {
  Challenge c;
  EXPECT_EQ(parse_challenge(v, c), "") << v;
  return c;
}

Credentials must_parse_credentials(std::string_view v) {
  Credentials c;
  EXPECT_EQ(parse_credentials(v, c), "") << v;
  return c;
}

bool challenge_ok(std::string_view v) {
  Challenge c;
  return parse_challenge(v, c).empty();
}

bool credentials_ok(std::string_view v) {
  Credentials c;
  return parse_credentials(v, c).empty();
}

// --- RFC examples --------------------------------------------------------------------------

TEST(AuthHeader, Rfc3261WwwAuthenticateExample) {
  // RFC 3261 §20.44, continuation lines kept folded as they arrive.
  const std::string_view v =
      "Digest realm=\"atlanta.com\",\r\n"
      "  domain=\"sip:boxesbybob.com\", qop=\"auth\",\r\n"
      "  nonce=\"f84f1cec41e6cbe5aea9c8e88d359\",\r\n"
      "  opaque=\"\", stale=FALSE, algorithm=MD5";
  Challenge c = must_parse_challenge(v);
  EXPECT_TRUE(c.is_digest());
  EXPECT_EQ(c.scheme, "Digest");
  EXPECT_EQ(c.params().size(), 7u);
  EXPECT_EQ(c.realm(), "atlanta.com");
  EXPECT_EQ(c.domain(), "sip:boxesbybob.com");
  EXPECT_EQ(c.qop(), "auth");
  EXPECT_TRUE(c.offers_qop("auth"));
  EXPECT_FALSE(c.offers_qop("auth-int"));
  EXPECT_EQ(c.nonce(), "f84f1cec41e6cbe5aea9c8e88d359");
  EXPECT_EQ(c.opaque(), "");  // present and empty, not absent
  EXPECT_EQ(c.stale(), false);
  EXPECT_EQ(c.algorithm(), "MD5");
  EXPECT_EQ(c.userhash(), std::nullopt);
  EXPECT_TRUE(c.token68.empty());
}

TEST(AuthHeader, Rfc3261ProxyAuthenticateExample) {
  // RFC 3261 §20.27.
  Challenge c;
  ASSERT_EQ(parse_challenge("Digest realm=\"atlanta.com\",\r\n domain=\"sip:ss1.carrier.com\", "
                            "qop=\"auth\",\r\n nonce=\"f84f1cec41e6cbe5aea9c8e88d359\",\r\n "
                            "opaque=\"\", stale=FALSE, algorithm=MD5",
                            c, HeaderId::kProxyAuthenticate),
            "");
  EXPECT_EQ(c.domain(), "sip:ss1.carrier.com");
  EXPECT_EQ(c.find("domain")->value, "\"sip:ss1.carrier.com\"");
  EXPECT_TRUE(c.find("domain")->is_quoted());
  EXPECT_FALSE(c.find("stale")->is_quoted());
}

TEST(AuthHeader, Rfc3261AuthorizationExample) {
  // RFC 3261 §22.2.
  const std::string_view v =
      "Digest username=\"bob\",\r\n"
      "        realm=\"biloxi.com\",\r\n"
      "        nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\",\r\n"
      "        uri=\"sip:bob@biloxi.com\",\r\n"
      "        qop=auth,\r\n"
      "        nc=00000001,\r\n"
      "        cnonce=\"0a4f113b\",\r\n"
      "        response=\"6629fae49393a05397450978507c4ef1\",\r\n"
      "        opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";
  Credentials c = must_parse_credentials(v);
  EXPECT_TRUE(c.is_digest());
  EXPECT_EQ(c.username(), "bob");
  EXPECT_EQ(c.realm(), "biloxi.com");
  EXPECT_EQ(c.nonce(), "dcd98b7102dd2f0e8b11d0f600bfb0c093");
  EXPECT_EQ(c.uri(), "sip:bob@biloxi.com");
  EXPECT_EQ(c.qop(), "auth");
  EXPECT_EQ(c.nc(), 1u);
  EXPECT_EQ(c.cnonce(), "0a4f113b");
  EXPECT_EQ(c.response(), "6629fae49393a05397450978507c4ef1");
  EXPECT_EQ(c.opaque(), "5ccc069c403ebaf9f0171e9517f40e41");
  EXPECT_EQ(c.algorithm(), std::nullopt);
  EXPECT_EQ(c.userhash(), std::nullopt);
}

TEST(AuthHeader, Rfc3261ProxyAuthorizationExample) {
  // RFC 3261 §20.28.
  Credentials c;
  ASSERT_EQ(parse_credentials("Digest username=\"Alice\", realm=\"atlanta.com\",\r\n"
                              "   nonce=\"c60f3082ee1212b402a21831ae\",\r\n"
                              "   response=\"245f23415f11432b3434341c022\"",
                              c, HeaderId::kProxyAuthorization),
            "");
  EXPECT_EQ(c.username(), "Alice");
  EXPECT_EQ(c.response(), "245f23415f11432b3434341c022");
  EXPECT_EQ(c.nc(), std::nullopt);
  EXPECT_EQ(c.qop(), std::nullopt);
}

TEST(AuthHeader, Rfc2617Example) {
  // RFC 2617 §3.5.
  Challenge ch = must_parse_challenge(
      "Digest\r\n realm=\"testrealm@host.com\",\r\n qop=\"auth,auth-int\",\r\n"
      " nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\",\r\n"
      " opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");
  EXPECT_EQ(ch.realm(), "testrealm@host.com");
  EXPECT_TRUE(ch.offers_qop("auth"));
  EXPECT_TRUE(ch.offers_qop("auth-int"));
  EXPECT_TRUE(ch.offers_qop("AUTH-INT"));
  EXPECT_FALSE(ch.offers_qop("auth-conf"));

  Credentials cr = must_parse_credentials(
      "Digest username=\"Mufasa\",\r\n realm=\"testrealm@host.com\",\r\n"
      " nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\",\r\n uri=\"/dir/index.html\",\r\n"
      " qop=auth,\r\n nc=00000001,\r\n cnonce=\"0a4f113b\",\r\n"
      " response=\"6629fae49393a05397450978507c4ef1\",\r\n"
      " opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");
  EXPECT_EQ(cr.username(), "Mufasa");
  EXPECT_EQ(cr.uri(), "/dir/index.html");
  EXPECT_EQ(cr.params().size(), 9u);
}

TEST(AuthHeader, Rfc7616Sha256Example) {
  // RFC 7616 §3.9.1: qop list with a space after the comma, SHA-256.
  Challenge ch = must_parse_challenge(
      "Digest\n realm=\"http-auth@example.org\",\n qop=\"auth, auth-int\",\n"
      " algorithm=SHA-256,\n nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\",\n"
      " opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"");
  EXPECT_EQ(ch.algorithm(), "SHA-256");
  EXPECT_TRUE(ch.offers_qop("auth-int"));
  EXPECT_EQ(ch.opaque(), "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS");

  Credentials cr = must_parse_credentials(
      "Digest username=\"Mufasa\",\n realm=\"http-auth@example.org\",\n uri=\"/dir/index.html\",\n"
      " algorithm=SHA-256,\n nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\",\n"
      " nc=00000001,\n cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\",\n qop=auth,\n"
      " response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\",\n"
      " opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"");
  EXPECT_EQ(cr.algorithm(), "SHA-256");
  EXPECT_EQ(cr.response()->size(), 64u);
  EXPECT_EQ(cr.cnonce(), "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ");
}

TEST(AuthHeader, Rfc7616Userhash) {
  // RFC 7616 §3.9.2 (shortened).
  Challenge ch = must_parse_challenge(
      "Digest realm=\"api@example.org\", qop=\"auth\", algorithm=SHA-512-256, "
      "nonce=\"5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK\", charset=UTF-8, userhash=true");
  EXPECT_EQ(ch.userhash(), true);
  EXPECT_EQ(ch.text("charset"), "UTF-8");

  Credentials cr = must_parse_credentials(
      "Digest username=\"488869477bf257147b804c45308cd62ac4e25eb717b12b298c79e62dcea254ec\", "
      "realm=\"api@example.org\", uri=\"/doe.json\", algorithm=SHA-512-256, "
      "nonce=\"5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK\", nc=00000001, "
      "cnonce=\"NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v\", qop=auth, "
      "response=\"ae66e67d6b427bd3f120414a82e4acff38e8ecd9101d6c861229025f607a79dd\", "
      "userhash=true");
  EXPECT_EQ(cr.userhash(), true);
  EXPECT_EQ(cr.username()->size(), 64u);
}

TEST(AuthHeader, UnknownSchemeIsWellFormed) {
  // RFC 4475 §3.3.7: a parser must not fail on an unknown scheme.
  Credentials c = must_parse_credentials("NoOneKnowsThisScheme opaque-data=here");
  EXPECT_FALSE(c.is_digest());
  EXPECT_EQ(c.scheme, "NoOneKnowsThisScheme");
  ASSERT_EQ(c.params().size(), 1u);
  EXPECT_EQ(c.params()[0].name, "opaque-data");
  EXPECT_EQ(c.params()[0].value, "here");
  // Digest getters still read same-named parameters of other schemes.
  EXPECT_EQ(must_parse_challenge("Basic realm=test").realm(), "test");
}

TEST(AuthHeader, Token68Credentials) {
  // RFC 7235 §2.1 token68, used by RFC 8898 Bearer.
  Credentials c = must_parse_credentials("Super-PGP ajsohdaosdh0asyhdaind08yasdknasd09asidhas0d8");
  EXPECT_EQ(c.token68, "ajsohdaosdh0asyhdaind08yasdknasd09asidhas0d8");
  EXPECT_TRUE(c.params().empty());

  c = must_parse_credentials("Bearer eyJhbGci.eyJzdWIi.Sfl-_~+/Kxw== \r\n ");
  EXPECT_EQ(c.token68, "eyJhbGci.eyJzdWIi.Sfl-_~+/Kxw==");
  c = must_parse_credentials("Bearer abc=");
  EXPECT_EQ(c.token68, "abc=");

  EXPECT_FALSE(credentials_ok("Bearer abc def"));
  EXPECT_FALSE(credentials_ok("Bearer abc==x"));
  EXPECT_FALSE(credentials_ok("Bearer =abc"));
  // Digest never uses token68.
  EXPECT_FALSE(credentials_ok("Digest abcdef"));
  EXPECT_FALSE(challenge_ok("Digest realm"));
}

// --- Whitespace ----------------------------------------------------------------------------

TEST(AuthHeader, OddWhitespace) {
  Challenge c = must_parse_challenge(
      " \t Digest \t\r\n\t realm \t = \r\n \"a\" \t,\n\tnonce\t=\t\"b\"\t,algorithm=MD5  \r\n ");
  EXPECT_EQ(c.realm(), "a");
  EXPECT_EQ(c.nonce(), "b");
  EXPECT_EQ(c.algorithm(), "MD5");
  // Resembles the kamailio and resiprocate corpora: spaces around '=' and no space after ','.
  Credentials cr = must_parse_credentials(
      "Digest username=\"Alice\",realm = \"atlanta.com\",nonce=\"XX\",response=\"YY\"");
  EXPECT_EQ(cr.realm(), "atlanta.com");
}

TEST(AuthHeader, FoldInsideQuotedString) {
  Challenge c = must_parse_challenge("Digest realm=\"atlanta\r\n .com\", nonce=\"x\"");
  // The line break goes, its whitespace stays.
  EXPECT_EQ(c.realm(), "atlanta .com");
  EXPECT_EQ(c.find("realm")->inner(), "atlanta\r\n .com");
}

TEST(AuthHeader, LineBreakWithoutFoldIsRejected) {
  EXPECT_FALSE(challenge_ok("Digest realm=\"a\",\r\nnonce=\"b\""));
  EXPECT_FALSE(challenge_ok("Digest realm=\"a\r\nb\""));
  EXPECT_FALSE(challenge_ok("Digest realm=\"a\rb\""));
  EXPECT_FALSE(challenge_ok("Digest realm=\"a\nb\""));
  EXPECT_FALSE(challenge_ok("Digest realm=\"a\",\r"));
  EXPECT_FALSE(challenge_ok("Digest realm=\"a\"\r\n"));
  EXPECT_FALSE(challenge_ok("Digest\r\nrealm=\"a\""));
  EXPECT_FALSE(challenge_ok("Digest realm=\"a\" \r"));
}

// --- Empty and malformed values ------------------------------------------------------------

TEST(AuthHeader, EmptyValues) {
  Challenge c = must_parse_challenge("Digest realm=\"\", nonce=\"\"");
  EXPECT_EQ(c.realm(), "");
  EXPECT_EQ(c.find("realm")->value, "\"\"");
  EXPECT_FALSE(challenge_ok(""));
  EXPECT_FALSE(challenge_ok("   "));
  EXPECT_FALSE(challenge_ok("Digest"));
  EXPECT_FALSE(challenge_ok("Digest "));
  EXPECT_FALSE(challenge_ok("Digest \r\n "));
  EXPECT_FALSE(challenge_ok("Digest realm="));
  EXPECT_FALSE(challenge_ok("Digest realm= , nonce=\"x\""));
  EXPECT_FALSE(challenge_ok("Digest =\"x\""));
  EXPECT_FALSE(challenge_ok(" realm=\"x\""));
  EXPECT_FALSE(credentials_ok("Digest username"));
}

TEST(AuthHeader, MissingOrExtraCommas) {
  EXPECT_FALSE(challenge_ok("Digest realm=\"a\" nonce=\"b\""));
  EXPECT_FALSE(challenge_ok("Digest realm=a nonce=b"));
  EXPECT_FALSE(challenge_ok("Digest realm=\"a\"nonce=\"b\""));
  EXPECT_FALSE(challenge_ok("Digest ,realm=\"a\""));
  EXPECT_FALSE(challenge_ok("Digest realm=\"a\",, nonce=\"b\""));
  EXPECT_FALSE(challenge_ok("Digest realm=\"a\","));
  EXPECT_FALSE(challenge_ok("Digest realm=\"a\" , "));
  EXPECT_FALSE(challenge_ok("Digest realm=\"a\"; nonce=\"b\""));
  EXPECT_FALSE(challenge_ok("Digest,realm=\"a\""));
  EXPECT_FALSE(challenge_ok("Digest=realm"));
  // Two challenges in one value are not allowed either: the header repeats instead (§20.44).
  EXPECT_FALSE(challenge_ok("Digest realm=\"a\", Basic realm=\"b\""));
}

TEST(AuthHeader, UnterminatedQuotes) {
  EXPECT_FALSE(challenge_ok("Digest realm=\"abc"));
  EXPECT_FALSE(challenge_ok("Digest realm=\""));
  EXPECT_FALSE(challenge_ok("Digest realm=\"abc\\\""));
  EXPECT_FALSE(challenge_ok("Digest realm=\"abc\\"));
  EXPECT_FALSE(challenge_ok("Digest realm=\"a\", nonce=\"b"));
  EXPECT_FALSE(challenge_ok("Digest realm=\"a\"\""));
  EXPECT_FALSE(challenge_ok("Digest realm=a\"b\""));
}

TEST(AuthHeader, NonTokenBareValues) {
  // The digest-uri must be quoted (§22.4 item 2); ':' is not a token character.
  EXPECT_FALSE(credentials_ok("Digest uri=sip:bob@biloxi.com"));
  EXPECT_FALSE(credentials_ok("Digest realm=a/b"));
  EXPECT_FALSE(credentials_ok("Digest re@lm=\"a\""));
  EXPECT_FALSE(credentials_ok("Dig@st realm=\"a\""));
}

TEST(AuthHeader, QuotedPairsAndUtf8) {
  Challenge c =
      must_parse_challenge("Digest realm=\"a\\\"b\\\\c\\d\", nonce=\"\xC3\xBCn\xE2\x82\xAC\"");
  EXPECT_EQ(c.realm(), "a\"b\\cd");
  EXPECT_EQ(c.find("realm")->inner(), "a\\\"b\\\\c\\d");
  EXPECT_EQ(c.nonce(), "\xC3\xBCn\xE2\x82\xAC");
  // A quoted-pair may carry a control character, qdtext may not.
  EXPECT_EQ(must_parse_challenge(std::string_view("Digest realm=\"a\\\x01z\"")).realm(),
            "a\x01z");
  EXPECT_FALSE(challenge_ok(std::string_view("Digest realm=\"a\x01z\"")));
  EXPECT_FALSE(challenge_ok(std::string_view("Digest realm=\"a\0z\"", 18)));
  EXPECT_FALSE(challenge_ok("Digest realm=\"a\x7Fz\""));
  EXPECT_FALSE(challenge_ok("Digest realm=\"a\\\xC3\xBC\""));  // quoted-pair stops at %x7F
  EXPECT_FALSE(challenge_ok("Digest realm=\"\xFF\""));
  EXPECT_FALSE(challenge_ok("Digest realm=\"\xC3\""));
  EXPECT_FALSE(challenge_ok("Digest realm=\"\xE2\x82\""));
  EXPECT_FALSE(challenge_ok("Digest realm=\"\x80\""));
  EXPECT_FALSE(challenge_ok("Digest realm=\"\xC3\xC3\""));
  EXPECT_FALSE(challenge_ok("Digest realm=\"\xE2\x82"));
}

TEST(AuthHeader, TooManyParams) {
  std::string v = "Digest ";
  for (std::size_t i = 0; i < AuthValue::kMaxParams; ++i) {
    if (i != 0) v += ", ";
    v += "p" + std::to_string(i) + "=v";
  }
  Challenge c = must_parse_challenge(v);
  EXPECT_EQ(c.params().size(), AuthValue::kMaxParams);
  EXPECT_EQ(c.text("p31"), "v");
  v += ", extra=\"x\"";
  EXPECT_EQ(parse_challenge(v, c), "Malformed WWW-Authenticate");
}

TEST(AuthHeader, CaseInsensitiveNames) {
  Challenge c = must_parse_challenge(
      "digest REALM=\"a\", Nonce=\"n\", STALE=TRUE, Algorithm=md5-SESS, QOP=\"Auth\"");
  EXPECT_TRUE(c.is_digest());
  EXPECT_EQ(c.realm(), "a");
  EXPECT_EQ(c.nonce(), "n");
  EXPECT_EQ(c.stale(), true);
  EXPECT_EQ(c.algorithm(), "md5-SESS");
  EXPECT_TRUE(c.offers_qop("auth"));
  EXPECT_NE(c.find("rEaLm"), nullptr);
  EXPECT_EQ(c.find("realm")->name, "REALM");

  Credentials cr = must_parse_credentials("DIGEST USERNAME=\"u\", NC=0000001A, UserHash=False");
  EXPECT_EQ(cr.username(), "u");
  EXPECT_EQ(cr.nc(), 0x1Au);
  EXPECT_EQ(cr.userhash(), false);
}

TEST(AuthHeader, DuplicateNamesAreRejected) {
  EXPECT_FALSE(challenge_ok("Digest realm=\"a\", realm=\"b\""));
  EXPECT_FALSE(challenge_ok("Digest realm=\"a\", nonce=\"x\", REALM=\"b\""));
  EXPECT_FALSE(credentials_ok("Other x=1, X=2"));
}

TEST(AuthHeader, DigestFieldValidation) {
  EXPECT_EQ(must_parse_credentials("Digest nc=ffffffff").nc(), 0xFFFFFFFFu);
  EXPECT_EQ(must_parse_credentials("Digest nc=00000000").nc(), 0u);
  // Some clients quote nc; the value is still unambiguous.
  EXPECT_EQ(must_parse_credentials("Digest nc=\"00000002\"").nc(), 2u);
  EXPECT_FALSE(credentials_ok("Digest nc=1"));
  EXPECT_FALSE(credentials_ok("Digest nc=000000001"));
  EXPECT_FALSE(credentials_ok("Digest nc=0000000g"));
  EXPECT_FALSE(credentials_ok("Digest nc=\"\""));
  EXPECT_FALSE(credentials_ok("Digest userhash=yes"));
  EXPECT_FALSE(challenge_ok("Digest realm=\"a\", stale=maybe"));
  EXPECT_FALSE(challenge_ok("Digest realm=\"a\", userhash=1"));
  // stale is a challenge field; nc is a credentials field; elsewhere they are plain params.
  EXPECT_TRUE(challenge_ok("Digest realm=\"a\", nc=1"));
  EXPECT_TRUE(credentials_ok("Digest username=\"a\", stale=maybe"));
  // Other schemes are not held to Digest's rules.
  EXPECT_TRUE(credentials_ok("Other nc=1"));
  EXPECT_EQ(must_parse_credentials("Other nc=1").nc(), std::nullopt);
}

TEST(AuthHeader, ErrorReasonNamesTheHeader) {
  Challenge ch;
  Credentials cr;
  EXPECT_EQ(parse_challenge("Digest", ch), "Malformed WWW-Authenticate");
  EXPECT_EQ(parse_challenge("Digest", ch, HeaderId::kProxyAuthenticate),
            "Malformed Proxy-Authenticate");
  EXPECT_EQ(parse_credentials("Digest", cr), "Malformed Authorization");
  EXPECT_EQ(parse_credentials("Digest", cr, HeaderId::kProxyAuthorization),
            "Malformed Proxy-Authorization");
  EXPECT_EQ(parse_credentials("Digest", cr, HeaderId::kVia), "Malformed Authorization");
  EXPECT_EQ(parse_challenge("Digest", ch, HeaderId::kUnknown), "Malformed WWW-Authenticate");
}

TEST(AuthHeader, ReusedResultIsReset) {
  Challenge c = must_parse_challenge("Digest realm=\"a\", nonce=\"b\", opaque=\"c\"");
  ASSERT_EQ(parse_challenge("Bearer tok", c), "");
  EXPECT_TRUE(c.params().empty());
  EXPECT_EQ(c.token68, "tok");
  ASSERT_EQ(parse_challenge("Digest realm=\"z\"", c), "");
  EXPECT_TRUE(c.token68.empty());
  EXPECT_EQ(c.params().size(), 1u);
  EXPECT_EQ(c.nonce(), std::nullopt);
}

// --- Builders ------------------------------------------------------------------------------

TEST(AuthHeaderBuild, DigestChallenge) {
  std::optional<std::string> v = build_digest_challenge({.realm = "atlanta.com",
                                                         .nonce = "f84f1cec41e6cbe5aea9c8e88d359",
                                                         .opaque = "",
                                                         .algorithm = "MD5",
                                                         .qop = "auth"});
  ASSERT_TRUE(v);
  EXPECT_EQ(*v,
            "Digest realm=\"atlanta.com\", nonce=\"f84f1cec41e6cbe5aea9c8e88d359\", "
            "opaque=\"\", algorithm=MD5, qop=\"auth\"");
  Challenge c = must_parse_challenge(*v);
  EXPECT_EQ(c.realm(), "atlanta.com");
  EXPECT_EQ(c.opaque(), "");
  EXPECT_EQ(c.stale(), std::nullopt);
  EXPECT_TRUE(c.offers_qop("auth"));

  v = build_digest_challenge({.realm = "r",
                              .nonce = "n",
                              .domain = "sip:a.example sip:b.example",
                              .qop = "auth,auth-int",
                              .stale = true,
                              .userhash = true});
  ASSERT_TRUE(v);
  EXPECT_EQ(*v,
            "Digest realm=\"r\", domain=\"sip:a.example sip:b.example\", nonce=\"n\", "
            "stale=true, qop=\"auth,auth-int\", userhash=true");
  c = must_parse_challenge(*v);
  EXPECT_EQ(c.stale(), true);
  EXPECT_EQ(c.userhash(), true);
  EXPECT_EQ(c.domain(), "sip:a.example sip:b.example");
  EXPECT_TRUE(c.offers_qop("auth-int"));
}

TEST(AuthHeaderBuild, DigestCredentials) {
  std::optional<std::string> v =
      build_digest_credentials({.username = "bob",
                                .realm = "biloxi.com",
                                .nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093",
                                .uri = "sip:bob@biloxi.com",
                                .response = "6629fae49393a05397450978507c4ef1",
                                .algorithm = "MD5",
                                .cnonce = "0a4f113b",
                                .opaque = "5ccc069c403ebaf9f0171e9517f40e41",
                                .qop = "auth",
                                .nc = 0x1a});
  ASSERT_TRUE(v);
  EXPECT_EQ(*v,
            "Digest username=\"bob\", realm=\"biloxi.com\", "
            "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"sip:bob@biloxi.com\", "
            "response=\"6629fae49393a05397450978507c4ef1\", algorithm=MD5, cnonce=\"0a4f113b\", "
            "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\", qop=auth, nc=0000001a");
  Credentials c = must_parse_credentials(*v);
  EXPECT_EQ(c.username(), "bob");
  EXPECT_EQ(c.uri(), "sip:bob@biloxi.com");
  EXPECT_EQ(c.nc(), 0x1au);
  EXPECT_EQ(c.qop(), "auth");
  EXPECT_EQ(c.cnonce(), "0a4f113b");

  // Without qop there is no nc (RFC 2617 §3.2.2); without opaque, none is written.
  v = build_digest_credentials({.username = "alice",
                                .realm = "atlanta.com",
                                .nonce = "n",
                                .uri = "sip:atlanta.com",
                                .response = "00",
                                .nc = 7,
                                .userhash = true});
  ASSERT_TRUE(v);
  EXPECT_EQ(*v,
            "Digest username=\"alice\", realm=\"atlanta.com\", nonce=\"n\", "
            "uri=\"sip:atlanta.com\", response=\"00\", userhash=true");
  c = must_parse_credentials(*v);
  EXPECT_EQ(c.nc(), std::nullopt);
  EXPECT_EQ(c.opaque(), std::nullopt);
  EXPECT_EQ(c.userhash(), true);

  v = build_digest_credentials({.qop = "auth", .nc = 0xFFFFFFFF});
  ASSERT_TRUE(v);
  EXPECT_EQ(must_parse_credentials(*v).nc(), 0xFFFFFFFFu);
}

TEST(AuthHeaderBuild, QuotingRoundTrips) {
  const std::vector<std::string> samples = {
      "",
      "plain",
      "with space",
      "quote\"inside",
      "back\\slash",
      "\\\"\\\"",
      "tab\there",
      std::string("ctl\x01\x1f\x7f", 6),
      std::string("nul\0byte", 8),
      "\xC3\xBC\xE2\x82\xAC\xF0\x9F\x98\x80",
      ",;=\"'<>[]{}()@:/?",
  };
  for (const std::string& s : samples) {
    const AuthParamSpec params[] = {{"realm", s, true}, {"x", "tok", false}};
    std::optional<std::string> v = build_auth_value("Digest", params);
    ASSERT_TRUE(v) << s;
    Challenge c = must_parse_challenge(*v);
    EXPECT_EQ(c.realm(), s);
    EXPECT_EQ(c.text("x"), "tok");
  }
}

TEST(AuthHeaderBuild, RejectsWhatCannotBeWritten) {
  const AuthParamSpec ok[] = {{"realm", "a", true}};
  EXPECT_TRUE(build_auth_value("Digest", ok));
  EXPECT_FALSE(build_auth_value("Dig est", ok));
  EXPECT_FALSE(build_auth_value("", ok));
  EXPECT_FALSE(build_auth_value("Digest", {}));

  const AuthParamSpec crlf[] = {{"realm", "a\r\nb", true}};
  EXPECT_FALSE(build_auth_value("Digest", crlf));
  const AuthParamSpec lf[] = {{"realm", "a\nb", true}};
  EXPECT_FALSE(build_auth_value("Digest", lf));
  const AuthParamSpec bad_utf8[] = {{"realm", "\xC3(", true}};
  EXPECT_FALSE(build_auth_value("Digest", bad_utf8));
  const AuthParamSpec bad_name[] = {{"re alm", "a", true}};
  EXPECT_FALSE(build_auth_value("Digest", bad_name));
  const AuthParamSpec bare_not_token[] = {{"uri", "sip:a", false}};
  EXPECT_FALSE(build_auth_value("Digest", bare_not_token));
  const AuthParamSpec bare_empty[] = {{"x", "", false}};
  EXPECT_FALSE(build_auth_value("Digest", bare_empty));
  const AuthParamSpec dup[] = {{"realm", "a", true}, {"REALM", "b", true}};
  EXPECT_FALSE(build_auth_value("Digest", dup));

  std::vector<std::string> names;
  for (std::size_t i = 0; i <= AuthValue::kMaxParams; ++i) names.push_back("p" + std::to_string(i));
  std::vector<AuthParamSpec> many;
  for (const std::string& n : names) many.push_back({n, "v", false});
  EXPECT_FALSE(build_auth_value("Digest", many));
  many.pop_back();
  EXPECT_TRUE(build_auth_value("Digest", many));

  EXPECT_FALSE(build_digest_challenge({.realm = "a\r\n", .nonce = "n"}));
  EXPECT_FALSE(build_digest_challenge({.realm = "a", .nonce = "n", .algorithm = "MD 5"}));
  EXPECT_FALSE(build_digest_credentials({.username = "a", .qop = "auth int"}));
}

// --- Robustness (the fuzzer covers this in depth) -----------------------------------------

TEST(AuthHeader, EveryPrefixAndMutationIsSafe) {
  const std::string base =
      "Digest username=\"b\\\"ob\", realm=\"bi\r\n loxi\xC3\xBC\", nc=00000001, qop=auth,\r\n"
      " uri=\"sip:bob@biloxi.com\", response=\"6629fae4\", opaque=\"\", x=[y]";
  for (std::size_t n = 0; n <= base.size(); ++n) {
    Credentials c;
    Challenge ch;
    (void)parse_credentials(std::string_view(base).substr(0, n), c);
    (void)parse_challenge(std::string_view(base).substr(0, n), ch);
  }
  std::uint32_t seed = 12345;
  auto next = [&seed] {
    seed = seed * 1664525u + 1013904223u;
    return seed >> 8;
  };
  static constexpr char kAlphabet[] = {'"', '\\', ',', '=', ' ', '\t', '\r', '\n', 'a', '\0',
                                       '\x80', '\xC3', '\xFF', '/', '0'};
  for (int round = 0; round < 20000; ++round) {
    std::string s = base;
    const int edits = 1 + static_cast<int>(next() % 4);
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = next() % s.size();
      switch (next() % 3) {
        case 0: s[at] = kAlphabet[next() % sizeof(kAlphabet)]; break;
        case 1: s.erase(at, 1); break;
        default: s.insert(at, 1, kAlphabet[next() % sizeof(kAlphabet)]); break;
      }
    }
    Credentials c;
    if (parse_credentials(s, c).empty()) {
      for (const AuthParam& p : c.params()) (void)p.text();
      (void)c.nc();
    }
  }
}

}  // namespace
}  // namespace trapezoid::sip
