// Where a message came from and where one goes: transport kind, IP address and port
// (RFC 3261 §18: connections are indexed by the far end's address, port and transport).
//
//   auto ip = IpAddress::parse("[2001:db8::1]");          // brackets optional
//   Endpoint e{TransportKind::kTcp, *ip, 5060};
//   to_string(e);                                          // "TCP [2001:db8::1]:5060"
//   Target t{e, source.connection};                        // reuse the request's connection
//
// Plain values: no sockets, no Asio. ConnectionId 0 means "no particular connection".
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace trapezoid::transport {

enum class TransportKind : std::uint8_t { kUdp, kTcp, kTls };

// "UDP", "TCP", "TLS": the Via transport token (§20.42).
[[nodiscard]] std::string_view to_string(TransportKind kind) noexcept;
// The kind a Via transport token names (case-insensitive), or nullopt for one this layer
// does not implement (SCTP, WS, ...).
[[nodiscard]] std::optional<TransportKind> transport_from_token(std::string_view token) noexcept;
// RFC 3261 §18.2.2: TCP, TLS (and SCTP) are reliable; UDP is not.
[[nodiscard]] constexpr bool is_reliable(TransportKind kind) noexcept { return kind != TransportKind::kUdp; }
// RFC 3261 §18.1.1: 5060 for UDP and TCP, 5061 for TLS.
[[nodiscard]] constexpr std::uint16_t default_port(TransportKind kind) noexcept {
  return kind == TransportKind::kTls ? 5061 : 5060;
}

// An IPv4 or IPv6 address as bytes, so that two spellings of one address compare equal.
class IpAddress {
 public:
  IpAddress() = default;  // 0.0.0.0
  static IpAddress v4(const std::array<std::uint8_t, 4>& bytes) noexcept;
  static IpAddress v6(const std::array<std::uint8_t, 16>& bytes) noexcept;
  // "192.0.2.1", "2001:db8::1" or "[2001:db8::1]"; nullopt for anything else (host names).
  [[nodiscard]] static std::optional<IpAddress> parse(std::string_view text) noexcept;

  [[nodiscard]] bool is_v6() const noexcept { return v6_; }
  // IPv4: the four bytes then zeros; IPv6: all sixteen.
  [[nodiscard]] const std::array<std::uint8_t, 16>& bytes() const noexcept { return bytes_; }
  // "192.0.2.1" or "2001:db8::1" (RFC 5952 form, no brackets: as via-received writes it).
  [[nodiscard]] std::string to_string() const;
  // The host as a URI or sent-by writes it: IPv6 in brackets.
  [[nodiscard]] std::string to_uri_host() const;

  friend auto operator<=>(const IpAddress&, const IpAddress&) = default;

 private:
  std::array<std::uint8_t, 16> bytes_{};
  bool v6_ = false;
};

struct Endpoint {
  TransportKind transport = TransportKind::kUdp;
  IpAddress address;
  std::uint16_t port = 0;
  friend auto operator<=>(const Endpoint&, const Endpoint&) = default;
};

// "UDP 192.0.2.4:5060", "TCP [::1]:5061".
[[nodiscard]] std::string to_string(const Endpoint& e);

// Identifies one stream connection; 0 is none. Among a server's workers the top bits name
// the worker that owns it (StreamDirectory::owner_of).
using ConnectionId = std::uint64_t;

// Where a received message came from: the far end, for a stream the connection it arrived
// on (responses go back on it, §18.2.2), and the local socket that received it (which
// interface and port: what a multi-homed element puts in its own Via or Record-Route).
struct Source {
  Endpoint remote;
  ConnectionId connection = 0;
  Endpoint local;
};

// Where to send: the far end, and optionally a connection to prefer while it is open.
struct Target {
  Endpoint remote;
  ConnectionId connection = 0;
};

// "TCP 192.0.2.4:5060 #7" (the connection when there is one).
[[nodiscard]] std::string to_string(const Source& s);
[[nodiscard]] std::string to_string(const Target& t);

}  // namespace trapezoid::transport
