// Two workers of one server on real loopback sockets: a connection accepted by one is written
// by the other (RFC 3261 §18.1.1, §18.2.2: an existing connection is reused), and a send on a
// connection that closed meanwhile comes back to the sender as a transport error.
#include <gtest/gtest.h>

#include <thread>

#include "sip_samples.hpp"
#include "socket_peer.hpp"
#include "transport/stream_directory.hpp"

namespace trapezoid::transport {
namespace {

using namespace testing;

// Worker `index` of `directory`, on its own thread; passes nothing back (no answers).
class DirectoryWorker {
 public:
  DirectoryWorker(StreamDirectory& directory, unsigned index, WorkerConfig config = loopback_config())
      : worker(std::move(config), rec, rec) {
    worker.join(directory, index);
    start_error = worker.start();
    if (!start_error) thread_ = std::thread([this] { worker.run(); });
  }
  ~DirectoryWorker() {
    worker.stop();
    if (thread_.joinable()) thread_.join();
  }
  Endpoint tcp() const {
    for (const Endpoint& e : worker.local_endpoints())
      if (e.transport == TransportKind::kTcp && !e.address.is_v6()) return e;
    return {};
  }

  Recorder rec;
  TransportWorker worker;
  std::error_code start_error;

 private:
  std::thread thread_;
};

class WorkerCross : public ::testing::Test {
 protected:
  // The client connects to A and sends a request; the source A saw.
  Source connect_to_a(TcpPeer& client) {
    EXPECT_TRUE(client.connected);
    EXPECT_TRUE(client.send(options_request("SIP/2.0/TCP ua.example.com;branch=z9hG4bKreg", "", "reg")));
    EXPECT_TRUE(a.rec.wait_messages(1));
    std::vector<Received> got = a.rec.take();
    return got.empty() ? Source{} : got.front().from;
  }

