// Rewriting the transport of a request's top Via (RFC 3261 §18.1.1: a request the size rule
// moves from UDP to TCP "MUST" say so in its top Via). Only the transport token changes: the
// branch, sent-by and every other byte stay, so the request is still the same transaction's.
//
//   std::string tcp_bytes;
//   if (set_top_via_transport(udp_bytes, TransportKind::kTcp, tcp_bytes))
//     // tcp_bytes: "Via: SIP/2.0/TCP host:5060;branch=..." where it said SIP/2.0/UDP
#pragma once

#include <string>
#include <string_view>

#include "transport/endpoint.hpp"

namespace trapezoid::transport {

// Writes into `out` the request `bytes` with the transport token of its top Via set to
// `kind`'s ("UDP", "TCP", "TLS"). false (and `out` unspecified) when `bytes` is not a request
// that parses as one datagram or its top Via does not parse.
[[nodiscard]] bool set_top_via_transport(std::string_view bytes, TransportKind kind, std::string& out);

}  // namespace trapezoid::transport
