// Peers remembered as UDP-only after refusing TCP for a large request (RFC 3261 §18.1.1).
#include "transport/udp_only_peers.hpp"

#include <gtest/gtest.h>

namespace trapezoid::transport {
namespace {

using namespace std::chrono_literals;
using Clock = UdpOnlyPeers::Clock;

Endpoint peer(std::uint16_t port, const char* address = "192.0.2.1") {
  return Endpoint{TransportKind::kUdp, *IpAddress::parse(address), port};
}

TEST(UdpOnlyPeers, RememberedUntilTheMemoryRunsOut) {
  UdpOnlyPeers peers(10s);
  const Clock::time_point t0{};
  EXPECT_FALSE(peers.contains(peer(5060), t0));
  peers.remember(peer(5060), t0);
  EXPECT_TRUE(peers.contains(peer(5060), t0));
  EXPECT_TRUE(peers.contains(peer(5060), t0 + 10s - 1ms));
  EXPECT_FALSE(peers.contains(peer(5060), t0 + 10s));
  EXPECT_EQ(peers.size(), 0u);  // forgotten once found expired
}

TEST(UdpOnlyPeers, AddressPortAndFamilyAreThePeer) {
  UdpOnlyPeers peers;
  const Clock::time_point t0{};
  peers.remember(peer(5060), t0);
  EXPECT_FALSE(peers.contains(peer(5061), t0));
  EXPECT_FALSE(peers.contains(peer(5060, "192.0.2.2"), t0));
  EXPECT_FALSE(peers.contains(peer(5060, "::ffff:192.0.2.1"), t0));
}

TEST(UdpOnlyPeers, RememberingAgainExtends) {
  UdpOnlyPeers peers(10s);
  const Clock::time_point t0{};
  peers.remember(peer(5060), t0);
  peers.remember(peer(5060), t0 + 8s);
  EXPECT_TRUE(peers.contains(peer(5060), t0 + 17s));
  EXPECT_EQ(peers.size(), 1u);
}

TEST(UdpOnlyPeers, FullMemoryForgetsExpiredThenTheOldest) {
  UdpOnlyPeers peers(10s, 3);
  const Clock::time_point t0{};
  peers.remember(peer(1), t0);
  peers.remember(peer(2), t0 + 1s);
  peers.remember(peer(3), t0 + 2s);
  peers.remember(peer(4), t0 + 3s);  // full, none expired: peer 1 goes
  EXPECT_EQ(peers.size(), 3u);
  EXPECT_FALSE(peers.contains(peer(1), t0 + 3s));
  EXPECT_TRUE(peers.contains(peer(2), t0 + 3s));
  peers.remember(peer(5), t0 + 12s);  // full: peers 2 (until 11 s) and 3 (until 12 s) have expired
  EXPECT_TRUE(peers.contains(peer(4), t0 + 12s));
  EXPECT_TRUE(peers.contains(peer(5), t0 + 12s));
  EXPECT_FALSE(peers.contains(peer(2), t0 + 12s));
  EXPECT_FALSE(peers.contains(peer(3), t0 + 12s));
  EXPECT_EQ(peers.size(), 2u);
}

}  // namespace
}  // namespace trapezoid::transport