  StreamDirectory directory{2};
  DirectoryWorker a{directory, 0};
  DirectoryWorker b{directory, 1};
};

TEST_F(WorkerCross, ConnectionAcceptedByOneWorkerIsWrittenByTheOther) {
  ASSERT_FALSE(a.start_error);
  ASSERT_FALSE(b.start_error);
  // The client listens on nothing: a new connection to its port would be refused.
  TcpPeer client(a.tcp());
  const Source from = connect_to_a(client);
  ASSERT_NE(from.connection, 0u);
  EXPECT_EQ(StreamDirectory::owner_of(from.connection), 0u);

  // By address (a request for a binding's source) and by the connection's id (a response).
  b.worker.send(options_request("SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKby-address", "", "by-address"),
                Target{from.remote, 0});
  ASSERT_TRUE(client.read_until("Call-ID: by-address"));
  b.worker.send(options_request("SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKby-id", "", "by-id"),
                Target{from.remote, from.connection});
  ASSERT_TRUE(client.read_until("Call-ID: by-id"));

  EXPECT_EQ(b.rec.error_count(), 0u);
  EXPECT_EQ(a.worker.connection_count(), 1u);
  EXPECT_EQ(b.worker.connection_count(), 0u);  // no second connection
}

TEST_F(WorkerCross, SendOnAConnectionClosedMeanwhileIsATransportError) {
  ASSERT_FALSE(a.start_error);
  ASSERT_FALSE(b.start_error);
  Source from;
  {
    TcpPeer client(a.tcp());
    from = connect_to_a(client);
  }  // the client closes
  ASSERT_TRUE(eventually([&] { return a.worker.connection_count() == 0; }));

  const Target on{from.remote, from.connection};
  b.worker.send(options_request("SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKgone", "", "gone"), on);
  ASSERT_TRUE(b.rec.wait_errors(1));
  const auto errors = b.rec.errors();
  EXPECT_EQ(errors.front().first.remote, on.remote);
  EXPECT_EQ(errors.front().first.connection, on.connection);
  EXPECT_EQ(errors.front().second, std::make_error_code(std::errc::not_connected));
  EXPECT_EQ(a.rec.error_count(), 0u);
  EXPECT_EQ(b.worker.connection_count(), 0u);
}

// A write that fails later on the owner's side (here the peer reads nothing, and the owner's
// queue for the connection overflows) is reported to the worker that sent the bytes, where
// the transaction waits (§8.1.3.1), not to the owner.
TEST(WorkerCrossFailure, LateWriteFailureGoesBackToTheSender) {
  StreamDirectory directory{2};
  WorkerConfig small_queue = loopback_config();
  small_queue.max_queued_bytes = 256 * 1024;
  DirectoryWorker a{directory, 0, small_queue};
  DirectoryWorker b{directory, 1};
  ASSERT_FALSE(a.start_error);
  ASSERT_FALSE(b.start_error);
  TcpPeer client(a.tcp());  // from here on it reads nothing
  ASSERT_TRUE(client.send(options_request("SIP/2.0/TCP ua.example.com;branch=z9hG4bKreg", "", "reg")));
  ASSERT_TRUE(a.rec.wait_messages(1));
  const Source from = a.rec.take().front().from;
  ASSERT_NE(from.connection, 0u);

  const std::string chunk =
      options_request("SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKfill", "X-Padding: " + std::string(32 * 1024, 'p') + "\r\n", "fill");
  // Bounded: the kernel's buffers take a few MiB before the queue grows past its limit.
  for (int round = 0; round < 64 && b.rec.error_count() == 0; ++round) {
    for (int i = 0; i < 16; ++i) b.worker.send(chunk, Target{from.remote, from.connection});
    std::this_thread::sleep_for(10ms);
  }
  ASSERT_TRUE(b.rec.wait_errors(1));
  bool overflow_seen = false;
  for (const auto& [target, ec] : b.rec.errors()) {
    EXPECT_EQ(target.connection, from.connection);
    overflow_seen = overflow_seen || ec == std::make_error_code(std::errc::no_buffer_space);
  }
  EXPECT_TRUE(overflow_seen);
  EXPECT_EQ(a.rec.error_count(), 0u);
}

// A connection the other worker opened is found too, and each worker's ids name it.
TEST_F(WorkerCross, ConnectionOpenedByOneWorkerIsReusedByTheOther) {
  ASSERT_FALSE(a.start_error);
  ASSERT_FALSE(b.start_error);
  Recorder far_rec;
  RunningWorker far_end(far_rec, loopback_config(), false);
  ASSERT_FALSE(far_end.start_error);
  const Endpoint far_tcp = far_end.local(TransportKind::kTcp, false);

  a.worker.send(options_request("SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKfrom-a", "", "from-a"), Target{far_tcp, 0});
  ASSERT_TRUE(far_rec.wait_messages(1));
  b.worker.send(options_request("SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKfrom-b", "", "from-b"), Target{far_tcp, 0});
  ASSERT_TRUE(far_rec.wait_messages(2));
  const std::vector<Received> got = far_rec.take();
  EXPECT_EQ(got[0].from.connection, got[1].from.connection);  // one connection carried both
  EXPECT_EQ(far_end.worker.connection_count(), 1u);
  EXPECT_EQ(b.worker.connection_count(), 0u);
}

// RFC 3261 §18.1.1 across workers: a request over 1300 bytes for a peer that another worker
// holds a TCP connection to goes over that connection, not over a new one (which this client,
// listening on nothing, would refuse) nor back to UDP.
TEST_F(WorkerCross, ARequestMovedOffUdpByItsSizeTakesTheOtherWorkersConnection) {
  ASSERT_FALSE(a.start_error);
  ASSERT_FALSE(b.start_error);
  TcpPeer client(a.tcp());
  const Source from = connect_to_a(client);
  ASSERT_NE(from.connection, 0u);

  const std::string padding = "X-Padding: " + std::string(1400, 'p') + "\r\n";
  std::string big = options_request("SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKbig", padding, "big-one");
  ASSERT_GT(big.size(), 1300u);
  const Endpoint udp_peer{TransportKind::kUdp, from.remote.address, from.remote.port};
  b.worker.send(std::move(big), Target{udp_peer, 0});
  ASSERT_TRUE(client.read_until("Call-ID: big-one"));
  EXPECT_EQ(b.rec.error_count(), 0u);
  EXPECT_EQ(b.worker.connection_count(), 0u);
}

}  // namespace
}  // namespace trapezoid::transport
