#include "sip/message_builder.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sip/parser.hpp"
#include "sip/validate.hpp"

namespace trapezoid::sip {
namespace {

constexpr std::string_view kSdp =
    "v=0\r\no=alice 2890844526 2890844526 IN IP4 pc33.atlanta.com\r\ns=-\r\n"
    "c=IN IP4 pc33.atlanta.com\r\nt=0 0\r\nm=audio 49172 RTP/AVP 0\r\n";

RequestBuilder invite_builder() {
  RequestBuilder b(Method::kInvite, "sip:bob@biloxi.com");
  b.header(HeaderId::kVia, "SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds")
      .header(HeaderId::kMaxForwards, "70")
      .header(HeaderId::kTo, "Bob <sip:bob@biloxi.com>")
      .header(HeaderId::kFrom, "Alice <sip:alice@atlanta.com>;tag=1928301774")
      .header(HeaderId::kCallId, "a84b4c76e66710@pc33.atlanta.com")
      .header(HeaderId::kCSeq, "314159 INVITE")
      .header(HeaderId::kContact, "<sip:alice@pc33.atlanta.com>");
  return b;
}

// Parses `bytes` both ways and checks framing.
void expect_parses(const std::string& bytes, Message& out) {
  ParseResult r = parse_stream(bytes, out);
  ASSERT_TRUE(r.ok()) << r.error.reason << "\n" << bytes;
  EXPECT_EQ(r.consumed, bytes.size());
  r = parse_datagram(bytes, out);
  ASSERT_TRUE(r.ok()) << r.error.reason << "\n" << bytes;
}

TEST(MessageBuilder, RequestWithBodyParsesAndValidates) {
  RequestBuilder b = invite_builder();
  b.body("application/sdp", kSdp);
  BuildResult r = b.build();
  ASSERT_TRUE(r.ok()) << to_string(r.error);

  Message msg;
  expect_parses(r.bytes, msg);
  EXPECT_TRUE(validate_request(msg).ok()) << validate_request(msg).reason;
  EXPECT_TRUE(msg.is_request());
  EXPECT_EQ(msg.method(), Method::kInvite);
  EXPECT_EQ(msg.request_uri(), "sip:bob@biloxi.com");
  EXPECT_EQ(msg.version(), "SIP/2.0");
  EXPECT_EQ(msg.body(), kSdp);
  EXPECT_EQ(msg.content_length(), static_cast<std::int64_t>(kSdp.size()));
  ASSERT_NE(msg.find(HeaderId::kContentType), nullptr);
  EXPECT_EQ(msg.find(HeaderId::kContentType)->value, "application/sdp");

  // Fields in call order, canonical names, then Content-Type and Content-Length.
  const std::string length = std::to_string(kSdp.size());
  const std::vector<std::pair<std::string_view, std::string_view>> expected = {
      {"Via", "SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds"},
      {"Max-Forwards", "70"},
      {"To", "Bob <sip:bob@biloxi.com>"},
      {"From", "Alice <sip:alice@atlanta.com>;tag=1928301774"},
      {"Call-ID", "a84b4c76e66710@pc33.atlanta.com"},
      {"CSeq", "314159 INVITE"},
      {"Contact", "<sip:alice@pc33.atlanta.com>"},
      {"Content-Type", "application/sdp"},
      {"Content-Length", length},
  };
  ASSERT_EQ(msg.headers().size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(msg.headers()[i].name, expected[i].first);
    EXPECT_EQ(msg.headers()[i].value, expected[i].second);
  }
}

TEST(MessageBuilder, ExactBytesOfASmallRequest) {
  BuildResult r = RequestBuilder("OPTIONS", "sip:carol@chicago.com")
                      .header(HeaderId::kVia, "SIP/2.0/TCP pc33.atlanta.com;branch=z9hG4bKhjhs8ass877")
                      .header("X-Trace", "abc")
                      .build();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.bytes,
            "OPTIONS sip:carol@chicago.com SIP/2.0\r\n"
            "Via: SIP/2.0/TCP pc33.atlanta.com;branch=z9hG4bKhjhs8ass877\r\n"
            "X-Trace: abc\r\n"
            "Content-Length: 0\r\n"
            "\r\n");
}

TEST(MessageBuilder, ContentLengthIsAlwaysPresentAndRight) {
  BuildResult empty = invite_builder().build();
  ASSERT_TRUE(empty.ok());
  Message msg;
  expect_parses(empty.bytes, msg);
  EXPECT_EQ(msg.content_length(), 0);
  EXPECT_EQ(msg.count(HeaderId::kContentLength), 1u);
  EXPECT_EQ(msg.find(HeaderId::kContentType), nullptr);
  EXPECT_TRUE(validate_request(msg).ok());

  // A binary body with NUL, CR and LF bytes is counted and copied exactly.
  const std::string binary("\0\r\n\r\nX\xff", 7);
  BuildResult r = RequestBuilder(Method::kMessage, "sip:bob@biloxi.com")
                      .header(HeaderId::kVia, "SIP/2.0/UDP h;branch=z9hG4bK1")
                      .body("application/octet-stream", binary)
                      .build();
  ASSERT_TRUE(r.ok());
  expect_parses(r.bytes, msg);
  EXPECT_EQ(msg.body(), binary);
  EXPECT_EQ(msg.content_length(), 7);
}

TEST(MessageBuilder, LaterBodyReplacesEarlierOne) {
  BuildResult r = RequestBuilder(Method::kMessage, "sip:bob@biloxi.com")
                      .body("text/plain", "first body")
                      .body("text/html", "<b>2</b>")
                      .build();
  ASSERT_TRUE(r.ok());
  Message msg;
  expect_parses(r.bytes, msg);
  EXPECT_EQ(msg.body(), "<b>2</b>");
  EXPECT_EQ(msg.count(HeaderId::kContentType), 1u);
  EXPECT_EQ(msg.find(HeaderId::kContentType)->value, "text/html");
}

TEST(MessageBuilder, EmptyBodyMayStillNameItsType) {
  BuildResult r = RequestBuilder(Method::kMessage, "sip:bob@biloxi.com").body("text/plain", "").build();
  ASSERT_TRUE(r.ok());
  Message msg;
  expect_parses(r.bytes, msg);
  ASSERT_NE(msg.find(HeaderId::kContentType), nullptr);
  EXPECT_EQ(msg.content_length(), 0);
}

TEST(MessageBuilder, HeaderNamesBecomeCanonical) {
  BuildResult r = RequestBuilder(Method::kOptions, "sip:a@example.com")
                      .header("v", "SIP/2.0/UDP h;branch=z9hG4bK1")
                      .header("call-id", "x@y")
                      .header("CSEQ", "1 OPTIONS")
                      .header("k", "100rel")
                      .header("X-Custom", "kept")
                      .header("x-lower-unknown", "kept too")
                      .header(HeaderId::kWwwAuthenticate, "Digest realm=\"a\"")
                      .build();
  ASSERT_TRUE(r.ok());
  Message msg;
  expect_parses(r.bytes, msg);
  std::vector<std::string_view> names;
  for (const HeaderField& h : msg.headers()) names.push_back(h.name);
  EXPECT_EQ(names, (std::vector<std::string_view>{"Via", "Call-ID", "CSeq", "Supported", "X-Custom",
                                                   "x-lower-unknown", "WWW-Authenticate",
                                                   "Content-Length"}));
}

TEST(MessageBuilder, ValuesAreTrimmedAndMayBeEmpty) {
  BuildResult r = RequestBuilder(Method::kOptions, "sip:a@example.com")
                      .header(HeaderId::kSubject, "  \t spaced out \t ")
                      .header(HeaderId::kSupported, "")
                      .build();
  ASSERT_TRUE(r.ok());
  EXPECT_NE(r.bytes.find("\r\nSubject: spaced out\r\nSupported:\r\n"), std::string::npos);
  Message msg;
  expect_parses(r.bytes, msg);
  EXPECT_EQ(msg.find(HeaderId::kSubject)->value, "spaced out");
  EXPECT_EQ(msg.find(HeaderId::kSupported)->value, "");
}

TEST(MessageBuilder, ExtensionMethodByName) {
  BuildResult r = RequestBuilder("NEWMETHOD", "sip:a@example.com").build();
  ASSERT_TRUE(r.ok());
  Message msg;
  expect_parses(r.bytes, msg);
  EXPECT_EQ(msg.method(), Method::kUnknown);
  EXPECT_EQ(msg.method_name(), "NEWMETHOD");
}

TEST(MessageBuilder, EveryKnownMethod) {
  for (auto m : {Method::kInvite, Method::kAck, Method::kBye, Method::kCancel, Method::kRegister,
                 Method::kOptions, Method::kInfo, Method::kPrack, Method::kSubscribe, Method::kNotify,
                 Method::kUpdate, Method::kMessage, Method::kRefer, Method::kPublish}) {
    BuildResult r = RequestBuilder(m, "sip:a@example.com").build();
    ASSERT_TRUE(r.ok());
    Message msg;
    expect_parses(r.bytes, msg);
    EXPECT_EQ(msg.method(), m);
  }
  EXPECT_EQ(RequestBuilder(Method::kUnknown, "sip:a@example.com").build().error, BuildError::kBadMethod);
}

TEST(MessageBuilder, ResponseParsesAndValidates) {
  BuildResult r = ResponseBuilder(180)
                      .header(HeaderId::kVia, "SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds;received=192.0.2.1")
                      .header(HeaderId::kTo, "Bob <sip:bob@biloxi.com>;tag=a6c85cf")
                      .header(HeaderId::kFrom, "Alice <sip:alice@atlanta.com>;tag=1928301774")
                      .header(HeaderId::kCallId, "a84b4c76e66710@pc33.atlanta.com")
                      .header(HeaderId::kCSeq, "314159 INVITE")
                      .header(HeaderId::kContact, "<sip:bob@192.0.2.4>")
                      .build();
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.bytes.starts_with("SIP/2.0 180 Ringing\r\n"));
  Message msg;
  expect_parses(r.bytes, msg);
  EXPECT_TRUE(validate_response(msg).ok()) << validate_response(msg).reason;
  EXPECT_EQ(msg.status_code(), 180);
  EXPECT_EQ(msg.reason_phrase(), "Ringing");
  EXPECT_EQ(msg.content_length(), 0);
}

