#include "sip/media_type.hpp"

#include <gtest/gtest.h>

#include <string_view>

namespace trapezoid::sip {
namespace {

constexpr std::string_view kMalformed = "Malformed Content-Type";

MediaType parsed(std::string_view text) {
  MediaType t;
  EXPECT_EQ(parse_media_type(text, t), "") << text;
  return t;
}

bool parses(std::string_view text) {
  MediaType t;
  return parse_media_type(text, t).empty();
}

// RFC 3261 §20.15: media-type = m-type SLASH m-subtype *(SEMI m-parameter).
TEST(MediaType, ParsesTypeAndSubtype) {
  MediaType t = parsed("application/sdp");
  EXPECT_EQ(t.type, "application");
  EXPECT_EQ(t.subtype, "sdp");
  EXPECT_TRUE(t.params.empty());
}

TEST(MediaType, ParsesParameters) {
  MediaType t = parsed("text/html; charset=ISO-8859-4");
  EXPECT_EQ(t.type, "text");
  EXPECT_EQ(t.subtype, "html");
  EXPECT_EQ(t.params.get("charset"), "ISO-8859-4");
  MediaType m = parsed(R"(multipart/mixed;boundary="unique-boundary-1";x=y)");
  EXPECT_EQ(m.params.get("boundary"), R"("unique-boundary-1")");
  EXPECT_EQ(m.params.get("x"), "y");
}

// SLASH = SWS "/" SWS, SEMI = SWS ";" SWS (§25.1).
TEST(MediaType, ToleratesLwsAroundSeparators) {
  MediaType t = parsed("  application \t/\r\n sdp ; charset = utf-8  ");
  EXPECT_EQ(t.type, "application");
  EXPECT_EQ(t.subtype, "sdp");
  EXPECT_EQ(t.params.get("charset"), "utf-8");
}

// Accept ranges (§20.1): "*/*" and "type/*" are token forms of the same shape.
TEST(MediaType, ParsesRangesWithQ) {
  MediaType any = parsed("*/*");
  EXPECT_EQ(any.type, "*");
  EXPECT_EQ(any.subtype, "*");
  MediaType text = parsed("text/*;q=0.5");
  EXPECT_EQ(text.type, "text");
  EXPECT_EQ(text.subtype, "*");
  EXPECT_EQ(text.params.get("q"), "0.5");
}

// The tokens of RFC 4475 §3.3.6 (invut): a type nobody knows still parses.
TEST(MediaType, AcceptsAnyTokens) {
  MediaType t = parsed("application/unknownformat");
  EXPECT_EQ(t.subtype, "unknownformat");
  MediaType x = parsed("application/vnd.3gpp.sms+xml");
  EXPECT_EQ(x.subtype, "vnd.3gpp.sms+xml");
  EXPECT_TRUE(parses("message/sipfrag;version=2.0"));
  EXPECT_TRUE(parses("application/pidf+xml"));
}

TEST(MediaType, RejectsMalformedValues) {
  for (std::string_view bad : {"", "application", "application/", "/sdp", "application sdp",
                               "application/sdp/x", "application//sdp", "application/sdp;",
                               "application/sdp;;a=b", "application/sdp;charset=", "application/sdp x",
                               "application/sdp, text/plain", "\"application\"/sdp", "app@/sdp",
                               "application/s dp"}) {
    MediaType t;
    EXPECT_EQ(parse_media_type(bad, t), kMalformed) << '"' << bad << '"';
  }
}

// m-type and m-subtype are case-insensitive (RFC 2045 §5.1 via RFC 3261 §20.15).
TEST(MediaType, MatchesExactTypesCaseInsensitively) {
  MediaType t = parsed("application/sdp");
  EXPECT_TRUE(t.matches("application/sdp"));
  EXPECT_TRUE(t.matches("Application/SDP"));
  EXPECT_FALSE(t.matches("application/sdpx"));
  EXPECT_FALSE(t.matches("application/sd"));
  EXPECT_FALSE(t.matches("text/sdp"));
  EXPECT_FALSE(t.matches("application"));
  EXPECT_FALSE(t.matches(""));
  MediaType upper = parsed("APPLICATION/Sdp");
  EXPECT_TRUE(upper.matches("application/sdp"));
}

TEST(MediaType, StarStarMatchesEverything) {
  MediaType any = parsed("*/*");
  EXPECT_TRUE(any.matches("application/sdp"));
  EXPECT_TRUE(any.matches("text/plain"));
  EXPECT_TRUE(any.matches("x/y"));
  EXPECT_FALSE(any.matches("nonsense"));
}

TEST(MediaType, TypeStarMatchesItsSubtypes) {
  MediaType text = parsed("text/*");
  EXPECT_TRUE(text.matches("text/plain"));
  EXPECT_TRUE(text.matches("TEXT/html"));
  EXPECT_FALSE(text.matches("application/sdp"));
  EXPECT_FALSE(text.matches("textual/plain"));
}

// "*/sdp" is not a media-range; it must not act as a wildcard type.
TEST(MediaType, StarTypeWithConcreteSubtypeMatchesNothing) {
  MediaType odd = parsed("*/sdp");
  EXPECT_FALSE(odd.matches("application/sdp"));
  EXPECT_FALSE(odd.matches("text/plain"));
}

TEST(MediaType, ParametersDoNotAffectMatching) {
  MediaType t = parsed("application/sdp;charset=utf-8");
  EXPECT_TRUE(t.matches("application/sdp"));
}

TEST(MediaType, ResetsTheOutputOnEachCall) {
  MediaType t;
  ASSERT_EQ(parse_media_type("text/plain;a=b", t), "");
  ASSERT_EQ(parse_media_type("bad", t), kMalformed);
  EXPECT_EQ(t.subtype, "");
  EXPECT_TRUE(t.params.empty());
}

// "application/sdp" as written takes a shortcut; it must give what the general parse gives,
// and the shortcut must not catch its near misses.
TEST(MediaType, SdpShortcutAgreesWithGeneralParse) {
  MediaType sdp;
  ASSERT_TRUE(parse_media_type("application/sdp", sdp).empty());
  EXPECT_EQ(sdp.type, "application");
  EXPECT_EQ(sdp.subtype, "sdp");
  EXPECT_TRUE(sdp.params.empty());
  MediaType spaced;
  ASSERT_TRUE(parse_media_type("application / sdp", spaced).empty());
  EXPECT_EQ(spaced.type, sdp.type);
  EXPECT_EQ(spaced.subtype, sdp.subtype);
  MediaType upper;
  ASSERT_TRUE(parse_media_type("Application/SDP;charset=utf-8", upper).empty());
  EXPECT_EQ(upper.params.raw(), "charset=utf-8");
  MediaType bad;
  EXPECT_FALSE(parse_media_type("application/sdp;", bad).empty());
  EXPECT_FALSE(parse_media_type("application/sdp x", bad).empty());
  for (const MediaType* t : {&sdp, &spaced, &upper}) {
    EXPECT_TRUE(t->in_range("application/sdp"));
    EXPECT_TRUE(t->in_range("APPLICATION/sdp"));
    EXPECT_TRUE(t->in_range("application/*"));
    EXPECT_TRUE(t->in_range("*/*"));
    EXPECT_FALSE(t->in_range("application/sdpx"));
    EXPECT_FALSE(t->in_range("text/sdp"));
  }
}

}  // namespace
}  // namespace trapezoid::sip
