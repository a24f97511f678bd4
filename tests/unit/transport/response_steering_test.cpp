// Two workers sharing a UDP port (SO_REUSEPORT): with response steering, the kernel hands each
// response to the worker named in its top Via branch, whatever the sender's address hashes to;
// requests, and branches that name no worker of the group, are spread by the hash as before.
#include "transport/response_steering.hpp"

#include <gtest/gtest.h>

#include <memory>

#include "sip_samples.hpp"
#include "socket_peer.hpp"

namespace trapezoid::transport {
namespace {

using namespace testing;

constexpr int kSenders = 24;  // distinct source ports: the hash alone would split them

WorkerConfig shared_port_config(std::uint16_t port, char letter) {
  WorkerConfig c = loopback_config();
  c.addresses = {"127.0.0.1"};
  c.tcp = false;
  c.port = port;
  c.reuse_port = true;
  c.steer_branch_letter = letter;
  return c;
}

class ResponseSteering : public ::testing::TestWithParam<char> {
 protected:
  void SetUp() override {
    port = free_port(Endpoint{TransportKind::kUdp, *IpAddress::parse("127.0.0.1"), 0}, SOCK_DGRAM);
    ASSERT_NE(port, 0);
    // Bound in index order: worker i is the i-th socket of the group.
    w0 = std::make_unique<RunningWorker>(rec0, shared_port_config(port, GetParam()), false);
    ASSERT_FALSE(w0->start_error);
    w1 = std::make_unique<RunningWorker>(rec1, shared_port_config(port, GetParam()), false);
    ASSERT_FALSE(w1->start_error);
    to = Endpoint{TransportKind::kUdp, *IpAddress::parse("127.0.0.1"), port};
  }

  // Sends `bytes` once from each of kSenders fresh sockets; waits until all arrived somewhere.
  void send_from_many(const std::string& bytes) {
    const std::size_t before = rec0_count + rec1_count;
    for (int i = 0; i < kSenders; ++i) {
      UdpPeer peer(false);
      ASSERT_TRUE(peer.bound);
      ASSERT_EQ(peer.send(to, bytes), 0);
    }
    const auto deadline = std::chrono::steady_clock::now() + 3s;
    while (std::chrono::steady_clock::now() < deadline) {
      rec0_count += rec0.take().size();
      rec1_count += rec1.take().size();
      if (rec0_count + rec1_count >= before + kSenders) return;
      std::this_thread::sleep_for(5ms);
    }
    FAIL() << "only " << rec0_count + rec1_count - before << " of " << kSenders << " arrived";
  }

  Recorder rec0, rec1;
  std::unique_ptr<RunningWorker> w0, w1;
  std::uint16_t port = 0;
  Endpoint to;
  std::size_t rec0_count = 0, rec1_count = 0;
};

TEST_P(ResponseSteering, ResponsesReachTheWorkerTheirBranchNames) {
  const char letter = GetParam();
  send_from_many(ok_response(std::string("SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK") + letter + "1.4f2a"));
  EXPECT_EQ(rec0_count, 0u);
  EXPECT_EQ(rec1_count, std::size_t(kSenders));
  rec0_count = rec1_count = 0;
  send_from_many(ok_response(std::string("SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK") + letter + "0.77"));
  EXPECT_EQ(rec0_count, std::size_t(kSenders));
  EXPECT_EQ(rec1_count, 0u);
}

TEST_P(ResponseSteering, WhatNamesNoWorkerIsSpreadByTheHash) {
  const char letter = GetParam();
  // A worker index past the group, one too long to read, a foreign branch, and a request.
  for (const std::string& via : {std::string("z9hG4bK") + letter + "7.1", std::string("z9hG4bK") + letter + "123.1",
                                std::string("z9hG4bKx1.1"), std::string("z9hG4bK") + letter + "1"}) {
    rec0_count = rec1_count = 0;
    send_from_many(ok_response("SIP/2.0/UDP 127.0.0.1;branch=" + via));
    EXPECT_GT(rec0_count, 0u) << via;
    EXPECT_GT(rec1_count, 0u) << via;
  }
  rec0_count = rec1_count = 0;
  send_from_many(options_request(std::string("SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK") + letter + "1.5"));
  EXPECT_GT(rec0_count, 0u);
  EXPECT_GT(rec1_count, 0u);
}

INSTANTIATE_TEST_SUITE_P(Letters, ResponseSteering, ::testing::Values('w', 'q'));

TEST(ResponseSteeringProgram, FitsTheKernelsLimit) {
  // BPF_MAXINSNS: a longer classic program is refused by setsockopt.
  EXPECT_LE(detail::branch_steering_program('w').size(), std::size_t(BPF_MAXINSNS));
}

}  // namespace
}  // namespace trapezoid::transport