TEST(MessageBuilder, ResponseReasonPhrases) {
  BuildResult custom = ResponseBuilder(486, "Busy Here, Try Later \xe2\x98\x8e").build();
  ASSERT_TRUE(custom.ok());
  Message msg;
  expect_parses(custom.bytes, msg);
  EXPECT_EQ(msg.reason_phrase(), "Busy Here, Try Later \xe2\x98\x8e");

  // A code without a default phrase gets an empty Reason-Phrase, which the grammar allows.
  BuildResult unnamed = ResponseBuilder(299).build();
  ASSERT_TRUE(unnamed.ok());
  EXPECT_TRUE(unnamed.bytes.starts_with("SIP/2.0 299 \r\n"));
  expect_parses(unnamed.bytes, msg);
  EXPECT_EQ(msg.status_code(), 299);
  EXPECT_EQ(msg.reason_phrase(), "");

  for (int status : {100, 199, 200, 301, 404, 420, 503, 608, 699}) {
    BuildResult r = ResponseBuilder(status).build();
    ASSERT_TRUE(r.ok()) << status;
    expect_parses(r.bytes, msg);
    EXPECT_EQ(msg.status_code(), status);
    EXPECT_EQ(msg.reason_phrase(), default_reason(status));
  }
}

TEST(MessageBuilder, BadStatusCodes) {
  for (int status : {-1, 0, 99, 700, 1000}) EXPECT_EQ(ResponseBuilder(status).build().error, BuildError::kBadStatus);
}

