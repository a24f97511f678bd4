// The worker's TCP limits on real loopback sockets: timeouts, queue and connection limits.
#include <gtest/gtest.h>

#include "sip_samples.hpp"
#include "socket_peer.hpp"

namespace trapezoid::transport {
namespace {

using namespace testing;

TEST(WorkerTcpLimits, SilentClientIsDroppedAfterTheTimeout) {
  Recorder rec;
  WorkerConfig c = loopback_config();
  c.first_message_timeout = 200ms;
  RunningWorker w(rec, c);
  ASSERT_FALSE(w.start_error);
  const auto start = std::chrono::steady_clock::now();
  TcpPeer peer(w.local(TransportKind::kTcp, false));
  ASSERT_TRUE(peer.connected);
  EXPECT_TRUE(peer.wait_closed(3s));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_GE(elapsed, 150ms);
  EXPECT_LT(elapsed, 2s);
  EXPECT_TRUE(rec.wait_log("closing idle connection"));
}

TEST(WorkerTcpLimits, TricklingClientIsDroppedAtTheFirstMessageDeadline) {
  Recorder rec;
  WorkerConfig c = loopback_config();
  c.first_message_timeout = 300ms;
  RunningWorker w(rec, c);
  ASSERT_FALSE(w.start_error);
  const auto start = std::chrono::steady_clock::now();
  TcpPeer peer(w.local(TransportKind::kTcp, false));
  // A byte every 50 ms: activity, but never a whole message.
  const std::string msg = options_request("SIP/2.0/TCP client.example.com;branch=z9hG4bKd1");
  for (std::size_t i = 0; i < 40 && peer.send(msg.substr(i, 1)); ++i) {
    if (peer.readable(50ms)) break;  // closed (or answered): stop trickling
  }
  EXPECT_TRUE(peer.wait_closed(3s));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1500ms);
  EXPECT_FALSE(rec.wait_messages(1, 10ms));
}

TEST(WorkerTcpLimits, IdleConnectionIsDroppedAfterItsLastMessage) {
  Recorder rec;
  WorkerConfig c = loopback_config();
  c.idle_timeout = 200ms;
  RunningWorker w(rec, c, false);
  ASSERT_FALSE(w.start_error);
  TcpPeer peer(w.local(TransportKind::kTcp, false));
  ASSERT_TRUE(peer.send(options_request("SIP/2.0/TCP client.example.com;branch=z9hG4bKi1")));
  ASSERT_TRUE(rec.wait_messages(1));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(peer.wait_closed(3s));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 100ms);
  EXPECT_TRUE(eventually([&] { return w.worker.connection_count() == 0; }));
}

TEST(WorkerTcpLimits, WriteQueueLimitFailsTheSend) {
  Recorder rec;
  WorkerConfig c = loopback_config();
  c.max_queued_bytes = 64 * 1024;
  RunningWorker w(rec, c, false);
  ASSERT_FALSE(w.start_error);
  TcpPeer peer(w.local(TransportKind::kTcp, false));
  ASSERT_TRUE(peer.send(options_request("SIP/2.0/TCP client.example.com;branch=z9hG4bKq1")));
  ASSERT_TRUE(rec.wait_messages(1));
  const Source from = rec.take()[0].from;
  w.worker.send(std::string(100 * 1024, 'x'), Target{from.remote, from.connection});
  EXPECT_TRUE(rec.wait_errors(1));
  EXPECT_TRUE(peer.wait_closed());
}

TEST(WorkerTcpLimits, ConnectionsOverTheLimitAreRefused) {
  Recorder rec;
  WorkerConfig c = loopback_config();
  c.max_connections = 1;
  RunningWorker w(rec, c);
  ASSERT_FALSE(w.start_error);
  TcpPeer first(w.local(TransportKind::kTcp, false));
  ASSERT_TRUE(first.send("\r\n\r\n"));
  ASSERT_TRUE(first.read_until("\r\n"));  // accepted and served
  TcpPeer second(w.local(TransportKind::kTcp, false));
  EXPECT_TRUE(second.wait_closed());
  EXPECT_TRUE(rec.wait_log("connection limit reached"));
  EXPECT_TRUE(first.send(options_request("SIP/2.0/TCP client.example.com;branch=z9hG4bKl1")));
  EXPECT_TRUE(rec.wait_messages(1));
}

}  // namespace
}  // namespace trapezoid::transport
