// Where the server transport sends a response (RFC 3261 §18.2.2, RFC 3581 §4), from the top
// Via of the response (the request's top Via as stamped on receipt).
//
//   ResponseRoute r;
//   if (route_response(response, request_source.connection, r)) {
//     if (auto t = r.target()) send(bytes, *t);   // an IP address: send now
//     else resolve(r.host, r.port);                // a domain name: RFC 3263 §5 first
//   }
#pragma once

#include <optional>
#include <string_view>

#include "sip/message.hpp"
#include "sip/via.hpp"
#include "transport/endpoint.hpp"

namespace trapezoid::transport {

struct ResponseRoute {
  TransportKind transport = TransportKind::kUdp;
  // Reliable transports: the connection the request came on, to use while it is open.
  ConnectionId connection = 0;
  // The address to send to (or connect to when the connection is gone), when it is an IP
  // address; otherwise `host` holds the domain name to resolve (a view into the Via).
  std::optional<IpAddress> address;
  std::string_view host;
  std::uint16_t port = 0;

  // The destination when it is an address (no resolution needed).
  [[nodiscard]] std::optional<Target> target() const;
};

// The route for a response whose top Via is `top`; `request_connection` is the connection the
// request arrived on (0 for UDP). False when the Via names a transport this layer lacks.
[[nodiscard]] bool route_response(const sip::Via& top, ConnectionId request_connection, ResponseRoute& out);

// The same, reading the top Via of `response`; false when it is missing or malformed.
[[nodiscard]] bool route_response(const sip::Message& response, ConnectionId request_connection,
                                  ResponseRoute& out);

}  // namespace trapezoid::transport
