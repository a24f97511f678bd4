#include "sip/response.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "sip/charset.hpp"
#include "sip/header_list.hpp"
#include "sip/name_addr.hpp"
#include "sip/parser.hpp"
#include "sip/validate.hpp"
#include "sip/via.hpp"

namespace trapezoid::sip {
namespace {

std::string crlf(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out.push_back('\r');
    out.push_back(c);
  }
  return out;
}

// An INVITE as it reaches bob's UAS through two proxies (RFC 3261 §24.2 style).
const std::string kInvite = crlf(
    "INVITE sip:bob@192.0.2.4 SIP/2.0\n"
    "Via: SIP/2.0/UDP server10.biloxi.com;branch=z9hG4bK4b43c2ff8.1;received=192.0.2.3\n"
    "Via: SIP/2.0/UDP bigbox3.site3.atlanta.com;branch=z9hG4bK77ef4c2312983.1;received=192.0.2.2,\n"
    "     SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8;received=192.0.2.1\n"
    "Max-Forwards: 68\n"
    "To: Bob <sip:bob@biloxi.com>\n"
    "From: Alice <sip:alice@atlanta.com>;tag=1928301774\n"
    "Call-ID: a84b4c76e66710@pc33.atlanta.com\n"
    "CSeq: 314159 INVITE\n"
    "Contact: <sip:alice@pc33.atlanta.com>\n"
    "Record-Route: <sip:server10.biloxi.com;lr>\n"
    "Record-Route: <sip:bigbox3.site3.atlanta.com;lr>\n"
    "Timestamp: 54.3 0.25\n"
    "Subject: lunch?\n"
    "Require: foo\n"
    "Content-Type: application/sdp\n"
    "Content-Length: 5\n"
    "\n"
    "v=0\n");

// Parses a built response both ways and checks it is a well-formed response. `msg` owns its
// bytes afterwards.
void expect_valid_response(const BuildResult& r, Message& msg) {
  ASSERT_TRUE(r.ok()) << to_string(r.error);
  ParseResult p = parse_stream(r.bytes, msg);
  ASSERT_TRUE(p.ok()) << p.error.reason << "\n" << r.bytes;
  EXPECT_EQ(p.consumed, r.bytes.size());
  p = parse_datagram(r.bytes, msg);
  ASSERT_TRUE(p.ok()) << p.error.reason;
  msg.own();  // r is often a temporary
  Verdict v = validate_response(msg);
  EXPECT_TRUE(v.ok()) << v.reason << "\n" << r.bytes;
}

std::vector<std::string_view> values(const Message& msg, HeaderId id) {
  std::vector<std::string_view> out;
  msg.for_each(id, [&](const HeaderField& h) { out.push_back(h.value); });
  return out;
}

std::vector<std::string_view> names(const Message& msg) {
  std::vector<std::string_view> out;
  for (const HeaderField& h : msg.headers()) out.push_back(h.name);
  return out;
}

std::string_view to_tag_of(const Message& msg) {
  NameAddr to;
  EXPECT_TRUE(parse_name_addr(msg.find(HeaderId::kTo)->value, to).empty());
  return to.params.get("tag").value_or("<none>");
}

class ResponseTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(parse_datagram(kInvite, request_).ok()); }
  Message request_;
};

TEST_F(ResponseTest, CopiesViaFromToCallIdCSeqAndNothingElse) {
  Message res;
  expect_valid_response(make_response(request_, 180, {}, "a6c85cf"), res);
  EXPECT_EQ(res.status_code(), 180);
  EXPECT_EQ(res.reason_phrase(), "Ringing");
  // §8.2.6.2: every Via field, values equal (up to the removed fold) and in order.
  std::vector<std::string> request_vias;
  for (std::string_view v : values(request_, HeaderId::kVia)) {
    std::string unfolded;
    for (char c : v)
      if (c != '\r' && c != '\n') unfolded.push_back(c);
    request_vias.push_back(unfolded);
  }
  const std::vector<std::string_view> response_vias = values(res, HeaderId::kVia);
  EXPECT_EQ(std::vector<std::string>(response_vias.begin(), response_vias.end()), request_vias);
  EXPECT_EQ(res.find(HeaderId::kFrom)->value, request_.find(HeaderId::kFrom)->value);
  EXPECT_EQ(res.find(HeaderId::kCallId)->value, request_.find(HeaderId::kCallId)->value);
  EXPECT_EQ(res.find(HeaderId::kCSeq)->value, request_.find(HeaderId::kCSeq)->value);
  EXPECT_EQ(res.find(HeaderId::kTo)->value, "Bob <sip:bob@biloxi.com>;tag=a6c85cf");
  EXPECT_EQ(names(res), (std::vector<std::string_view>{"Via", "Via", "From", "To", "Call-ID", "CSeq",
                                                        "Content-Length"}));
  EXPECT_TRUE(res.body().empty());
  EXPECT_EQ(res.content_length(), 0);
}

