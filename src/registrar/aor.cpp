#include "registrar/aor.hpp"

#include <array>
#include <cstddef>
#include <cstdint>

#include "sip/charset.hpp"
#include "sip/host.hpp"

namespace trapezoid::registrar {
namespace {

constexpr char kHexDigits[] = "0123456789ABCDEF";
constexpr char kLowerHexDigits[] = "0123456789abcdef";

// Appends the unescaped user in its one canonical escaping (see aor.hpp).
void append_user(std::string& out, std::string_view unescaped) {
  for (char c : unescaped) {
    if (sip::charset::is_user_char(c)) {
      out.push_back(c);
      continue;
    }
    const auto octet = static_cast<unsigned char>(c);
    out.push_back('%');
    out.push_back(kHexDigits[octet >> 4]);
    out.push_back(kHexDigits[octet & 0xF]);
  }
}

void append_decimal(std::string& out, unsigned value) { out.append(std::to_string(value)); }

void append_hex16(std::string& out, unsigned value) {
  // Leading zeros dropped (RFC 5952 §4.1), lower case (§4.3).
  bool started = false;
  for (int shift = 12; shift >= 0; shift -= 4) {
    const unsigned digit = (value >> shift) & 0xF;
    if (digit == 0 && !started && shift != 0) continue;
    started = true;
    out.push_back(kLowerHexDigits[digit]);
  }
}

void append_ipv4(std::string& out, const std::uint8_t* b) {
  for (int i = 0; i < 4; ++i) {
    if (i != 0) out.push_back('.');
    append_decimal(out, b[i]);
  }
}

// RFC 5952 §4: the longest run of two or more zero groups (the first of equal runs) becomes
// "::"; an IPv4-mapped address keeps its dotted tail (§5).
void append_ipv6(std::string& out, const std::array<std::uint8_t, 16>& b) {
  std::array<unsigned, 8> groups{};
  for (std::size_t i = 0; i < 8; ++i) groups[i] = (unsigned{b[2 * i]} << 8) | b[2 * i + 1];
  out.push_back('[');
  const bool mapped = groups[0] == 0 && groups[1] == 0 && groups[2] == 0 && groups[3] == 0 &&
                      groups[4] == 0 && groups[5] == 0xFFFF;
  if (mapped) {
    out.append("::ffff:");
    append_ipv4(out, b.data() + 12);
    out.push_back(']');
    return;
  }
  std::size_t best_start = 8;
  std::size_t best_len = 1;  // a run must be longer than one group (§4.2.2)
  for (std::size_t i = 0; i < 8;) {
    if (groups[i] != 0) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i > best_len) {
      best_start = i;
      best_len = j - i;
    }
    i = j;
  }
  for (std::size_t i = 0; i < 8; ++i) {
    if (i == best_start) {
      out.append("::");
      i += best_len - 1;
      continue;
    }
    if (i != 0 && i != best_start + best_len) out.push_back(':');
    append_hex16(out, groups[i]);
  }
  out.push_back(']');
}

void append_host(std::string& out, const sip::Uri& uri) {
  std::array<std::uint8_t, 16> bytes{};
  sip::HostKind kind = sip::HostKind::kNone;
  if (sip::ip_address_bytes(uri.host, bytes, kind)) {
    if (kind == sip::HostKind::kIPv4) append_ipv4(out, bytes.data());
    else append_ipv6(out, bytes);
    return;
  }
  for (char c : uri.host) out.push_back(sip::charset::lower(c));
}

AorResult failure(int status, std::string_view reason) { return {{}, status, reason}; }

}  // namespace

AorResult canonical_aor(const sip::Uri& uri) {
  if (!uri.is_sip_or_sips()) return failure(400, "Invalid Address-of-Record");
  if (uri.host.empty()) return failure(400, "Invalid Address-of-Record");
  AorResult r;
  r.aor.reserve(4 + uri.user.size() + 1 + uri.host.size());
  r.aor.append("sip:");  // RFC 5630 §5.2: sips and sip AoRs are one
  if (!uri.user.empty()) {
    // Most users have no escapes: then the text is its own unescaped form, with no copy.
    std::string_view user = uri.user;
    std::optional<std::string> unescaped;
    if (user.find('%') != std::string_view::npos) {
      unescaped = sip::unescape(uri.user);
      if (!unescaped) return failure(400, "Invalid Address-of-Record");
      user = *unescaped;
    }
    if (user.empty()) return failure(400, "Invalid Address-of-Record");
    append_user(r.aor, user);
    r.aor.push_back('@');
  }
  append_host(r.aor, uri);
  return r;
}

AorResult canonical_aor(std::string_view uri_text) {
  sip::Uri uri;
  if (!sip::parse_uri(uri_text, uri).empty()) {
    // A URI of another scheme that does not parse is still not an AoR; say the more useful thing.
    if (uri.scheme != sip::UriScheme::kSip && uri.scheme != sip::UriScheme::kSips)
      return failure(400, "Invalid Address-of-Record");
    return failure(400, "Malformed URI");
  }
  return canonical_aor(uri);
}

AorResult request_uri_aor(std::string_view request_uri) { return canonical_aor(request_uri); }

std::string_view aor_host(std::string_view canonical) noexcept {
  if (const std::size_t at = canonical.rfind('@'); at != std::string_view::npos) return canonical.substr(at + 1);
  if (const std::size_t colon = canonical.find(':'); colon != std::string_view::npos)
    return canonical.substr(colon + 1);
  return canonical;
}

}  // namespace trapezoid::registrar
