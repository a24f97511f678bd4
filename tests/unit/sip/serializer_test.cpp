#include "sip/serializer.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "sip/parser.hpp"

namespace trapezoid::sip {
namespace {

// Test messages are written with "\n"; this turns every LF into CRLF (folds included).
std::string crlf(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out.push_back('\r');
    out.push_back(c);
  }
  return out;
}

// Everything a round trip must keep: start line, header names, values and ids in order, body.
void expect_same_message(const Message& a, const Message& b) {
  EXPECT_EQ(a.is_request(), b.is_request());
  EXPECT_EQ(a.method(), b.method());
  EXPECT_EQ(a.method_name(), b.method_name());
  EXPECT_EQ(a.request_uri(), b.request_uri());
  EXPECT_EQ(a.status_code(), b.status_code());
  EXPECT_EQ(a.reason_phrase(), b.reason_phrase());
  EXPECT_EQ(a.version(), b.version());
  ASSERT_EQ(a.headers().size(), b.headers().size());
  for (std::size_t i = 0; i < a.headers().size(); ++i) {
    SCOPED_TRACE("header " + std::to_string(i));
    EXPECT_EQ(a.headers()[i].name, b.headers()[i].name);
    EXPECT_EQ(a.headers()[i].value, b.headers()[i].value);
    EXPECT_EQ(a.headers()[i].id, b.headers()[i].id);
  }
  EXPECT_EQ(a.content_length(), b.content_length());
  EXPECT_EQ(a.body(), b.body());
}

// parse_datagram(bytes) -> serialize -> parse_datagram, and parse_stream when the message has a
// Content-Length; both parses must give the original message.
void expect_round_trip(std::string_view bytes) {
  Message original;
  ParseResult r = parse_datagram(bytes, original);
  ASSERT_TRUE(r.ok()) << r.error.reason << " at " << r.error.offset;

  const std::string wire = serialize(original);
  EXPECT_EQ(wire.size(), serialized_size(original));

  Message again;
  r = parse_datagram(wire, again);
  ASSERT_TRUE(r.ok()) << r.error.reason << "\n" << wire;
  expect_same_message(original, again);

  if (original.content_length() >= 0) {
    Message streamed;
    r = parse_stream(wire, streamed);
    ASSERT_TRUE(r.ok()) << r.error.reason;
    EXPECT_EQ(r.consumed, wire.size());
    expect_same_message(original, streamed);
  }
}

const std::string kInvite = crlf(
    "INVITE sip:bob@biloxi.com SIP/2.0\n"
    "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds\n"
    "Max-Forwards: 70\n"
    "To: Bob <sip:bob@biloxi.com>\n"
    "From: Alice <sip:alice@atlanta.com>;tag=1928301774\n"
    "Call-ID: a84b4c76e66710@pc33.atlanta.com\n"
    "CSeq: 314159 INVITE\n"
    "Contact: <sip:alice@pc33.atlanta.com>\n"
    "Content-Type: application/sdp\n"
    "Content-Length: 146\n"
    "\n") +
    "v=0\r\no=alice 2890844526 2890844526 IN IP4 pc33.atlanta.com\r\ns=-\r\n"
    "c=IN IP4 pc33.atlanta.com\r\nt=0 0\r\nm=audio 49172 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

TEST(Serializer, CanonicalMessageIsReproducedByteForByte) {
  Message msg;
  ASSERT_TRUE(parse_datagram(kInvite, msg).ok());
  ASSERT_EQ(msg.body().size(), 146u);
  EXPECT_EQ(serialize(msg), kInvite);
  expect_round_trip(kInvite);
}

TEST(Serializer, ResponseIsReproducedByteForByte) {
  const std::string bytes = crlf(
      "SIP/2.0 180 Ringing\n"
      "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds;received=192.0.2.1\n"
      "To: Bob <sip:bob@biloxi.com>;tag=a6c85cf\n"
      "From: Alice <sip:alice@atlanta.com>;tag=1928301774\n"
      "Call-ID: a84b4c76e66710@pc33.atlanta.com\n"
      "CSeq: 314159 INVITE\n"
      "Content-Length: 0\n"
      "\n");
  Message msg;
  ASSERT_TRUE(parse_datagram(bytes, msg).ok());
  EXPECT_EQ(serialize(msg), bytes);
  expect_round_trip(bytes);
}

TEST(Serializer, FoldedHeadersKeepTheirFolds) {
  const std::string bytes = crlf(
      "OPTIONS sip:carol@chicago.com SIP/2.0\n"
      "Via: SIP/2.0/UDP pc33.atlanta.com\n"
      "   ;branch=z9hG4bKhjhs8ass877\n"
      "Subject: I know you're there,\n"
      "         pick up the phone\n"
      "\t and talk to me!\n"
      "To:\n"
      " <sip:carol@chicago.com>\n"
      "From: Alice <sip:alice@atlanta.com>;tag=1928301774\n"
      "Call-ID: a84b4c76e66710\n"
      "CSeq: 63104 OPTIONS\n"
      "Content-Length: 0\n"
      "\n");
  Message msg;
  ASSERT_TRUE(parse_datagram(bytes, msg).ok());
  const std::string wire = serialize(msg);
  // The fold inside the Subject value is written as it was received.
  EXPECT_NE(wire.find("Subject: I know you're there,\r\n         pick up the phone\r\n\t and talk to me!\r\n"),
            std::string::npos);
  // A value that starts on a continuation line moves up to the name's line.
  EXPECT_NE(wire.find("\r\nTo: <sip:carol@chicago.com>\r\n"), std::string::npos);
  expect_round_trip(bytes);
}

TEST(Serializer, CompactFormsAndNameCaseAreKept) {
  const std::string bytes = crlf(
      "INVITE sip:bob@biloxi.com SIP/2.0\n"
      "v: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8\n"
      "t: <sip:bob@biloxi.com>\n"
      "f: <sip:alice@atlanta.com>;tag=88sja8x\n"
      "i: 98asdh@10.1.1.1\n"
      "CSEQ: 1 INVITE\n"
      "m: <sip:alice@pc33.atlanta.com>\n"
      "k: 100rel\n"
      "c: text/plain\n"
      "l: 5\n"
      "\n"
      "hello");
  Message msg;
  ASSERT_TRUE(parse_datagram(bytes, msg).ok());
  EXPECT_EQ(serialize(msg), bytes);
  expect_round_trip(bytes);
}

TEST(Serializer, UnknownHeadersAreReemittedUnchanged) {
  const std::string bytes = crlf(
      "MESSAGE sip:bob@biloxi.com SIP/2.0\n"
      "Via: SIP/2.0/TCP pc33.atlanta.com;branch=z9hG4bKnashds8\n"
      "X-Custom-Thing: value  with   inner    spacing ; p=\"q, r\"\n"
      "NewFangledHeader:   newfangled value\n"
      " continued newfangled value\n"
      "UnknownHeaderWithUnusualValue: ;;,,;;,;\n"
      "x-lower: \xc3\xa9t\xc3\xa9\n"
      "To: <sip:bob@biloxi.com>\n"
      "From: <sip:alice@atlanta.com>;tag=1\n"
      "Call-ID: 1@a\n"
      "CSeq: 2 MESSAGE\n"
      "Content-Length: 0\n"
      "\n");
  Message msg;
  ASSERT_TRUE(parse_datagram(bytes, msg).ok());
  const std::string wire = serialize(msg);
  EXPECT_NE(wire.find("X-Custom-Thing: value  with   inner    spacing ; p=\"q, r\"\r\n"), std::string::npos);
  EXPECT_NE(wire.find("NewFangledHeader: newfangled value\r\n continued newfangled value\r\n"),
            std::string::npos);
  expect_round_trip(bytes);
}

TEST(Serializer, EmptyValuesAndEmptyReasonPhrase) {
  const std::string bytes = crlf(
      "SIP/2.0 200 \n"
      "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\n"
      "Subject:\n"
      "Supported:   \n"
      "To: <sip:b@example.com>;tag=2\n"
      "From: <sip:a@example.com>;tag=1\n"
      "Call-ID: x\n"
      "CSeq: 1 OPTIONS\n"
      "Content-Length: 0\n"
      "\n");
  Message msg;
  ASSERT_TRUE(parse_datagram(bytes, msg).ok());
  EXPECT_EQ(msg.reason_phrase(), "");
  const std::string wire = serialize(msg);
  EXPECT_TRUE(wire.starts_with("SIP/2.0 200 \r\n"));
  EXPECT_NE(wire.find("\r\nSubject:\r\nSupported:\r\n"), std::string::npos);
  expect_round_trip(bytes);
}

TEST(Serializer, StatusLineWithoutReasonGetsItsSeparator) {
  // "SIP/2.0 404" lacks the SP before the (empty) Reason-Phrase; the output has it (§7.2).
  const std::string bytes = crlf(
      "SIP/2.0 404\n"
      "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\n"
      "Content-Length: 0\n"
      "\n");
  Message msg;
  ASSERT_TRUE(parse_datagram(bytes, msg).ok());
  EXPECT_TRUE(serialize(msg).starts_with("SIP/2.0 404 \r\n"));
  expect_round_trip(bytes);
}

TEST(Serializer, VersionAndRequestUriAreKeptAsWritten) {
  const std::string bytes = crlf(
      "OPTIONS sip:%61lice@atlanta.com;transport=TCP?subject=x sip/2.0\n"
      "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\n"
      "Content-Length: 0\n"
      "\n");
  Message msg;
  ASSERT_TRUE(parse_datagram(bytes, msg).ok());
  EXPECT_TRUE(serialize(msg).starts_with("OPTIONS sip:%61lice@atlanta.com;transport=TCP?subject=x sip/2.0\r\n"));
  expect_round_trip(bytes);
}

TEST(Serializer, BareLineFeedsBecomeCrlfOutsideFolds) {
  const std::string bytes =
      "BYE sip:bob@biloxi.com SIP/2.0\n"
      "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8\n"
      "Subject: first\n"
      " second\n"
      "Content-Length: 3\n"
      "\n"
      "a\nb";
  Message msg;
  ASSERT_TRUE(parse_datagram(bytes, msg).ok());
  const std::string wire = serialize(msg);
  EXPECT_EQ(wire,
            "BYE sip:bob@biloxi.com SIP/2.0\r\n"
            "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8\r\n"
            "Subject: first\n second\r\n"
            "Content-Length: 3\r\n"
            "\r\n"
            "a\nb");
  expect_round_trip(bytes);
}

TEST(Serializer, BinaryBodyIsCopiedExactly) {
  std::string body("\0\r\n\r\n\xff\x01 end", 11);
  std::string bytes = crlf(
      "MESSAGE sip:bob@biloxi.com SIP/2.0\n"
      "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\n"
      "Content-Type: application/octet-stream\n"
      "Content-Length: 11\n"
      "\n") + body;
  Message msg;
  ASSERT_TRUE(parse_datagram(bytes, msg).ok());
  ASSERT_EQ(msg.body(), body);
  EXPECT_EQ(serialize(msg), bytes);
  expect_round_trip(bytes);
}

TEST(Serializer, ManyHeadersBeyondTheInlineCapacity) {
  std::string bytes = "REGISTER sip:registrar.biloxi.com SIP/2.0\r\n";
  for (int i = 0; i < 45; ++i)
    bytes += "Via: SIP/2.0/UDP host" + std::to_string(i) + ".example.com;branch=z9hG4bK" + std::to_string(i) + "\r\n";
  for (int i = 0; i < 10; ++i) bytes += "X-Extra-" + std::to_string(i) + ": value " + std::to_string(i) + "\r\n";
  bytes += "To: <sip:bob@biloxi.com>\r\nFrom: <sip:bob@biloxi.com>;tag=456248\r\n"
           "Call-ID: 843817637684230@998sdasdh09\r\nCSeq: 1826 REGISTER\r\nContent-Length: 0\r\n\r\n";
  Message msg;
  ASSERT_TRUE(parse_datagram(bytes, msg).ok());
  ASSERT_GT(msg.headers().size(), Message::kInlineHeaders);
  ASSERT_EQ(msg.headers().size(), 60u);
  EXPECT_EQ(serialize(msg), bytes);
  expect_round_trip(bytes);
}

TEST(Serializer, DatagramWithoutContentLength) {
  // §18.3: a datagram's body may run to its end without Content-Length.
  const std::string bytes = crlf(
      "MESSAGE sip:bob@biloxi.com SIP/2.0\n"
      "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\n"
      "Content-Type: text/plain\n"
      "\n") + "hi there";
  Message msg;
  ASSERT_TRUE(parse_datagram(bytes, msg).ok());
  ASSERT_EQ(msg.content_length(), -1);
  ASSERT_EQ(msg.body(), "hi there");

  // As parsed: fine for a datagram, unframeable on a stream.
  const std::string as_is = serialize(msg);
  EXPECT_EQ(as_is, bytes);
  Message again;
  ASSERT_TRUE(parse_datagram(as_is, again).ok());
  expect_same_message(msg, again);
  EXPECT_EQ(parse_stream(as_is, again).status, ParseStatus::kError);

  // With ensure_content_length the stream parser frames it, and nothing else changes.
  const SerializeOptions framed{.ensure_content_length = true};
  const std::string wire = serialize(msg, framed);
  EXPECT_EQ(wire.size(), serialized_size(msg, framed));
  EXPECT_EQ(wire, crlf(
      "MESSAGE sip:bob@biloxi.com SIP/2.0\n"
      "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\n"
      "Content-Type: text/plain\n"
      "Content-Length: 8\n"
      "\n") + "hi there");
  Message streamed;
  ParseResult r = parse_stream(wire, streamed);
  ASSERT_TRUE(r.ok()) << r.error.reason;
  EXPECT_EQ(r.consumed, wire.size());
  EXPECT_EQ(streamed.body(), "hi there");
  EXPECT_EQ(streamed.content_length(), 8);
  ASSERT_EQ(streamed.headers().size(), msg.headers().size() + 1);
  for (std::size_t i = 0; i < msg.headers().size(); ++i) {
    EXPECT_EQ(streamed.headers()[i].name, msg.headers()[i].name);
    EXPECT_EQ(streamed.headers()[i].value, msg.headers()[i].value);
  }
}

TEST(Serializer, EnsureContentLengthNormalizesInPlace) {
  // The existing field keeps its name (compact here) and position; its value becomes the size.
  const std::string bytes = crlf(
      "MESSAGE sip:bob@biloxi.com SIP/2.0\n"
      "l: 0005\n"
      "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\n"
      "\n") + "hello";
  Message msg;
  ASSERT_TRUE(parse_datagram(bytes, msg).ok());
  ASSERT_EQ(msg.content_length(), 5);
  EXPECT_EQ(serialize(msg), bytes);  // without the option: as written
  EXPECT_EQ(serialize(msg, {.ensure_content_length = true}),
            crlf("MESSAGE sip:bob@biloxi.com SIP/2.0\n"
                 "l: 5\n"
                 "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\n"
                 "\n") + "hello");
}

TEST(Serializer, EnsureContentLengthOnEmptyBody) {
  const std::string bytes = "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n";
  Message msg;
  ASSERT_TRUE(parse_datagram(bytes, msg).ok());  // the header section ends with the datagram
  EXPECT_EQ(serialize(msg), bytes + "\r\n");
  EXPECT_EQ(serialize(msg, {.ensure_content_length = true}), bytes + "Content-Length: 0\r\n\r\n");
}

TEST(Serializer, TrailingDatagramBytesAreNotPartOfTheMessage) {
  const std::string bytes = crlf(
      "MESSAGE sip:bob@biloxi.com SIP/2.0\n"
      "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\n"
      "Content-Length: 2\n"
      "\n") + "okGARBAGE";
  Message msg;
  ASSERT_TRUE(parse_datagram(bytes, msg).ok());
  const std::string wire = serialize(msg);
  EXPECT_TRUE(wire.ends_with("\r\n\r\nok"));
  EXPECT_EQ(wire, msg.raw());
}

TEST(Serializer, SerializeToAppendsAndFramesBackToBack) {
  Message a;
  ASSERT_TRUE(parse_datagram(kInvite, a).ok());
  std::string out = "prefix";
  serialize_to(a, out);
  serialize_to(a, out);
  ASSERT_TRUE(out.starts_with("prefix"));
  std::string_view stream = std::string_view(out).substr(6);

  Message first;
  ParseResult r = parse_stream(stream, first);
  ASSERT_TRUE(r.ok());
  expect_same_message(a, first);
  stream.remove_prefix(r.consumed);
  Message second;
  r = parse_stream(stream, second);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.consumed, stream.size());
  expect_same_message(a, second);
}