TEST_F(ResponseTest, ViaFieldsKeepTheirOrderAndListElements) {
  Message res;
  expect_valid_response(make_response(request_, 200, {}, "t1"), res);
  std::vector<std::string> branches;
  auto collect = [&](const Message& m) {
    std::vector<std::string> out;
    (void)for_each_element(m, HeaderId::kVia, [&](std::string_view e) {
      Via v;
      EXPECT_TRUE(parse_via(e, v).empty());
      out.emplace_back(v.branch);
      return true;
    });
    return out;
  };
  EXPECT_EQ(collect(res), (std::vector<std::string>{"z9hG4bK4b43c2ff8.1", "z9hG4bK77ef4c2312983.1",
                                                     "z9hG4bKnashds8"}));
  EXPECT_EQ(collect(res), collect(request_));
}

TEST_F(ResponseTest, FoldedValuesAreUnfolded) {
  // The second Via field of the request is folded; the copy is one line with the same elements.
  const std::string_view folded = request_.headers()[1].value;
  ASSERT_NE(folded.find("\r\n"), std::string_view::npos);
  BuildResult r = make_response(request_, 200, {}, "t1");
  ASSERT_TRUE(r.ok());
  EXPECT_NE(r.bytes.find("Via: SIP/2.0/UDP bigbox3.site3.atlanta.com;branch=z9hG4bK77ef4c2312983.1;"
                         "received=192.0.2.2,     SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8;"
                         "received=192.0.2.1\r\n"),
            std::string::npos)
      << r.bytes;
}

TEST_F(ResponseTest, TryingDoesNotAddATagAndCopiesTimestamp) {
  Message res;
  // §8.2.6.1: Timestamp copied; §8.2.6.2: no tag on a 100, even when one is offered.
  expect_valid_response(make_response(request_, 100, {}, "a6c85cf"), res);
  EXPECT_EQ(res.reason_phrase(), "Trying");
  EXPECT_EQ(res.find(HeaderId::kTo)->value, "Bob <sip:bob@biloxi.com>");
  ASSERT_NE(res.find(HeaderId::kTimestamp), nullptr);
  EXPECT_EQ(res.find(HeaderId::kTimestamp)->value, "54.3 0.25");
  EXPECT_EQ(names(res), (std::vector<std::string_view>{"Via", "Via", "From", "To", "Call-ID", "CSeq",
                                                        "Timestamp", "Content-Length"}));
  // Without a tag at all, a 100 is still fine.
  expect_valid_response(make_response(request_, 100, {}, {}), res);
}

TEST_F(ResponseTest, TimestampOnlyOnTrying) {
  Message res;
  expect_valid_response(make_response(request_, 180, {}, "x"), res);
  EXPECT_EQ(res.find(HeaderId::kTimestamp), nullptr);
  // ...unless asked for.
  const HeaderId copy[] = {HeaderId::kTimestamp};
  expect_valid_response(make_response(request_, 180, {}, "x", {.copy = copy}), res);
  EXPECT_EQ(res.count(HeaderId::kTimestamp), 1u);
}

TEST_F(ResponseTest, EveryNonTryingResponseGetsTheTag) {
  for (int status : {101, 180, 183, 200, 302, 404, 486, 500, 603}) {
    SCOPED_TRACE(status);
    Message res;
    expect_valid_response(make_response(request_, status, {}, "9fxced76sl"), res);
    EXPECT_EQ(to_tag_of(res), "9fxced76sl");
    EXPECT_EQ(res.reason_phrase(), default_reason(status));
  }
}

TEST_F(ResponseTest, MissingOrBadTag) {
  BuildResult r = make_response(request_, 180, {}, {});
  EXPECT_EQ(r.error, BuildError::kMissingToTag);
  EXPECT_TRUE(r.bytes.empty());
  EXPECT_EQ(make_response(request_, 200, {}, "a b").error, BuildError::kBadToTag);
  EXPECT_EQ(make_response(request_, 200, {}, "x\r\nVia: SIP/2.0/UDP evil").error, BuildError::kBadToTag);
  EXPECT_EQ(make_response(request_, 200, {}, "x;y=z").error, BuildError::kBadToTag);
  EXPECT_EQ(make_response(request_, 100, {}, "a\"b").error, BuildError::kBadToTag);
}

