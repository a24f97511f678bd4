// Starting workers: configuration errors and SO_REUSEPORT sharing.
#include <gtest/gtest.h>

#include <memory>

#include "sip_samples.hpp"
#include "socket_peer.hpp"

namespace trapezoid::transport {
namespace {

using namespace testing;

TEST(WorkerConfig, BadAddressStopsTheStart) {
  Recorder rec;
  WorkerConfig c = loopback_config();
  c.addresses = {"not-an-address"};
  TransportWorker w(c, rec, rec);
  EXPECT_TRUE(w.start());
}

TEST(WorkerConfig, UdpAndTcpShareThePort) {
  Recorder rec;
  RunningWorker w(rec);
  ASSERT_FALSE(w.start_error);
  for (bool v6 : {false, true}) {
    EXPECT_NE(w.local(TransportKind::kUdp, v6).port, 0);
    EXPECT_EQ(w.local(TransportKind::kUdp, v6).port, w.local(TransportKind::kTcp, v6).port);
  }
}

// A worker on a fixed port for the sharing tests: one that was free a moment ago, for UDP and
// TCP both (others may take it meanwhile: a few tries).
std::unique_ptr<RunningWorker> fixed_port_worker(Recorder& rec, WorkerConfig& c, bool reuse_port) {
  std::unique_ptr<RunningWorker> w;
  for (int attempt = 0; attempt < 10 && (!w || w->start_error); ++attempt) {
    c = loopback_config();
    c.addresses = {"127.0.0.1"};
    c.reuse_port = reuse_port;
    c.port = free_port(Endpoint{TransportKind::kUdp, *IpAddress::parse("127.0.0.1"), 0}, SOCK_DGRAM);
    w.reset();
    w = std::make_unique<RunningWorker>(rec, c);
  }
  return w;
}

TEST(WorkerConfig, EphemeralPortsAreNotShared) {
  Recorder rec_a, rec_b;
  RunningWorker a(rec_a);
  ASSERT_FALSE(a.start_error);
  WorkerConfig c = loopback_config();
  c.addresses = {"127.0.0.1"};
  c.port = a.local(TransportKind::kUdp, false).port;
  RunningWorker b(rec_b, c);
  EXPECT_TRUE(b.start_error);
}

TEST(WorkerConfig, TwoWorkersShareOnePortWithReusePort) {
  Recorder rec_a, rec_b;
  WorkerConfig c;
  std::unique_ptr<RunningWorker> a = fixed_port_worker(rec_a, c, true);
  ASSERT_FALSE(a->start_error) << a->start_error.message();
  RunningWorker b(rec_b, c);
  ASSERT_FALSE(b.start_error) << b.start_error.message();
  EXPECT_EQ(b.local(TransportKind::kTcp, false).port, c.port);

  // Every datagram reaches one of the two (the kernel picks by the sender's address and port).
  UdpPeer peer(false);
  ASSERT_EQ(peer.send(a->local(TransportKind::kUdp, false),
                      options_request("SIP/2.0/UDP 127.0.0.1:" + std::to_string(peer.port()) + ";branch=z9hG4bKw1")),
            0);
  ASSERT_TRUE(peer.receive());  // the 200 from whichever worker got it
}

TEST(WorkerConfig, WithoutReusePortTheSecondBindFails) {
  Recorder rec_a, rec_b;
  WorkerConfig c;
  std::unique_ptr<RunningWorker> a = fixed_port_worker(rec_a, c, false);
  ASSERT_FALSE(a->start_error) << a->start_error.message();
  RunningWorker b(rec_b, c);
  EXPECT_TRUE(b.start_error);
}

}  // namespace
}  // namespace trapezoid::transport