TEST(MessageBuilder, DefaultReasonCoversRfc3261Section21) {
  const std::vector<std::pair<int, std::string_view>> rfc3261 = {
      {100, "Trying"}, {180, "Ringing"}, {181, "Call Is Being Forwarded"}, {182, "Queued"},
      {183, "Session Progress"}, {200, "OK"}, {300, "Multiple Choices"}, {301, "Moved Permanently"},
      {302, "Moved Temporarily"}, {305, "Use Proxy"}, {380, "Alternative Service"},
      {400, "Bad Request"}, {401, "Unauthorized"}, {402, "Payment Required"}, {403, "Forbidden"},
      {404, "Not Found"}, {405, "Method Not Allowed"}, {406, "Not Acceptable"},
      {407, "Proxy Authentication Required"}, {408, "Request Timeout"}, {410, "Gone"},
      {413, "Request Entity Too Large"}, {414, "Request-URI Too Long"},
      {415, "Unsupported Media Type"}, {416, "Unsupported URI Scheme"}, {420, "Bad Extension"},
      {421, "Extension Required"}, {423, "Interval Too Brief"}, {480, "Temporarily Unavailable"},
      {481, "Call/Transaction Does Not Exist"}, {482, "Loop Detected"}, {483, "Too Many Hops"},
      {484, "Address Incomplete"}, {485, "Ambiguous"}, {486, "Busy Here"},
      {487, "Request Terminated"}, {488, "Not Acceptable Here"}, {491, "Request Pending"},
      {493, "Undecipherable"}, {500, "Server Internal Error"}, {501, "Not Implemented"},
      {502, "Bad Gateway"}, {503, "Service Unavailable"}, {504, "Server Time-out"},
      {505, "Version Not Supported"}, {513, "Message Too Large"}, {600, "Busy Everywhere"},
      {603, "Decline"}, {604, "Does Not Exist Anywhere"}, {606, "Not Acceptable"}};
  for (const auto& [status, reason] : rfc3261) EXPECT_EQ(default_reason(status), reason) << status;
}