TEST(Response, ExistingToTagIsKept) {
  const std::string bytes = crlf(
      "BYE sip:alice@pc33.atlanta.com SIP/2.0\n"
      "Via: SIP/2.0/UDP 192.0.2.4;branch=z9hG4bKnashds10\n"
      "Max-Forwards: 70\n"
      "From: Bob <sip:bob@biloxi.com>;tag=a6c85cf\n"
      "To: Alice <sip:alice@atlanta.com>;TAG=1928301774\n"
      "Call-ID: a84b4c76e66710@pc33.atlanta.com\n"
      "CSeq: 231 BYE\n"
      "Content-Length: 0\n"
      "\n");
  Message request;
  ASSERT_TRUE(parse_datagram(bytes, request).ok());
  Message res;
  // §8.2.6.2: To is copied as is; the offered tag is ignored, and none is needed.
  expect_valid_response(make_response(request, 200, {}, "other"), res);
  EXPECT_EQ(res.find(HeaderId::kTo)->value, "Alice <sip:alice@atlanta.com>;TAG=1928301774");
  expect_valid_response(make_response(request, 481, {}, {}), res);
  EXPECT_EQ(res.find(HeaderId::kTo)->value, "Alice <sip:alice@atlanta.com>;TAG=1928301774");
  EXPECT_EQ(res.reason_phrase(), "Call/Transaction Does Not Exist");
}

TEST(Response, AddrSpecToGetsTheTagAsAHeaderParameter) {
  const std::string bytes = crlf(
      "OPTIONS sip:carol@chicago.com SIP/2.0\n"
      "v: SIP/2.0/TCP pc33.atlanta.com;branch=z9hG4bKhjhs8ass877\n"
      "t: sip:carol@chicago.com\n"
      "f: <sip:alice@atlanta.com>;tag=1928301774\n"
      "i: a84b4c76e66710\n"
      "CSeq: 63104 OPTIONS\n"
      "l: 0\n"
      "\n");
  Message request;
  ASSERT_TRUE(parse_datagram(bytes, request).ok());
  Message res;
  expect_valid_response(make_response(request, 200, {}, "93810874"), res);
  // Compact names in the request become canonical; values are the same.
  EXPECT_EQ(names(res), (std::vector<std::string_view>{"Via", "From", "To", "Call-ID", "CSeq",
                                                        "Content-Length"}));
  EXPECT_EQ(res.find(HeaderId::kVia)->value, "SIP/2.0/TCP pc33.atlanta.com;branch=z9hG4bKhjhs8ass877");
  EXPECT_EQ(res.find(HeaderId::kTo)->value, "sip:carol@chicago.com;tag=93810874");
  EXPECT_EQ(to_tag_of(res), "93810874");
}

TEST_F(ResponseTest, ExtraHeadersForErrorResponses) {
  Message res;
  // 405 with Allow (§8.2.1).
  const HeaderLine allow[] = {{HeaderId::kAllow, "INVITE, ACK, CANCEL, BYE, OPTIONS"}};
  expect_valid_response(make_response(request_, 405, {}, "t", {.headers = allow}), res);
  EXPECT_EQ(res.reason_phrase(), "Method Not Allowed");
  EXPECT_EQ(res.find(HeaderId::kAllow)->value, "INVITE, ACK, CANCEL, BYE, OPTIONS");

  // 420 with Unsupported naming the tag validation found (§8.2.2.3).
  Verdict v = validate_request(request_);
  ASSERT_EQ(v.status, 420);
  const HeaderLine unsupported[] = {{HeaderId::kUnsupported, v.detail}};
  expect_valid_response(make_response(request_, v.status, {}, "t", {.headers = unsupported}), res);
  EXPECT_EQ(res.find(HeaderId::kUnsupported)->value, "foo");
  EXPECT_EQ(res.find(HeaderId::kRequire), nullptr);

  // 423 with Min-Expires (§10.3), 401 with WWW-Authenticate (§22.1), by name or id.
  const HeaderLine min_expires[] = {{"Min-Expires", "3600"}};
  expect_valid_response(make_response(request_, 423, {}, "t", {.headers = min_expires}), res);
  EXPECT_EQ(res.find(HeaderId::kMinExpires)->value, "3600");
  const HeaderLine challenge[] = {
      {HeaderId::kWwwAuthenticate, R"(Digest realm="biloxi.com", qop="auth", nonce="dcd98b7102dd2f0e")"},
      {"x-extra", "1"}};
  expect_valid_response(make_response(request_, 401, {}, "t", {.headers = challenge}), res);
  EXPECT_EQ(names(res), (std::vector<std::string_view>{"Via", "Via", "From", "To", "Call-ID", "CSeq",
                                                        "WWW-Authenticate", "x-extra", "Content-Length"}));
}

