// Peers that recently refused TCP for a request the size rule moved off UDP (RFC 3261
// §18.1.1). Their next large requests go straight over UDP, so that each retransmission of a
// transaction does not wait for another connection attempt to fail. Plain values: time is
// passed in.
//
//   UdpOnlyPeers peers;                       // remembered for 32 s, 1024 peers at most
//   peers.remember(udp_endpoint, now);        // after the UDP retry
//   if (peers.contains(udp_endpoint, now)) send over UDP without trying TCP;
#pragma once

#include <chrono>
#include <cstddef>
#include <map>

#include "transport/endpoint.hpp"

namespace trapezoid::transport {

class UdpOnlyPeers {
 public:
  using Clock = std::chrono::steady_clock;
  // 64*T1 with the default T1: a transaction's whole life (RFC 3261 §17.1.1.2 Timer B).
  static constexpr Clock::duration kDefaultMemory = std::chrono::seconds(32);
  static constexpr std::size_t kDefaultCapacity = 1024;

  explicit UdpOnlyPeers(Clock::duration memory = kDefaultMemory, std::size_t capacity = kDefaultCapacity)
      : memory_(memory), capacity_(capacity == 0 ? 1 : capacity) {}

  // Remembers `peer` until now + memory. When full, forgets the peer remembered longest ago.
  void remember(const Endpoint& peer, Clock::time_point now);
  // Whether `peer` is remembered at `now` (an expired entry is forgotten).
  [[nodiscard]] bool contains(const Endpoint& peer, Clock::time_point now);
  [[nodiscard]] std::size_t size() const noexcept { return until_.size(); }

 private:
  void forget_expired(Clock::time_point now);

  Clock::duration memory_;
  std::size_t capacity_;
  std::map<Endpoint, Clock::time_point> until_;
};

}  // namespace trapezoid::transport