TEST(MessageBuilder, DefaultReasonCoversCommonExtensions) {
  const std::vector<std::pair<int, std::string_view>> extensions = {
      {199, "Early Dialog Terminated"}, {202, "Accepted"}, {204, "No Notification"},
      {412, "Conditional Request Failed"}, {417, "Unknown Resource-Priority"},
      {422, "Session Interval Too Small"}, {428, "Use Identity Header"},
      {429, "Provide Referrer Identity"}, {433, "Anonymity Disallowed"},
      {437, "Unsupported Credential"}, {439, "First Hop Lacks Outbound Support"},
      {440, "Max-Breadth Exceeded"}, {469, "Bad Info Package"}, {470, "Consent Needed"},
      {489, "Bad Event"}, {494, "Security Agreement Required"}, {580, "Precondition Failure"},
      {607, "Unwanted"}, {608, "Rejected"}};
  for (const auto& [status, reason] : extensions) EXPECT_EQ(default_reason(status), reason) << status;
  for (int status : {0, 99, 150, 299, 499, 599, 699, 700, -404}) EXPECT_EQ(default_reason(status), "") << status;
}

TEST(MessageBuilder, EveryDefaultReasonBuildsAValidStatusLine) {
  for (int status = 100; status <= 699; ++status) {
    if (default_reason(status).empty()) continue;
    BuildResult r = ResponseBuilder(status).build();
    ASSERT_TRUE(r.ok()) << status;
    Message msg;
    expect_parses(r.bytes, msg);
    EXPECT_EQ(msg.reason_phrase(), default_reason(status));
  }
}

TEST(MessageBuilder, HeaderValueInjectionIsRejected) {
  for (std::string_view bad : {"x\r\nVia: SIP/2.0/UDP evil.example.com", "x\nX-Injected: 1", "x\rX: 1",
                               "\r\n", "tail\r\n", "x\r\n\r\nBODY"}) {
    SCOPED_TRACE(std::string(bad));
    BuildResult by_id = invite_builder().header(HeaderId::kSubject, bad).build();
    EXPECT_FALSE(by_id.ok());
    EXPECT_EQ(by_id.error, BuildError::kBadHeaderValue);
    EXPECT_TRUE(by_id.bytes.empty());
    EXPECT_EQ(invite_builder().header("X-Unknown", bad).build().error, BuildError::kBadHeaderValue);
    EXPECT_EQ(invite_builder().header("Subject", bad).build().error, BuildError::kBadHeaderValue);
  }
  // Other bytes are the caller's syntax: a quoted-pair may carry a control character (§25.1).
  EXPECT_TRUE(invite_builder().header("X-Q", std::string("\"a\\\0b\"", 6)).build().ok());
}

TEST(MessageBuilder, HeaderNameMustBeAToken) {
  for (std::string_view bad : {"", "X Y", "X-Foo:", "X-Foo: bar", "X\r\nY", "Na\xc3\xafve", "(x)"}) {
    SCOPED_TRACE(std::string(bad));
    EXPECT_EQ(invite_builder().header(bad, "v").build().error, BuildError::kBadHeaderName);
  }
  EXPECT_EQ(invite_builder().header(HeaderId::kUnknown, "v").build().error, BuildError::kBadHeaderName);
  EXPECT_EQ(invite_builder().header(HeaderId::kCount, "v").build().error, BuildError::kBadHeaderName);
}

TEST(MessageBuilder, ContentHeadersBelongToTheBuilder) {
  // §20.14: Content-Length is computed; Content-Type comes with body().
  EXPECT_EQ(invite_builder().header(HeaderId::kContentLength, "0").build().error, BuildError::kReservedHeader);
  EXPECT_EQ(invite_builder().header("content-length", "0").build().error, BuildError::kReservedHeader);
  EXPECT_EQ(invite_builder().header("l", "0").build().error, BuildError::kReservedHeader);
  EXPECT_EQ(invite_builder().header(HeaderId::kContentType, "text/plain").build().error,
            BuildError::kReservedHeader);
  EXPECT_EQ(invite_builder().header("c", "text/plain").build().error, BuildError::kReservedHeader);
}

