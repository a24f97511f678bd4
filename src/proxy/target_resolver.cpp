#include "proxy/target_resolver.hpp"

#include "sip/charset.hpp"

namespace trapezoid::proxy {

std::optional<transport::Target> NumericResolver::resolve(const sip::Uri& uri, bool sips) const {
  if (!uri.is_sip_or_sips()) return std::nullopt;
  const bool secure = sips || uri.scheme == sip::UriScheme::kSips;
  // RFC 3263 §4.2 (after §4.1): the transport parameter decides when present.
  transport::TransportKind kind = secure ? transport::TransportKind::kTls : transport::TransportKind::kUdp;
  if (const std::optional<std::string_view> t = uri.param("transport")) {
    const std::optional<transport::TransportKind> named = transport::transport_from_token(*t);
    if (!named) return std::nullopt;  // SCTP, WS, ...: not a transport of this server
    kind = *named;
    // §26.2.2: a SIPS URI over "tcp" means TLS over TCP; over UDP it cannot be secured.
    if (secure && kind == transport::TransportKind::kTcp) kind = transport::TransportKind::kTls;
    if (secure && kind != transport::TransportKind::kTls) return std::nullopt;
  }
  // §19.1.1: maddr overrides the host as the address to contact.
  const std::string_view host = uri.param("maddr").value_or(uri.host);
  const std::optional<transport::IpAddress> address = transport::IpAddress::parse(host);
  if (!address) return std::nullopt;  // a host name: RFC 3263 resolution is not here yet
  transport::Target t;
  t.remote.transport = kind;
  t.remote.address = *address;
  t.remote.port = uri.has_port ? uri.port : transport::default_port(kind);
  return t;
}

}  // namespace trapezoid::proxy