TEST_F(ResponseTest, ExtraHeaderInjectionIsRejected) {
  const HeaderLine evil[] = {{HeaderId::kAllow, "INVITE\r\nVia: SIP/2.0/UDP evil.example.com"}};
  BuildResult r = make_response(request_, 405, {}, "t", {.headers = evil});
  EXPECT_EQ(r.error, BuildError::kBadHeaderValue);
  EXPECT_TRUE(r.bytes.empty());
  const HeaderLine bad_name[] = {{"Allow: INVITE\r\nX", "y"}};
  EXPECT_EQ(make_response(request_, 405, {}, "t", {.headers = bad_name}).error, BuildError::kBadHeaderName);
  const HeaderLine no_name[] = {{HeaderId::kUnknown, "y"}};
  EXPECT_EQ(make_response(request_, 405, {}, "t", {.headers = no_name}).error, BuildError::kBadHeaderName);
  EXPECT_EQ(make_response(request_, 200, "OK\r\nX: 1", "t").error, BuildError::kBadReason);
  EXPECT_EQ(make_response(request_, 200, {}, "t", {.content_type = "text/plain\r\nX: 1", .body = "b"}).error,
            BuildError::kBadContentType);
}

TEST_F(ResponseTest, BodyAndCopiedRecordRoute) {
  // §12.1.1: a UAS copies Record-Route into a response that creates a dialog.
  const HeaderId copy[] = {HeaderId::kRecordRoute, HeaderId::kVia /* already copied: skipped */};
  const HeaderLine contact[] = {{HeaderId::kContact, "<sip:bob@192.0.2.4>"}};
  const std::string_view sdp = "v=0\r\no=bob 2890844527 2890844527 IN IP4 192.0.2.4\r\ns=-\r\n";
  Message res;
  expect_valid_response(make_response(request_, 200, {}, "a6c85cf",
                                      {.headers = contact, .copy = copy, .content_type = "application/sdp",
                                       .body = sdp}),
                        res);
  EXPECT_EQ(values(res, HeaderId::kRecordRoute), values(request_, HeaderId::kRecordRoute));
  EXPECT_EQ(res.count(HeaderId::kVia), 2u);
  EXPECT_EQ(res.body(), sdp);
  EXPECT_EQ(res.content_length(), static_cast<std::int64_t>(sdp.size()));
  EXPECT_EQ(res.find(HeaderId::kContentType)->value, "application/sdp");
  EXPECT_EQ(names(res), (std::vector<std::string_view>{"Via", "Via", "From", "To", "Call-ID", "CSeq",
                                                        "Record-Route", "Record-Route", "Contact",
                                                        "Content-Type", "Content-Length"}));
}

TEST_F(ResponseTest, BuilderCanBeExtended) {
  BuildResult r = make_response_builder(request_, 486, "Busy Here Now", "t9")
                      .header(HeaderId::kRetryAfter, "60")
                      .header("Warning", R"(399 biloxi.com "lunch")")
                      .build();
  Message res;
  expect_valid_response(r, res);
  EXPECT_EQ(res.reason_phrase(), "Busy Here Now");
  EXPECT_EQ(res.find(HeaderId::kRetryAfter)->value, "60");
  EXPECT_EQ(to_tag_of(res), "t9");
}

TEST_F(ResponseTest, SameTagForEveryResponseToTheRequest) {
  // §8.2.6.2: the same tag on every response but the 100.
  SystemRandomSource random(7);
  const std::string tag = make_tag(random);
  Message ringing;
  Message ok;
  expect_valid_response(make_response(request_, 180, {}, tag), ringing);
  expect_valid_response(make_response(request_, 200, {}, tag), ok);
  EXPECT_EQ(ringing.find(HeaderId::kTo)->value, ok.find(HeaderId::kTo)->value);
}

TEST(Response, AnsweringAResponseIsAnError) {
  const std::string bytes = crlf(
      "SIP/2.0 200 OK\n"
      "Via: SIP/2.0/UDP h;branch=z9hG4bK1\n"
      "Content-Length: 0\n"
      "\n");
  Message response;
  ASSERT_TRUE(parse_datagram(bytes, response).ok());
  EXPECT_EQ(make_response(response, 200, {}, "t").error, BuildError::kNotARequest);
  Message empty;
  EXPECT_EQ(make_response(empty, 200, {}, "t").error, BuildError::kNotARequest);
}

