// The client transport's check on a received response (RFC 3261 §18.1.2): the top Via's
// sent-by must be one this element inserts into its requests, else the response is discarded.
//
//   SentBy ours[] = {{"pc33.atlanta.com", 0}, {"192.0.2.1", 5070}};
//   is_our_sent_by(top_via, ours);   // "PC33.atlanta.com:5060" matches the first (UDP default)
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "sip/via.hpp"

namespace trapezoid::transport {

struct SentBy {
  std::string host;        // a host name (any case) or an IP address (any spelling, IPv6 in brackets or not)
  std::uint16_t port = 0;  // 0: the default port of the Via's transport (5060, 5061 for TLS)
};

// Whether the sent-by of `top` (host, and port or its transport's default) is one of `ours`.
[[nodiscard]] bool is_our_sent_by(const sip::Via& top, std::span<const SentBy> ours) noexcept;

}  // namespace trapezoid::transport
