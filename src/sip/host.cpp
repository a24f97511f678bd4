#include "sip/host.hpp"

#include <array>

#include "sip/charset.hpp"

namespace trapezoid::sip {

bool is_ipv4_address(std::string_view s) noexcept {
  // IPv4address = 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT, each at most 255.
  int parts = 0;
  std::size_t i = 0;
  while (true) {
    std::size_t start = i;
    int value = 0;
    while (i < s.size() && charset::is_digit(s[i]) && i - start < 3) value = value * 10 + (s[i++] - '0');
    if (i == start || value > 255 || (i < s.size() && charset::is_digit(s[i]))) return false;
    ++parts;
    if (i == s.size()) return parts == 4;
    if (s[i] != '.' || parts == 4) return false;
    ++i;
  }
}

bool is_ipv6_address(std::string_view s) noexcept {
  // hex4 groups separated by ':', at most one "::", optionally ending in an IPv4 address that
  // counts as two groups.
  if (s.size() < 2) return false;
  int groups = 0;
  bool compressed = false;
  std::size_t i = 0;
  if (s[0] == ':') {
    if (s[1] != ':') return false;
    compressed = true;
    i = 2;
    if (i == s.size()) return true;  // "::"
  }
  while (i < s.size()) {
    std::size_t start = i;
    while (i < s.size() && charset::is_hex(s[i]) && i - start < 5) ++i;
    std::size_t len = i - start;
    if (i < s.size() && s[i] == '.') {
      // The trailing IPv4 part (ls32).
      if (!is_ipv4_address(s.substr(start))) return false;
      groups += 2;
      i = s.size();
      break;
    }
    if (len == 0 || len > 4) return false;
    ++groups;
    if (i == s.size()) break;
    if (s[i] != ':') return false;
    ++i;
    if (i < s.size() && s[i] == ':') {
      if (compressed) return false;
      compressed = true;
      ++i;
      if (i == s.size()) break;
    } else if (i == s.size()) {
      return false;  // a single trailing ':'
    }
  }
  return compressed ? groups <= 7 : groups == 8;
}

bool is_hostname(std::string_view s) noexcept {
  // hostname = *( domainlabel "." ) toplabel [ "." ]; labels of alphanum and '-', not starting
  // or ending with '-'; the toplabel starts with a letter (§25.1). A name whose last label starts
  // with a digit would be an IPv4 address, so the rule keeps "1.2.3.999" out of hostnames.
  if (s.empty()) return false;
  if (s.back() == '.') s.remove_suffix(1);
  if (s.empty()) return false;
  std::size_t label_start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == '.') {
      std::size_t len = i - label_start;
      if (len == 0 || len > 63) return false;
      if (s[label_start] == '-' || s[i - 1] == '-') return false;
      if (i == s.size() && !(charset::is_alnum(s[label_start]) && !charset::is_digit(s[label_start])))
        return false;
      label_start = i + 1;
      continue;
    }
    if (!charset::is_alnum(s[i]) && s[i] != '-') return false;
  }
  return true;
}

namespace {

// RFC 5118 §4.10: RFC 3261's IPv6reference ABNF wrongly admits ":::" before an embedded IPv4
// address ("[2001:db8:::192.0.2.1]"); receivers should tolerate it. Read it as "::".
bool tolerated_three_colons(std::string_view addr) noexcept {
  std::size_t at = addr.find(":::");
  if (at == std::string_view::npos || addr.size() > 64) return false;
  if (addr.find(":::", at + 1) != std::string_view::npos) return false;
  char buf[64];
  std::size_t n = 0;
  for (std::size_t i = 0; i < addr.size(); ++i)
    if (i != at) buf[n++] = addr[i];
  std::string_view fixed(buf, n);
  return fixed.find('.') != std::string_view::npos && is_ipv6_address(fixed);
}

}  // namespace

