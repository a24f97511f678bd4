// What RFC 3263 §4.1 and §4.2 read off a SIP or SIPS URI before any DNS: the host to resolve
// (maddr or host, §19.1.1), whether it is numeric, the transport when the URI decides it, and
// the port when it has one.
//
//   UriTarget t;
//   if (read_uri_target(uri, sips, t)) ...   // false: not a SIP URI, or a transport we lack
//   numeric_target(uri, sips);                 // the one Target of a numeric host, no DNS
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "sip/uri.hpp"
#include "transport/endpoint.hpp"

namespace trapezoid::dns {

struct UriTarget {
  std::string_view host;                           // maddr or host (views into the URI)
  std::optional<transport::IpAddress> address;     // set when the host is numeric
  bool secure = false;                             // SIPS: TLS only (§26.2.2)
  std::optional<transport::TransportKind> transport;  // from the transport parameter
  std::optional<std::uint16_t> port;
};

// `sips` is set when the request being sent has a SIPS Request-URI, which makes TLS the only
// choice whatever the next hop is (RFC 3261 §16.6 item 7, §26.2.2). false for a URI that is
// not sip/sips, or whose transport parameter names a transport this server does not have or
// that cannot carry a SIPS request (UDP).
[[nodiscard]] bool read_uri_target(const sip::Uri& uri, bool sips, UriTarget& out);

// RFC 3263 §4 for numeric hosts: the transport parameter, else TLS for SIPS and UDP for SIP;
// the URI's port, else the transport's default. nullopt for a host name or a URI as above.
[[nodiscard]] std::optional<transport::Target> numeric_target(const sip::Uri& uri, bool sips);

}  // namespace trapezoid::dns