TEST(Serializer, OwnedMessageSerializesTheSame) {
  Message msg;
  {
    std::string temporary = kInvite;
    ASSERT_TRUE(parse_datagram(temporary, msg).ok());
    msg.own();
  }
  EXPECT_EQ(serialize(msg), kInvite);
}

TEST(Serializer, StreamKeepAlivesAreNotReemitted) {
  const std::string bytes = "\r\n\r\n" + kInvite;
  Message msg;
  ParseResult r = parse_stream(bytes, msg);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(serialize(msg), kInvite);
}

// Every RFC 4475 / RFC 5118 torture message the parser accepts survives a round trip, both as a
// datagram and (with Content-Length ensured) as a stream.
std::filesystem::path shared_dir() {
#ifdef TRAPEZOID_SHARED_DIR
  return TRAPEZOID_SHARED_DIR;
#else
  // tests/unit/sip/ -> the checkout's parent, where shared/ lives.
  return std::filesystem::path(__FILE__).parent_path() / ".." / ".." / ".." / ".." / "shared";
#endif
}

std::vector<std::filesystem::path> torture_files() {
  std::vector<std::filesystem::path> files;
  for (const char* folder : {"conformance/rfc4475", "conformance/rfc5118"}) {
    const std::filesystem::path dir = shared_dir() / folder;
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
      if (entry.path().extension() == ".dat") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(Serializer, TortureMessagesRoundTrip) {
  const std::vector<std::filesystem::path> files = torture_files();
  if (files.empty()) GTEST_SKIP() << "no torture messages under " << shared_dir();
  std::size_t tried = 0;
  for (const auto& path : files) {
    SCOPED_TRACE(path.filename().string());
    std::ifstream in(path, std::ios::binary);
    const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    Message original;
    if (!parse_datagram(bytes, original).ok()) continue;
    ++tried;
    expect_round_trip(bytes);

    const std::string wire = serialize(original, {.ensure_content_length = true});
    Message streamed;
    ParseResult r = parse_stream(wire, streamed);
    ASSERT_TRUE(r.ok()) << r.error.reason;
    EXPECT_EQ(r.consumed, wire.size());
    EXPECT_EQ(streamed.body(), original.body());
    EXPECT_EQ(streamed.headers().size(),
              original.headers().size() + (original.content_length() < 0 ? 1 : 0));
  }
  EXPECT_GT(tried, 20u);
}

}  // namespace
}  // namespace trapezoid::sip
