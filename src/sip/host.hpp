// Host names and addresses as RFC 3261 §25.1 writes them: hostname / IPv4address /
// IPv6reference ("[" IPv6address "]"), with RFC 5118 in mind.
//
//   classify_host("[2001:db8::10]")  // HostKind::kIPv6
//   classify_host("atlanta.com")     // HostKind::kHostname
//   classify_host("a..b")            // HostKind::kNone (invalid)
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace trapezoid::sip {

enum class HostKind : std::uint8_t { kNone, kHostname, kIPv4, kIPv6 };

// What `host` is, or kNone when it is none of the three forms.
[[nodiscard]] HostKind classify_host(std::string_view host) noexcept;

// Reads a host at the front of `s`, stopping at the first character that cannot be part of
// one; returns its length and sets `kind` (0 and kNone when no valid host starts there).
[[nodiscard]] std::size_t scan_host(std::string_view s, HostKind& kind) noexcept;

[[nodiscard]] bool is_ipv4_address(std::string_view s) noexcept;
// An IPv6address without brackets (RFC 3261 §25.1, RFC 4291 §2.2 text forms).
[[nodiscard]] bool is_ipv6_address(std::string_view s) noexcept;
[[nodiscard]] bool is_hostname(std::string_view s) noexcept;

// ---------------------------------------------------------------------------------------------
// IP addresses as values.
//
//   std::array<std::uint8_t, 16> bytes;
//   HostKind kind;
//   ip_address_bytes("[2001:DB8::1]", bytes, kind);  // true, kIPv6, 20 01 0d b8 00 .. 00 01
//   ip_address_bytes("192.0.2.1", bytes, kind);      // true, kIPv4, c0 00 02 01 00 .. 00
//   ip_address_bytes("atlanta.com", bytes, kind);    // false, kNone
//
// Turns an address into the bytes it names, so that two spellings of one address compare
// equal ("[2001:db8::1]" and "[2001:DB8:0:0:0:0:0:1]"). Accepts an IPv4address (its four bytes
// in out[0..3], the rest zero), an IPv6reference as classify_host does (RFC 5118 §4.10's
// ":::" read as "::") and a bare IPv6address as via-received writes it (§25.1). True exactly
// when classify_host(host) is kIPv4 or kIPv6 or is_ipv6_address(host); otherwise false, `kind`
// kNone and `out` untouched.
[[nodiscard]] bool ip_address_bytes(std::string_view host, std::array<std::uint8_t, 16>& out,
                                    HostKind& kind) noexcept;

// Parses a port number 0..65535: 1*DIGIT, leading zeros allowed.
[[nodiscard]] bool parse_port(std::string_view s, std::uint16_t& port) noexcept;

}  // namespace trapezoid::sip
