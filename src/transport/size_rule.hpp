// The message-size rule for sending requests (RFC 3261 §18.1.1): a request within 200 bytes of
// the path MTU, or larger than 1300 bytes when the MTU is unknown, goes over a congestion
// controlled transport (TCP) instead of UDP; the caller then rewrites the top Via's transport.
//
//   TransportKind t = request_transport(TransportKind::kUdp, bytes.size());   // kTcp if > 1300
#pragma once

#include <cstddef>

#include "transport/endpoint.hpp"

namespace trapezoid::transport {

inline constexpr std::size_t kUnknownMtuLimit = 1300;  // RFC 3261 §18.1.1 (1500-byte Ethernet)
inline constexpr std::size_t kMtuMargin = 200;         // room for a larger response

// Whether a request of `size` bytes must avoid UDP. `path_mtu` 0 means unknown.
[[nodiscard]] constexpr bool needs_congestion_control(std::size_t size, std::size_t path_mtu = 0) noexcept {
  if (path_mtu == 0) return size > kUnknownMtuLimit;
  return size + kMtuMargin > path_mtu;
}

// The transport to send a request on: `wanted`, or TCP when the size rule forbids UDP.
[[nodiscard]] constexpr TransportKind request_transport(TransportKind wanted, std::size_t size,
                                                       std::size_t path_mtu = 0) noexcept {
  if (wanted == TransportKind::kUdp && needs_congestion_control(size, path_mtu)) return TransportKind::kTcp;
  return wanted;
}

}  // namespace trapezoid::transport
