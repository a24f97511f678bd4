#include "proxy/proxy_identity.hpp"

#include <utility>

#include "sip/charset.hpp"

namespace trapezoid::proxy {
namespace {

using transport::Endpoint;
using transport::IpAddress;
using transport::TransportKind;

bool same_host(std::string_view a, std::string_view b) {
  const std::optional<IpAddress> ia = IpAddress::parse(a);
  const std::optional<IpAddress> ib = IpAddress::parse(b);
  if (ia || ib) return ia && ib && *ia == *ib;  // addresses by value: "[::1]" is "::1"
  return sip::charset::iequals(a, b);           // names are case-insensitive (§19.1.4)
}

}  // namespace

ProxyIdentity::ProxyIdentity(const ProxyConfig& config) : config_(config) {}

void ProxyIdentity::set_endpoints(std::vector<Endpoint> endpoints) {
  endpoints_ = std::move(endpoints);
  host_ports_.clear();
}

std::string_view ProxyIdentity::host_port(const Endpoint& ep) const {
  // The advertised host can change with a reload of the configuration.
  if (host_ports_.size() != endpoints_.size() || host_ports_for_ != config_.advertised_host) {
    host_ports_.assign(endpoints_.size(), std::string());
    host_ports_for_ = config_.advertised_host;
  }
  for (std::size_t i = 0; i < endpoints_.size(); ++i) {
    if (endpoints_[i] != ep) continue;
    if (host_ports_[i].empty()) host_ports_[i] = host_of(ep) + ':' + std::to_string(ep.port);
    return host_ports_[i];
  }
  scratch_ = host_of(ep) + ':' + std::to_string(ep.port);
  return scratch_;
}

bool ProxyIdentity::is_our_host(std::string_view host) const {
  if (const std::optional<IpAddress> ip = IpAddress::parse(host)) {
    for (const Endpoint& e : endpoints_)
      if (e.address == *ip) return true;
  }
  for (const std::string& h : config_.hosts)
    if (same_host(h, host)) return true;
  return !config_.advertised_host.empty() && same_host(config_.advertised_host, host);
}

bool ProxyIdentity::is_our_port(std::uint16_t port) const {
  for (const Endpoint& e : endpoints_)
    if (e.port == port) return true;
  return false;
}

bool ProxyIdentity::names_us(const sip::Uri& uri) const {
  if (!uri.is_sip_or_sips()) return false;
  std::uint16_t port = uri.port;
  if (!uri.has_port) {
    // §19.1.2: the default port follows the transport, 5061 for SIPS and TLS (§26.2.2).
    const std::optional<std::string_view> t = uri.param("transport");
    const bool tls = uri.scheme == sip::UriScheme::kSips || (t && sip::charset::iequals(*t, "tls"));
    port = tls ? 5061 : 5060;
  }
  return is_our_port(port) && is_our_host(uri.host);
}

bool ProxyIdentity::is_our_sent_by(const sip::Via& via) const {
  const std::optional<TransportKind> kind = transport::transport_from_token(via.transport);
  const std::uint16_t port = via.has_port ? via.port : (kind ? transport::default_port(*kind) : 5060);
  return is_our_port(port) && is_our_host(via.host);
}

std::optional<Endpoint> ProxyIdentity::endpoint_for(TransportKind kind, bool ipv6) const {
  for (const Endpoint& e : endpoints_)
    if (e.transport == kind && e.address.is_v6() == ipv6) return e;
  return std::nullopt;
}

std::string ProxyIdentity::host_of(const Endpoint& ep) const {
  return config_.advertised_host.empty() ? ep.address.to_uri_host() : config_.advertised_host;
}

std::string ProxyIdentity::record_route(const Endpoint& ep, bool sips) const {
  // §16.6 item 4: a SIP or SIPS URI with lr. The transport parameter is written for TCP so
  // that the dialog's later requests come back on the transport this side used (RFC 5658
  // double Record-Route across transports); UDP is the default and needs none.
  std::string out = sips ? "<sips:" : "<sip:";
  out += host_port(ep);
  if (ep.transport == TransportKind::kTcp) out += ";transport=tcp";
  out += ";lr>";
  return out;
}

std::string ProxyIdentity::via(const Endpoint& ep, std::string_view branch) const {
  std::string out = "SIP/2.0/";
  out += transport::to_string(ep.transport);
  out += ' ';
  out += host_port(ep);
  out += ";branch=";
  out += branch;
  return out;
}

}  // namespace trapezoid::proxy
