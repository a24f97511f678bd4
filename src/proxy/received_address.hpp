// The `received` value of a binding (registrar/binding.hpp): where a REGISTER came from, for
// reaching a UA behind NAT. "udp:192.0.2.4:5060", "tcp:[2001:db8::1]:5061".
//
//   std::optional<transport::Target> t = parse_received("udp:192.0.2.4:5060");
//   t->remote;   // UDP 192.0.2.4:5060
#pragma once

#include <optional>
#include <string_view>

#include "transport/endpoint.hpp"

namespace trapezoid::proxy {

// nullopt when empty or malformed: a transport token, ':', an IP address (IPv6 in brackets),
// ':', a port.
[[nodiscard]] std::optional<transport::Target> parse_received(std::string_view text) noexcept;

}  // namespace trapezoid::proxy
