#include "proxy/received_address.hpp"

#include "sip/host.hpp"

namespace trapezoid::proxy {

std::optional<transport::Target> parse_received(std::string_view text) noexcept {
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  const std::optional<transport::TransportKind> kind = transport::transport_from_token(text.substr(0, colon));
  if (!kind) return std::nullopt;
  const std::string_view hostport = text.substr(colon + 1);
  const std::size_t port_colon = hostport.rfind(':');
  if (port_colon == std::string_view::npos) return std::nullopt;
  const std::string_view host = hostport.substr(0, port_colon);
  // An IPv6 address must be bracketed, or its last group would read as the port.
  if (host.find(':') != std::string_view::npos && !host.starts_with('[')) return std::nullopt;
  const std::optional<transport::IpAddress> address = transport::IpAddress::parse(host);
  std::uint16_t port = 0;
  if (!address || !sip::parse_port(hostport.substr(port_colon + 1), port) || port == 0) return std::nullopt;
  transport::Target t;
  t.remote = transport::Endpoint{*kind, *address, port};
  return t;
}

}  // namespace trapezoid::proxy
