#include "transport/endpoint.hpp"

#include <arpa/inet.h>

#include <algorithm>

#include "sip/charset.hpp"
#include "sip/host.hpp"

namespace trapezoid::transport {

std::string_view to_string(TransportKind kind) noexcept {
  switch (kind) {
    case TransportKind::kUdp: return "UDP";
    case TransportKind::kTcp: return "TCP";
    case TransportKind::kTls: return "TLS";
  }
  return "UDP";
}

std::optional<TransportKind> transport_from_token(std::string_view token) noexcept {
  if (sip::charset::iequals(token, "UDP")) return TransportKind::kUdp;
  if (sip::charset::iequals(token, "TCP")) return TransportKind::kTcp;
  if (sip::charset::iequals(token, "TLS")) return TransportKind::kTls;
  return std::nullopt;
}

IpAddress IpAddress::v4(const std::array<std::uint8_t, 4>& bytes) noexcept {
  IpAddress a;
  std::copy(bytes.begin(), bytes.end(), a.bytes_.begin());
  return a;
}

IpAddress IpAddress::v6(const std::array<std::uint8_t, 16>& bytes) noexcept {
  IpAddress a;
  a.bytes_ = bytes;
  a.v6_ = true;
  return a;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) noexcept {
  std::array<std::uint8_t, 16> bytes{};
  sip::HostKind kind = sip::HostKind::kNone;
  if (!sip::ip_address_bytes(text, bytes, kind)) return std::nullopt;
  IpAddress a;
  a.bytes_ = bytes;
  a.v6_ = kind == sip::HostKind::kIPv6;
  return a;
}

std::string IpAddress::to_string() const {
  char text[INET6_ADDRSTRLEN] = {};
  if (inet_ntop(v6_ ? AF_INET6 : AF_INET, bytes_.data(), text, sizeof text) == nullptr) return {};
  return text;
}

std::string IpAddress::to_uri_host() const {
  if (!v6_) return to_string();
  std::string out = "[";  // appended step by step: gcc 12 -O3 warns (-Wrestrict) on "[" + s + "]"
  out += to_string();
  out += ']';
  return out;
}

std::string to_string(const Endpoint& e) {
  std::string out(to_string(e.transport));
  out += ' ';
  out += e.address.to_uri_host();
  out += ':';
  out += std::to_string(e.port);
  return out;
}

namespace {
std::string with_connection(const Endpoint& e, ConnectionId c) {
  std::string out = to_string(e);
  if (c != 0) out += " #" + std::to_string(c);
  return out;
}
}  // namespace

std::string to_string(const Source& s) { return with_connection(s.remote, s.connection); }
std::string to_string(const Target& t) { return with_connection(t.remote, t.connection); }

}  // namespace trapezoid::transport
