// The worker's UDP side on real loopback sockets (IPv4 and IPv6).
#include <gtest/gtest.h>

#include "sip_samples.hpp"
#include "socket_peer.hpp"

namespace trapezoid::transport {
namespace {

using namespace testing;

class WorkerUdp : public ::testing::TestWithParam<bool> {
 protected:
  bool v6() const { return GetParam(); }
  std::string loopback() const { return v6() ? "[::1]" : "127.0.0.1"; }
  std::string bare_loopback() const { return v6() ? "::1" : "127.0.0.1"; }
  // A Via whose sent-by is a name, so the worker must add received (and fill rport).
  std::string via(const UdpPeer& from, std::string_view branch) const {
    return "SIP/2.0/UDP client.example.com:" + std::to_string(from.port()) + ";rport;branch=z9hG4bK" +
           std::string(branch);
  }

  Recorder rec;
  RunningWorker w{rec};
  UdpPeer peer{v6()};
  Endpoint server() const { return w.local(TransportKind::kUdp, v6()); }
};

TEST_P(WorkerUdp, ValidRequestIsStampedPassedUpAndAnswered) {
  ASSERT_FALSE(w.start_error) << w.start_error.message();
  ASSERT_EQ(peer.send(server(), options_request(via(peer, "a1"))), 0);
  ASSERT_TRUE(rec.wait_messages(1));
  std::vector<Received> got = rec.take();
  EXPECT_TRUE(got[0].msg.owns_bytes());
  EXPECT_EQ(got[0].msg.find(sip::HeaderId::kVia)->value,
            "SIP/2.0/UDP client.example.com:" + std::to_string(peer.port()) + ";received=" + bare_loopback() +
                ";rport=" + std::to_string(peer.port()) + ";branch=z9hG4bKa1");
  EXPECT_EQ(got[0].from.remote.transport, TransportKind::kUdp);
  EXPECT_EQ(got[0].from.remote.port, peer.port());
  EXPECT_EQ(got[0].from.local, server());
  // The answer comes back to the source address and port (RFC 3581).
  std::optional<std::string> answer = peer.receive();
  ASSERT_TRUE(answer);
  EXPECT_TRUE(answer->starts_with("SIP/2.0 200 OK\r\n"));
}

TEST_P(WorkerUdp, GarbageIsDroppedAndServingGoesOn) {
  ASSERT_FALSE(w.start_error);
  ASSERT_EQ(peer.send(server(), std::string("\x00\x01\x02 not sip at all\r\n\r\n", 22)), 0);
  ASSERT_TRUE(rec.wait_log("dropped message from"));
  ASSERT_EQ(peer.send(server(), options_request(via(peer, "a2"))), 0);
  ASSERT_TRUE(rec.wait_messages(1));
  EXPECT_EQ(rec.take().size(), 1u);
}

// The largest datagram the IP layer carries: 65,535 bytes minus the IP and UDP headers.
std::size_t largest_payload(bool v6) { return v6 ? 65535 - 8 : 65535 - 20 - 8; }

std::string sized_request(const std::string& via, std::size_t total, std::size_t declared_extra) {
  std::string head = options_request(via, "Content-Type: text/plain\r\n");
  head.erase(head.find("Content-Length: 0\r\n\r\n"));
  // head + "Content-Length: N\r\n\r\n" + body == total, with N = body + declared_extra.
  std::size_t body = total - head.size() - std::string("Content-Length: 00000\r\n\r\n").size();
  head += "Content-Length: " + std::to_string(body + declared_extra) + "\r\n\r\n";
  head.append(total - head.size(), 'b');
  return head;
}

TEST_P(WorkerUdp, LargestDatagramIsReceived) {
  ASSERT_FALSE(w.start_error);
  const std::string big = sized_request(via(peer, "a3"), largest_payload(v6()), 0);
  ASSERT_EQ(big.size(), largest_payload(v6()));
  ASSERT_EQ(peer.send(server(), big), 0);
  ASSERT_TRUE(rec.wait_messages(1));
  std::vector<Received> got = rec.take();
  EXPECT_GT(got[0].msg.body().size(), 65000u);
}

TEST_P(WorkerUdp, TruncatedDatagramIsAnswered400ThenServingGoesOn) {
  ASSERT_FALSE(w.start_error);
  // Content-Length promises more than the datagram holds (RFC 3261 §18.3).
  const std::string cut = sized_request(via(peer, "a4"), largest_payload(v6()), 5000);
  ASSERT_EQ(peer.send(server(), cut), 0);
  std::optional<std::string> answer = peer.receive();
  ASSERT_TRUE(answer);
  EXPECT_TRUE(answer->starts_with("SIP/2.0 400 Content-Length Exceeds Message\r\n")) << answer->substr(0, 60);
  ASSERT_EQ(peer.send(server(), options_request(via(peer, "a5"))), 0);
  ASSERT_TRUE(rec.wait_messages(1));
  EXPECT_EQ(rec.take()[0].msg.find(sip::HeaderId::kVia)->value.find("z9hG4bKa5") != std::string::npos, true);
}

TEST_P(WorkerUdp, ABurstArrivesWholeAndInOrder) {
  ASSERT_FALSE(w.start_error);
  // More datagrams than one receive batch holds, sent before the worker reads any.
  constexpr int kCount = 50;
  for (int i = 0; i < kCount; ++i)
    ASSERT_EQ(peer.send(server(), options_request(via(peer, "b" + std::to_string(i)), "", "burst-" + std::to_string(i))), 0);
  ASSERT_TRUE(rec.wait_messages(kCount));
  std::vector<Received> got = rec.take();
  ASSERT_EQ(got.size(), static_cast<std::size_t>(kCount));
  for (int i = 0; i < kCount; ++i)
    EXPECT_EQ(got[static_cast<std::size_t>(i)].msg.find(sip::HeaderId::kCallId)->value, "burst-" + std::to_string(i));
}

TEST_P(WorkerUdp, SendApiReachesAPeer) {
  ASSERT_FALSE(w.start_error);
  Endpoint to{TransportKind::kUdp, *IpAddress::parse(bare_loopback()), peer.port()};
  w.worker.send(options_request("SIP/2.0/UDP " + loopback() + ";branch=z9hG4bKs1"), Target{to, 0});
  std::optional<std::string> got = peer.receive();
  ASSERT_TRUE(got);
  EXPECT_TRUE(got->starts_with("OPTIONS sip:bob@biloxi.com SIP/2.0\r\n"));
}

// Datagrams that are no SIP at all are dropped, each with a log line, and serving goes on.
TEST_P(WorkerUdp, AssortedGarbageIsDroppedWithALogLineEach) {
  ASSERT_FALSE(w.start_error);
  std::string binary(1200, '\0');
  for (std::size_t i = 0; i < binary.size(); ++i) binary[i] = static_cast<char>((i * 131 + 7) % 256);
  const std::string stun_like("\x00\x01\x00\x00\x21\x12\xa4\x42" "abcdefghijkl", 20);
  const std::vector<std::string> garbage = {
      std::string(1, '\0'),                         // one byte
      "\r\n\r\n",                                  // a stream keep-alive, meaningless here
      stun_like,                                    // a STUN binding request's header
      binary,                                       // noise
      "OPTIONS\r\n\r\n",                            // a request line without URI or version
      "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP x;branch=z9hG4bKq\r\n\r\n",  // a response without its headers
      std::string(60000, 'A'),                      // one long line, no CRLF
  };
  for (const std::string& g : garbage) ASSERT_EQ(peer.send(server(), g), 0);
  EXPECT_TRUE(eventually([&] { return rec.log_count("dropped message from") >= garbage.size(); }))
      << rec.log_count("dropped message from");
  EXPECT_FALSE(peer.receive(50ms));  // none of them was answered
  ASSERT_EQ(peer.send(server(), options_request(via(peer, "g1"))), 0);
  ASSERT_TRUE(rec.wait_messages(1));
  EXPECT_EQ(rec.take().size(), 1u);
}

// A datagram cannot reach 70 KB (65,535 bytes with the IP and UDP headers is the most), so the
// header limit is lowered to see a datagram over it: a request whose header fields are read
// before the limit is hit gets 513 (RFC 3261 §18.1.1, §21.5.14); without them it is dropped.
TEST_P(WorkerUdp, DatagramOverTheHeaderLimitGets513OrIsDropped) {
  WorkerConfig c = loopback_config();
  c.limits.max_header_bytes = 8 * 1024;
  Recorder small_rec;
  RunningWorker small{small_rec, c};
  ASSERT_FALSE(small.start_error);
  const Endpoint to = small.local(TransportKind::kUdp, v6());

  std::string big = options_request(via(peer, "h1"));
  big.insert(big.find("Content-Length"), "X-Big: " + std::string(60000, 'b') + "\r\n");
  ASSERT_EQ(peer.send(to, big), 0);
  std::optional<std::string> answer = peer.receive();
  ASSERT_TRUE(answer);
  EXPECT_TRUE(answer->starts_with("SIP/2.0 513 ")) << answer->substr(0, 60);
  EXPECT_NE(answer->find("z9hG4bKh1"), std::string::npos);

  std::string headless = "OPTIONS sip:bob@biloxi.com SIP/2.0\r\nX-Big: " + std::string(60000, 'b') + "\r\n" +
                         options_request(via(peer, "h2")).substr(36);
  ASSERT_EQ(peer.send(to, headless), 0);
  EXPECT_TRUE(small_rec.wait_log("dropped message from"));

  ASSERT_EQ(peer.send(to, options_request(via(peer, "h3"))), 0);
  ASSERT_TRUE(small_rec.wait_messages(1));
  EXPECT_NE(small_rec.take()[0].msg.find(sip::HeaderId::kVia)->value.find("z9hG4bKh3"), std::string::npos);
}

// What the worker itself would send over 65,507 (IPv4) or 65,527 (IPv6) bytes fails at once.
TEST_P(WorkerUdp, OversizedSendIsATransportError) {
  ASSERT_FALSE(w.start_error);
  const Endpoint to{TransportKind::kUdp, *IpAddress::parse(bare_loopback()), peer.port()};
  w.worker.send(ok_response(via(peer, "o1")) + std::string(70 * 1024, 'x'), Target{to, 0});
  ASSERT_TRUE(rec.wait_errors(1));
  EXPECT_EQ(rec.errors()[0].second, std::errc::message_size);
  EXPECT_EQ(rec.errors()[0].first.remote, to);
}

std::string family(const ::testing::TestParamInfo<bool>& p) { return p.param ? "IPv6" : "IPv4"; }
INSTANTIATE_TEST_SUITE_P(Loopback, WorkerUdp, ::testing::Values(false, true), family);

}  // namespace
}  // namespace trapezoid::transport
