// Stamping the top Via of a received request (RFC 3261 §18.2.1, RFC 3581 §4).
//
//   std::string stamped;
//   if (stamp_top_via(request, source.remote, stamped) == StampOutcome::kStamped)
//     // `stamped` is the whole request with ";received=192.0.2.4" (and "rport=5070") set
//
// §18.2.1: `received` is added when the sent-by host is a domain name or an address other
// than the packet source. RFC 3581 §4: when the top Via has `rport`, its value becomes the
// source port and `received` is added even when the sent-by address equals the source.
// Only the parameters of the top via-parm change; every other byte is kept.
#pragma once

#include <cstddef>
#include <string>

#include "sip/message.hpp"
#include "sip/via.hpp"
#include "transport/endpoint.hpp"

namespace trapezoid::transport {

enum class StampOutcome : unsigned char {
  kUnchanged,    // nothing to add: the message bytes may be passed up as they are
  kStamped,      // `out` holds the edited message
  kMalformedVia  // no Via, or the top via-parm does not parse (the request deserves a 400)
};

// Whether the top Via needs `received` / `rport` values for a packet from `source`.
struct ViaStamp {
  bool add_received = false;
  bool fill_rport = false;
};
[[nodiscard]] ViaStamp needed_stamp(const sip::Via& top, const Endpoint& source) noexcept;

// The top via-parm's parameters rewritten for `stamp`: existing received and rport values are
// replaced, `received` goes before `rport` (as in RFC 3581's example) or last.
[[nodiscard]] std::string stamped_params(const sip::Via& top, const Endpoint& source, ViaStamp stamp);

// The edit that stamps the top Via: `erase` bytes at offset `at` of msg.raw() (the top
// via-parm's parameters) become `insert`. For sip::Message::own_with_edit.
struct ViaEdit {
  std::size_t at = 0;
  std::size_t erase = 0;
  std::string insert;
};
[[nodiscard]] StampOutcome plan_top_via_stamp(const sip::Message& msg, const Endpoint& source, ViaEdit& edit);

// Writes into `out` the request's bytes (msg.raw()) with the top Via stamped. `msg` must be a
// parsed request whose views point into its raw bytes.
[[nodiscard]] StampOutcome stamp_top_via(const sip::Message& msg, const Endpoint& source, std::string& out);

}  // namespace trapezoid::transport