TEST(Response, MalformedRequestStillGetsA400) {
  // To cannot be parsed: it is copied as is, without a tag, so the 400 can still go back.
  const std::string bytes = crlf(
      "INVITE sip:bob@biloxi.com SIP/2.0\n"
      "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKkdjuw\n"
      "To: \"Bob <sip:bob@biloxi.com>\n"
      "From: <sip:alice@atlanta.com>;tag=1\n"
      "Call-ID: 1@a\n"
      "CSeq: 1 INVITE\n"
      "Content-Length: 0\n"
      "\n");
  Message request;
  ASSERT_TRUE(parse_datagram(bytes, request).ok());
  Verdict v = validate_request(request);
  ASSERT_EQ(v.status, 400);
  BuildResult r = make_response(request, v.status, v.reason, "t");
  ASSERT_TRUE(r.ok());
  Message res;
  ASSERT_TRUE(parse_datagram(r.bytes, res).ok());
  EXPECT_EQ(res.reason_phrase(), "Malformed To");
  EXPECT_EQ(res.find(HeaderId::kTo)->value, "\"Bob <sip:bob@biloxi.com>");
  EXPECT_EQ(res.find(HeaderId::kVia)->value, "SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKkdjuw");
}

TEST(Response, MissingHeadersAreLeftOut) {
  const std::string bytes = crlf(
      "OPTIONS sip:bob@biloxi.com SIP/2.0\n"
      "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKkdjuw\n"
      "Content-Length: 0\n"
      "\n");
  Message request;
  ASSERT_TRUE(parse_datagram(bytes, request).ok());
  BuildResult r = make_response(request, 400, "Missing Call-ID", "t");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.bytes,
            "SIP/2.0 400 Missing Call-ID\r\n"
            "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKkdjuw\r\n"
            "Content-Length: 0\r\n"
            "\r\n");
}

// A source that returns 0, 1, 2, ... so identifiers are predictable.
class CountingSource final : public RandomSource {
 public:
  void fill(std::span<std::byte> out) override {
    for (std::byte& b : out) b = static_cast<std::byte>(next_++);
  }

 private:
  unsigned char next_ = 0;
};

TEST(ResponseRandomId, DeterministicWithACallerSource) {
  CountingSource source;
  EXPECT_EQ(make_tag(source), "0001020304050607");
  EXPECT_EQ(make_branch(source), "z9hG4bK08090a0b0c0d0e0f10111213");
  EXPECT_EQ(make_call_id(source), "1415161718191a1b1c1d1e1f20212223");
  EXPECT_EQ(make_call_id(source, "pc33.atlanta.com"), "2425262728292a2b2c2d2e2f30313233@pc33.atlanta.com");
}

TEST(ResponseRandomId, IdentifiersAreTokensAndParse) {
  SystemRandomSource random;
  const std::string tag = make_tag(random);
  EXPECT_EQ(tag.size(), 16u);
  EXPECT_TRUE(charset::all_token(tag));
  const std::string branch = make_branch(random);
  EXPECT_EQ(branch.size(), 7u + 24u);
  const std::string value = "SIP/2.0/UDP pc33.atlanta.com;branch=" + branch;
  Via via;
  ASSERT_TRUE(parse_via(value, via).empty());
  EXPECT_TRUE(via.has_magic_cookie());
  EXPECT_EQ(via.branch, branch);
}

TEST(ResponseRandomId, SeededSourcesRepeatAndDiffer) {
  SystemRandomSource a(42);
  SystemRandomSource b(42);
  SystemRandomSource c(43);
  const std::string ta = make_tag(a);
  EXPECT_EQ(ta, make_tag(b));
  EXPECT_NE(ta, make_tag(c));
}

TEST(ResponseRandomId, NoRepeatsOverManyDraws) {
  SystemRandomSource random;
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) EXPECT_TRUE(seen.insert(make_branch(random)).second);
  // Two default-constructed sources are seeded independently.
  SystemRandomSource other;
  EXPECT_EQ(seen.count(make_branch(other)), 0u);
}

TEST(ResponseRandomId, FillsOddSizes) {
  SystemRandomSource random(1);
  std::vector<std::byte> buf(13, std::byte{0});
  random.fill(buf);
  std::vector<std::byte> empty;
  random.fill(empty);
  int nonzero = 0;
  for (std::byte b : buf) nonzero += b != std::byte{0};
  EXPECT_GT(nonzero, 8);
}

}  // namespace
}  // namespace trapezoid::sip
