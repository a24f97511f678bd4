// The Via header (RFC 3261 §20.42, §18.2.1; RFC 3581 rport).
//
//   Via v;
//   if (parse_via("SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds", v).empty())
//     v.branch;   // "z9hG4bK776asdhds"
#pragma once

#include <cstdint>
#include <string_view>

#include "sip/host.hpp"
#include "sip/params.hpp"

namespace trapezoid::sip {

// RFC 3261 §8.1.1.7: branches of RFC 3261 elements start with this magic cookie.
inline constexpr std::string_view kBranchMagicCookie = "z9hG4bK";

// scan_via resets the fields one by one rather than the whole struct: a new field needs its
// line there.
struct Via {
  std::string_view protocol_name;     // "SIP"
  std::string_view protocol_version;  // "2.0"
  std::string_view transport;         // "UDP", "TCP", "TLS", "SCTP", "WS", "WSS", or other token
  std::string_view host;              // sent-by host; IPv6 keeps its brackets
  HostKind host_kind = HostKind::kNone;
  std::uint16_t port = 0;             // 0 when absent
  bool has_port = false;
  Params params;

  // Frequently used parameters, read once during parsing.
  std::string_view branch;
  std::string_view received;
  std::string_view maddr;
  int ttl = -1;       // -1 when absent
  bool rport = false; // the rport parameter is present (RFC 3581)
  int rport_value = -1;

  [[nodiscard]] bool has_magic_cookie() const noexcept {
    return branch.starts_with(kBranchMagicCookie);
  }
};

// Parses one via-parm. Returns "" on success, else the reason ("Malformed Via").
[[nodiscard]] std::string_view parse_via(std::string_view text, Via& out) noexcept;

// Parses the via-parm at the cursor and the whitespace after it, leaving the cursor on the ','
// before the next element or at the end: for walking a list without splitting it first.
[[nodiscard]] std::string_view scan_via(Scanner& s, Via& out) noexcept;

}  // namespace trapezoid::sip
