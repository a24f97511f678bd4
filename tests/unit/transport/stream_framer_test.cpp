#include "transport/stream_framer.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "sip_samples.hpp"

namespace trapezoid::transport {
namespace {

using testing::options_request;

void feed(StreamFramer& f, std::string_view bytes) {
  auto space = f.prepare(bytes.size());
  std::memcpy(space.data(), bytes.data(), bytes.size());
  f.commit(bytes.size());
}

// Every event until kNeedMore (or kError); the Call-IDs of the messages.
std::vector<std::string> drain(StreamFramer& f, int* pings = nullptr, StreamEvent* error = nullptr) {
  std::vector<std::string> ids;
  for (;;) {
    sip::Message m;
    StreamEvent e = f.next(m);
    if (e.kind == StreamEvent::kNeedMore) return ids;
    if (e.kind == StreamEvent::kPing && pings) ++*pings;
    if (e.kind == StreamEvent::kMessage) ids.emplace_back(m.find(sip::HeaderId::kCallId)->value);
    if (e.kind == StreamEvent::kError) {
      if (error) *error = e;
      return ids;
    }
  }
}

TEST(StreamFramer, ByteByByte) {
  StreamFramer f({}, 1 << 20);
  const std::string msg = options_request("SIP/2.0/TCP a.example.com;branch=z9hG4bK1", "", "one");
  std::vector<std::string> ids;
  for (char c : msg) {
    feed(f, std::string_view(&c, 1));
    for (auto& id : drain(f)) ids.push_back(id);
  }
  ASSERT_EQ(ids.size(), 1u);
  EXPECT_EQ(ids[0], "one");
  EXPECT_EQ(f.buffered(), 0u);
}

TEST(StreamFramer, BodyByteByByteCompletesOnItsLastByte) {
  StreamFramer f({}, 1 << 20);
  const std::string body(3000, 'b');
  const std::string msg = "MESSAGE sip:b@biloxi.com SIP/2.0\r\nVia: SIP/2.0/TCP a\r\nCall-ID: body\r\n"
                          "Content-Length: 3000\r\n\r\n" + body;
  for (std::size_t i = 0; i + 1 < msg.size(); ++i) {
    feed(f, msg.substr(i, 1));
    ASSERT_TRUE(drain(f).empty()) << i;
  }
  feed(f, msg.substr(msg.size() - 1));
  sip::Message m;
  StreamEvent e = f.next(m);
  ASSERT_EQ(e.kind, StreamEvent::kMessage);
  EXPECT_EQ(m.body(), body);
}

TEST(StreamFramer, BareLineFeedsEndTheHeaderSection) {
  StreamFramer f({}, 1 << 20);
  const std::string msg = "OPTIONS sip:b@biloxi.com SIP/2.0\nVia: SIP/2.0/TCP a\nCall-ID: lf\nContent-Length: 2\n\nok";
  for (char c : msg) feed(f, std::string_view(&c, 1));
  EXPECT_EQ(drain(f), std::vector<std::string>{"lf"});
}

TEST(StreamFramer, PipelinedWithBodies) {
  StreamFramer f({}, 1 << 20);
  std::string two = options_request("SIP/2.0/TCP a.example.com", "", "one");
  std::string with_body = "MESSAGE sip:b@biloxi.com SIP/2.0\r\nVia: SIP/2.0/TCP a.example.com\r\n"
                          "Call-ID: two\r\nContent-Length: 4\r\n\r\n\r\n\r\n";  // a body that looks like a ping
  feed(f, two + with_body + options_request("SIP/2.0/TCP a.example.com", "", "three"));
  EXPECT_EQ(drain(f), (std::vector<std::string>{"one", "two", "three"}));
}

TEST(StreamFramer, PingsAndPongs) {
  StreamFramer f({}, 1 << 20);
  int pings = 0;
  feed(f, "\r\n\r\n");
  drain(f, &pings);
  EXPECT_EQ(pings, 1);
  feed(f, "\r\n");  // a pong, or half a ping: wait
  drain(f, &pings);
  EXPECT_EQ(pings, 1);
  feed(f, "\r\n");
  drain(f, &pings);
  EXPECT_EQ(pings, 2);
  feed(f, "\r\n" + options_request("SIP/2.0/TCP a.example.com", "", "after-pong"));
  EXPECT_EQ(drain(f, &pings), std::vector<std::string>{"after-pong"});
  EXPECT_EQ(pings, 2);
}

TEST(StreamFramer, EndlessHeaderIs513) {
  StreamFramer f({}, 1 << 20);
  feed(f, "OPTIONS sip:b@biloxi.com SIP/2.0\r\nVia: SIP/2.0/TCP a.example.com\r\nX-Long: ");
  std::string chunk(4096, 'a');
  StreamEvent error;
  for (int i = 0; i < 20 && error.kind != StreamEvent::kError; ++i) {
    feed(f, chunk);
    drain(f, nullptr, &error);
  }
  EXPECT_EQ(error.kind, StreamEvent::kError);
  EXPECT_EQ(error.error.status, 513);
  sip::Message m;
  EXPECT_EQ(f.next(m).kind, StreamEvent::kNeedMore);  // a failed stream yields nothing more
}

TEST(StreamFramer, BufferLimit) {
  sip::ParserLimits limits;
  StreamFramer f(limits, 1000);
  feed(f, "MESSAGE sip:b@biloxi.com SIP/2.0\r\nVia: SIP/2.0/TCP a\r\nContent-Length: 5000\r\n\r\n");
  feed(f, std::string(1000, 'x'));
  StreamEvent error;
  drain(f, nullptr, &error);
  EXPECT_EQ(error.kind, StreamEvent::kError);
  EXPECT_EQ(error.error.status, 513);
}

TEST(StreamFramer, MissingContentLengthIsAnError) {
  StreamFramer f({}, 1 << 20);
  feed(f, "OPTIONS sip:b@biloxi.com SIP/2.0\r\nVia: SIP/2.0/TCP a\r\n\r\n");
  StreamEvent error;
  drain(f, nullptr, &error);
  EXPECT_EQ(error.kind, StreamEvent::kError);
  EXPECT_EQ(error.error.status, 400);
}

}  // namespace
}  // namespace trapezoid::transport
