#include "dns/uri_target.hpp"

namespace trapezoid::dns {

bool read_uri_target(const sip::Uri& uri, bool sips, UriTarget& out) {
  out = UriTarget{};
  if (!uri.is_sip_or_sips()) return false;
  out.secure = sips || uri.scheme == sip::UriScheme::kSips;
  // RFC 3263 §4.1: the transport parameter decides when present.
  if (const std::optional<std::string_view> t = uri.param("transport")) {
    std::optional<transport::TransportKind> named = transport::transport_from_token(*t);
    if (!named) return false;  // SCTP, WS, ...: not a transport of this server
    // RFC 3261 §26.2.2: a SIPS URI over "tcp" means TLS over TCP; over UDP it cannot be secured.
    if (out.secure && *named == transport::TransportKind::kTcp) named = transport::TransportKind::kTls;
    if (out.secure && *named != transport::TransportKind::kTls) return false;
    out.transport = named;
  }
  // RFC 3261 §19.1.1: maddr overrides the host as the address to contact.
  out.host = uri.param("maddr").value_or(uri.host);
  out.address = transport::IpAddress::parse(out.host);
  if (uri.has_port) out.port = uri.port;
  return true;
}

std::optional<transport::Target> numeric_target(const sip::Uri& uri, bool sips) {
  UriTarget u;
  if (!read_uri_target(uri, sips, u) || !u.address) return std::nullopt;
  // RFC 3263 §4.1: a numeric host without a transport parameter: UDP for SIP, TLS for SIPS.
  const transport::TransportKind kind =
      u.transport.value_or(u.secure ? transport::TransportKind::kTls : transport::TransportKind::kUdp);
  transport::Target t;
  t.remote.transport = kind;
  t.remote.address = *u.address;
  t.remote.port = u.port.value_or(transport::default_port(kind));
  return t;
}

}  // namespace trapezoid::dns
