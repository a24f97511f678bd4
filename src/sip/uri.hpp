// SIP, SIPS and tel URIs (RFC 3261 §19.1, §25.1; RFC 3966), parsed into views.
//
//   Uri u;
//   if (auto err = parse_uri("sip:alice@atlanta.com;transport=tcp", u); err.empty()) {
//     u.host;                 // "atlanta.com"
//     u.param("transport");   // "tcp"
//   }
//
// Every view points into the parsed text: keep it alive as long as the Uri. Escapes (%XX) are
// validated but kept as written; unescape() decodes a component when a caller needs its value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sip/host.hpp"  // HostKind, classify_host: use these for host validation

namespace trapezoid::sip {

enum class UriScheme : std::uint8_t { kSip, kSips, kTel, kOther };

struct Uri {
  UriScheme scheme = UriScheme::kOther;
  std::string_view scheme_name;  // as written ("sip", "SIP", "soap.beep")

  // sip/sips: userinfo and hostport. tel: `user` holds the telephone-subscriber number.
  std::string_view user;      // escaped form; empty when absent
  std::string_view password;  // escaped form; empty when absent
  bool has_user = false;
  bool has_password = false;
  std::string_view host;      // IPv6 references keep their brackets: "[2001:db8::1]"
  HostKind host_kind = HostKind::kNone;
  std::uint16_t port = 0;     // 0 when absent
  bool has_port = false;

  // Raw parameter and header sections without their leading ';' / '?': "transport=tcp;lr".
  std::string_view params;
  std::string_view headers;

  // Any other scheme (absoluteURI, §25.1): everything after "scheme:".
  std::string_view opaque;

  // The value of a URI parameter (case-insensitive name), "" for a flag parameter such as
  // "lr", std::nullopt when absent. Names match through escapes ("%6C%72" is "lr"); the value
  // is returned as written. A repeated name yields its first value.
  [[nodiscard]] std::optional<std::string_view> param(std::string_view name) const noexcept;
  [[nodiscard]] bool has_param(std::string_view name) const noexcept { return param(name).has_value(); }
  // The value of a URI header ("?subject=x&priority=urgent"), std::nullopt when absent.
  [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const noexcept;

  [[nodiscard]] bool is_sip_or_sips() const noexcept {
    return scheme == UriScheme::kSip || scheme == UriScheme::kSips;
  }
};

// Parses `text` as a URI. Returns "" on success, else a short reason ("Bad URI Host", ...).
// sip/sips follow §25.1 SIP-URI strictly (hosts per classify_host, which tolerates the extra
// colon of RFC 5118 §4.10, "[2001:db8:::192.0.2.1]"); tel follows RFC 3966; any other scheme
// is accepted when it matches absoluteURI. On failure `out` is reset, keeping only the scheme.
[[nodiscard]] std::string_view parse_uri(std::string_view text, Uri& out) noexcept;

// Decodes %XX escapes. Returns std::nullopt on a malformed escape.
[[nodiscard]] std::optional<std::string> unescape(std::string_view text);

// URI equality of §19.1.4 (sip/sips; tel per RFC 3966 §4): scheme, user and password
// case-sensitive after unescaping (an escaped reserved character such as "%3B" stays distinct
// from ";"), host case-insensitive (IP addresses by value), parameters per the section's
// rules, headers compared as a multiset.
[[nodiscard]] bool uri_equal(const Uri& a, const Uri& b);

// Serializes a parsed Uri back into canonical text (re-parses to an equal Uri).
[[nodiscard]] std::string to_string(const Uri& u);

}  // namespace trapezoid::sip