namespace {

enum : std::uint8_t { kDigit = 1, kAlpha = 2, kDash = 4, kDot = 8 };

constexpr std::array<std::uint8_t, 256> make_host_classes() {
  std::array<std::uint8_t, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = kDigit;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = kAlpha;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = kAlpha;
  t['-'] = kDash;
  t['.'] = kDot;
  return t;
}
constexpr std::array<std::uint8_t, 256> kHostClass = make_host_classes();

}  // namespace

std::size_t scan_host(std::string_view s, HostKind& kind) noexcept {
  kind = HostKind::kNone;
  if (s.empty()) return 0;
  if (s[0] == '[') {
    std::size_t close = s.find(']');
    if (close == std::string_view::npos) return 0;
    kind = classify_host(s.substr(0, close + 1));
    return kind == HostKind::kNone ? 0 : close + 1;
  }
  // One pass over alphanum / '-' / '.', checking the hostname rules of §25.1 on the way:
  // labels of 1..63 characters not starting or ending with '-', a toplabel starting with a
  // letter, an optional final '.'. Digits and dots only: an IPv4address candidate.
  std::size_t i = 0;
  std::size_t label_start = 0;
  bool labels_ok = true;
  unsigned seen = 0;  // classes of the characters outside dots
  for (; i < s.size(); ++i) {
    const unsigned cls = kHostClass[static_cast<unsigned char>(s[i])];
    if (cls == 0) break;
    if (cls == kDot) {
      const std::size_t len = i - label_start;
      labels_ok = labels_ok && len != 0 && len <= 63 && s[i - 1] != '-';
      label_start = i + 1;
      continue;
    }
    seen |= cls;
    if (cls == kDash) labels_ok = labels_ok && i != label_start;
  }
  const bool numeric = (seen & ~kDigit) == 0;
  if (i == 0) return 0;
  if (numeric) {
    kind = is_ipv4_address(s.substr(0, i)) ? HostKind::kIPv4 : HostKind::kNone;
    return kind == HostKind::kNone ? 0 : i;
  }
  // The toplabel is the last label, or the one before a final '.'.
  std::size_t end = i;
  if (label_start == end) {  // ends with '.'
    if (end < 2 || s[end - 2] == '.') return 0;
    --end;
    label_start = s.substr(0, end).rfind('.');
    label_start = label_start == std::string_view::npos ? 0 : label_start + 1;
  } else {
    const std::size_t len = end - label_start;
    labels_ok = labels_ok && len <= 63 && s[end - 1] != '-';
  }
  const char top = s[label_start];
  if (!labels_ok || charset::is_digit(top) || top == '-') return 0;
  kind = HostKind::kHostname;
  return i;
}

HostKind classify_host(std::string_view host) noexcept {
  if (host.empty()) return HostKind::kNone;
  if (host.front() == '[') {
    if (host.size() < 4 || host.back() != ']') return HostKind::kNone;
    std::string_view addr = host.substr(1, host.size() - 2);
    if (is_ipv6_address(addr)) return HostKind::kIPv6;
    return tolerated_three_colons(addr) ? HostKind::kIPv6 : HostKind::kNone;
  }
  if (charset::is_digit(host.front()) && is_ipv4_address(host)) return HostKind::kIPv4;
  return is_hostname(host) ? HostKind::kHostname : HostKind::kNone;
}

bool parse_port(std::string_view s, std::uint16_t& port) noexcept {
  // port = 1*DIGIT (RFC 3261 §25.1): leading zeros may make it longer than five digits, so the
  // value is bounded as it is read rather than the length.
  if (s.empty()) return false;
  unsigned value = 0;
  for (char c : s) {
    if (!charset::is_digit(c)) return false;
    value = value * 10 + static_cast<unsigned>(c - '0');
    if (value > 65535) return false;
  }
  port = static_cast<std::uint16_t>(value);
  return true;
}

}  // namespace trapezoid::sip