TEST(MessageBuilder, BodyNeedsAValidContentType) {
  EXPECT_EQ(invite_builder().body("", "v=0").build().error, BuildError::kBadContentType);
  EXPECT_EQ(invite_builder().body("sdp", "v=0").build().error, BuildError::kBadContentType);
  EXPECT_EQ(invite_builder().body("application/sdp\r\nX-Injected: 1", "v=0").build().error,
            BuildError::kBadContentType);
  EXPECT_EQ(invite_builder().body("application/sdp\r\n ;x=1", "v=0").build().error,
            BuildError::kBadContentType);
  EXPECT_TRUE(invite_builder().body("", "").build().ok());
  EXPECT_TRUE(invite_builder().body("multipart/mixed;boundary=\"b 1\"", "--b 1--").build().ok());
}

TEST(MessageBuilder, StartLineInjectionIsRejected) {
  const std::vector<std::string_view> bad_uris = {
      "", "sip:a b@example.com", "sip:a@example.com\r\nX: 1", "sip:a@example.com\n",
      "sip:a@example.com SIP/2.0", "sip:\t@x", std::string_view("sip:\0@x", 7)};
  for (std::string_view bad : bad_uris) {
    SCOPED_TRACE(std::string(bad));
    EXPECT_EQ(RequestBuilder(Method::kInvite, bad).build().error, BuildError::kBadRequestUri);
  }
  for (std::string_view bad : {"", "IN VITE", "INVITE\r\n", "INVITE sip:x", "INV@TE"}) {
    SCOPED_TRACE(std::string(bad));
    EXPECT_EQ(RequestBuilder(bad, "sip:a@example.com").build().error, BuildError::kBadMethod);
  }
  const std::vector<std::string_view> bad_reasons = {"OK\r\nX-Injected: 1", "OK\n", "O\rK",
                                                     std::string_view("O\0K", 3)};
  for (std::string_view bad : bad_reasons) {
    SCOPED_TRACE(std::string(bad));
    EXPECT_EQ(ResponseBuilder(200, bad).build().error, BuildError::kBadReason);
  }
  EXPECT_TRUE(ResponseBuilder(200, "OK\tfine").build().ok());
}

TEST(MessageBuilder, FirstErrorSticks) {
  RequestBuilder b(Method::kInvite, "sip:bob@biloxi.com");
  b.header("Bad Name", "v");
  EXPECT_EQ(b.error(), BuildError::kBadHeaderName);
  b.header(HeaderId::kSubject, "x\r\ny").header(HeaderId::kSubject, "fine").body("text/plain", "x");
  EXPECT_EQ(b.error(), BuildError::kBadHeaderName);
  BuildResult r = b.build();
  EXPECT_EQ(r.error, BuildError::kBadHeaderName);
  EXPECT_TRUE(r.bytes.empty());

  b.fail(BuildError::kMissingToTag);  // still the first one
  EXPECT_EQ(b.error(), BuildError::kBadHeaderName);
  // An error in the constructor sticks too.
  ResponseBuilder bad(42);
  bad.header(HeaderId::kSubject, "x");
  EXPECT_EQ(bad.error(), BuildError::kBadStatus);
}

TEST(MessageBuilder, BuildTwiceOrConsume) {
  RequestBuilder b = invite_builder();
  b.body("text/plain", "hello");
  BuildResult first = b.build();
  BuildResult second = b.build();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first.bytes, second.bytes);
  BuildResult consumed = std::move(b).build();
  EXPECT_EQ(consumed.bytes, first.bytes);
}

TEST(MessageBuilder, ErrorsHaveDescriptions) {
  for (int e = 0; e <= static_cast<int>(BuildError::kNotARequest); ++e)
    EXPECT_FALSE(to_string(static_cast<BuildError>(e)).empty()) << e;
}

TEST(MessageBuilder, ManyHeaders) {
  RequestBuilder b = invite_builder();
  for (int i = 0; i < 50; ++i) b.header("X-Header-" + std::to_string(i), "value " + std::to_string(i));
  BuildResult r = b.build();
  ASSERT_TRUE(r.ok());
  Message msg;
  expect_parses(r.bytes, msg);
  EXPECT_EQ(msg.headers().size(), 7u + 50u + 1u);
  EXPECT_EQ(msg.headers()[7 + 49].name, "X-Header-49");
  EXPECT_EQ(msg.headers()[7 + 49].value, "value 49");
  EXPECT_TRUE(validate_request(msg).ok());
}

}  // namespace
}  // namespace trapezoid::sip
