#include "transport/udp_only_peers.hpp"

#include <algorithm>

namespace trapezoid::transport {

void UdpOnlyPeers::remember(const Endpoint& peer, Clock::time_point now) {
  auto it = until_.find(peer);
  if (it != until_.end()) {
    it->second = now + memory_;
    return;
  }
  if (until_.size() >= capacity_) forget_expired(now);
  if (until_.size() >= capacity_) {
    // Every entry lives as long: the one that expires first was remembered longest ago.
    auto oldest = std::min_element(until_.begin(), until_.end(),
                                   [](const auto& a, const auto& b) { return a.second < b.second; });
    until_.erase(oldest);
  }
  until_.emplace(peer, now + memory_);
}

bool UdpOnlyPeers::contains(const Endpoint& peer, Clock::time_point now) {
  auto it = until_.find(peer);
  if (it == until_.end()) return false;
  if (now < it->second) return true;
  until_.erase(it);
  return false;
}

void UdpOnlyPeers::forget_expired(Clock::time_point now) {
  std::erase_if(until_, [now](const auto& e) { return e.second <= now; });
}

}  // namespace trapezoid::transport
