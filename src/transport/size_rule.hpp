// The message-size rule for sending requests (RFC 3261 §18.1.1): a request within 200 bytes of
// the path MTU, or larger than 1300 bytes when the MTU is unknown, goes over a congestion
// controlled transport (TCP) instead of UDP, with the top Via's transport rewritten
// (via_transport.hpp); if the TCP connection cannot be established the request is retried
// over UDP (udp_retry_allowed).
//
//   TransportKind t = request_transport(TransportKind::kUdp, bytes.size());   // kTcp if > 1300
//   if (connect failed && udp_retry_allowed(ec)) send the original bytes over UDP;
#pragma once

#include <cstddef>
#include <system_error>

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

// Whether a request moved from UDP to TCP by the size rule goes over UDP after all, given the
// error of the TCP connection attempt. RFC 3261 §18.1.1: "if the attempt to establish the
// connection generates either an ICMP Protocol Not Supported, or results in a TCP reset, the
// element SHOULD retry the request, using UDP" (for RFC 2543 peers without TCP). A connect that
// times out is a peer that does not answer on TCP at all, and is retried the same way. Other
// errors (no route, no buffers) would fail over UDP too: they are reported instead.
[[nodiscard]] bool udp_retry_allowed(std::error_code connect_error) noexcept;

}  // namespace trapezoid::transport
