#include "transport/response_route.hpp"

#include "sip/scanner.hpp"

namespace trapezoid::transport {
namespace {

void set_host(ResponseRoute& r, std::string_view host) {
  r.address = IpAddress::parse(host);
  r.host = host;
}

}  // namespace

std::optional<Target> ResponseRoute::target() const {
  if (!address) return std::nullopt;
  return Target{Endpoint{transport, *address, port}, connection};
}

bool route_response(const sip::Via& top, ConnectionId request_connection, ResponseRoute& out) {
  std::optional<TransportKind> kind = transport_from_token(top.transport);
  if (!kind) return false;
  out = ResponseRoute{};
  out.transport = *kind;
  // The sent-by port, or the transport's default (5060; 5061 for TLS).
  const std::uint16_t sent_by_port = top.has_port ? top.port : default_port(*kind);
  out.port = sent_by_port;

  // RFC 3261 §18.2.2: reliable -> the request's connection while open; else a new connection
  // to `received` (or the sent-by host) at the sent-by port.
  if (is_reliable(*kind)) {
    out.connection = request_connection;
    set_host(out, top.received.empty() ? top.host : top.received);
    return true;
  }
  // RFC 3261 §18.2.2: maddr -> that address, the sent-by port or 5060.
  if (!top.maddr.empty()) {
    set_host(out, top.maddr);
    return true;
  }
  // RFC 3581 §4: rport filled in -> the source address and port of the request.
  if (top.rport_value >= 0) {
    set_host(out, top.received.empty() ? top.host : top.received);
    out.port = static_cast<std::uint16_t>(top.rport_value);
    return true;
  }
  // RFC 3261 §18.2.2: received -> that address at the sent-by port; else the sent-by itself.
  set_host(out, top.received.empty() ? top.host : top.received);
  return true;
}

bool route_response(const sip::Message& response, ConnectionId request_connection, ResponseRoute& out) {
  const sip::Via* top = response.top_via();
  return top != nullptr && route_response(*top, request_connection, out);
}

}  // namespace trapezoid::transport
