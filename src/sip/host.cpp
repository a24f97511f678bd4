#include "sip/host.hpp"

#include <array>

#include "sip/charset.hpp"

namespace trapezoid::sip {

namespace {

constexpr auto npos = std::string_view::npos;

// The address grammars live here once. is_ipv4_address / is_ipv6_address are the readers'
// kStore = false instances, which store nothing and so cost no more than a bare check (the
// parser runs them on every host); ip_address_bytes uses kStore = true.

// IPv4address = 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT (RFC 3261 §25.1), each part at
// most 255. With kStore, part k is stored in out[k] as it is read (so even on failure).
template <bool kStore>
bool read_ipv4(std::string_view s, [[maybe_unused]] std::uint8_t* out) noexcept {
  int parts = 0;
  std::size_t i = 0;
  while (true) {
    std::size_t start = i;
    int value = 0;
    while (i < s.size() && charset::is_digit(s[i]) && i - start < 3) value = value * 10 + (s[i++] - '0');
    if (i == start || value > 255 || (i < s.size() && charset::is_digit(s[i]))) return false;
    if constexpr (kStore) out[parts] = static_cast<std::uint8_t>(value);  // parts < 4: see below
    ++parts;
    if (i == s.size()) return parts == 4;
    if (s[i] != '.' || parts == 4) return false;
    ++i;
  }
}

// IPv6address (RFC 3261 §25.1, the text forms of RFC 4291 §2.2): hex4 groups separated by ':',
// at most one "::", optionally ending in an IPv4 address that counts as two groups. With
// kStore, a valid address is also stored in out[0..15] (nothing is stored on failure).
template <bool kStore>
bool read_ipv6(std::string_view s, [[maybe_unused]] std::uint8_t* out) noexcept {
  if (s.size() < 2) return false;
  constexpr std::size_t kGroups = 8;
  [[maybe_unused]] std::array<std::uint16_t, kGroups> groups{};
  std::size_t n = 0;       // groups read
  std::size_t gap = npos;  // how many groups stood before the "::"
  std::size_t i = 0;
  if (s[0] == ':') {
    if (s[1] != ':') return false;
    gap = 0;
    i = 2;
  }
  while (i < s.size()) {
    const std::size_t start = i;
    while (i < s.size() && charset::is_hex(s[i]) && i - start < 5) ++i;
    if (i < s.size() && s[i] == '.') {
      // The trailing IPv4 part (ls32), two groups' worth.
      std::array<std::uint8_t, 4> v4{};
      if (n + 2 > kGroups || !read_ipv4<kStore>(s.substr(start), v4.data())) return false;
      if constexpr (kStore) {
        groups[n] = static_cast<std::uint16_t>(v4[0] << 8 | v4[1]);
        groups[n + 1] = static_cast<std::uint16_t>(v4[2] << 8 | v4[3]);
      }
      n += 2;
      break;
    }
    if (i == start || i - start > 4 || n == kGroups) return false;
    if constexpr (kStore) {
      unsigned value = 0;
      for (std::size_t k = start; k < i; ++k)
        value = value * 16 + static_cast<unsigned>(charset::hex_value(s[k]));
      groups[n] = static_cast<std::uint16_t>(value);
    }
    ++n;
    if (i == s.size()) break;
    if (s[i] != ':') return false;
    ++i;
    if (i < s.size() && s[i] == ':') {
      if (gap != npos) return false;  // a second "::"
      gap = n;
      ++i;
    } else if (i == s.size()) {
      return false;  // a single trailing ':'
    }
  }
  // "::" stands for at least one group of zeros; without it all eight must be written.
  if (gap == npos ? n != kGroups : n >= kGroups) return false;
  if constexpr (kStore) {
    const std::size_t head = gap == npos ? n : gap;
    std::array<std::uint16_t, kGroups> full{};
    for (std::size_t k = 0; k < head; ++k) full[k] = groups[k];
    for (std::size_t k = head; k < n; ++k) full[kGroups - (n - k)] = groups[k];
    for (std::size_t k = 0; k < kGroups; ++k) {
      out[2 * k] = static_cast<std::uint8_t>(full[k] >> 8);
      out[2 * k + 1] = static_cast<std::uint8_t>(full[k] & 0xff);
    }
  }
  return true;
}

// RFC 5118 §4.10: RFC 3261's IPv6reference ABNF wrongly admits ":::" before an embedded IPv4
// address ("[2001:db8:::192.0.2.1]"); receivers should tolerate it. Returns `addr` with that
// extra colon removed, written into `buf`, or "" when `addr` is not of this form.
std::string_view drop_extra_colon(std::string_view addr, char (&buf)[64]) noexcept {
  const std::size_t at = addr.find(":::");
  if (at == npos || addr.size() > sizeof buf) return {};
  if (addr.find(":::", at + 1) != npos || addr.find('.') == npos) return {};
  std::size_t n = 0;
  for (std::size_t i = 0; i < addr.size(); ++i)
    if (i != at) buf[n++] = addr[i];
  return {buf, n};
}

// The address inside an IPv6reference's brackets, tolerating the extra colon above.
template <bool kStore>
bool read_ipv6_reference(std::string_view addr, std::uint8_t* out) noexcept {
  if (read_ipv6<kStore>(addr, out)) return true;
  char buf[64];
  const std::string_view fixed = drop_extra_colon(addr, buf);
  return !fixed.empty() && read_ipv6<kStore>(fixed, out);
}

}  // namespace

bool is_ipv4_address(std::string_view s) noexcept { return read_ipv4<false>(s, nullptr); }

bool is_ipv6_address(std::string_view s) noexcept { return read_ipv6<false>(s, nullptr); }

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
  const std::size_t n = s.size();
  while (i < n) {
    // Letters and digits, the bulk of any name, in a tight loop of their own.
    unsigned cls = kHostClass[static_cast<unsigned char>(s[i])];
    while (cls == kDigit || cls == kAlpha) {
      seen |= cls;
      if (++i == n) break;
      cls = kHostClass[static_cast<unsigned char>(s[i])];
    }
    if (i == n || cls == 0) break;
    if (cls == kDot) {
      const std::size_t len = i - label_start;
      labels_ok = labels_ok && len != 0 && len <= 63 && s[i - 1] != '-';
      label_start = i + 1;
    } else {  // kDash
      seen |= cls;
      labels_ok = labels_ok && i != label_start;
    }
    ++i;
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
    const std::string_view addr = host.substr(1, host.size() - 2);
    return read_ipv6_reference<false>(addr, nullptr) ? HostKind::kIPv6 : HostKind::kNone;
  }
  if (charset::is_digit(host.front()) && is_ipv4_address(host)) return HostKind::kIPv4;
  return is_hostname(host) ? HostKind::kHostname : HostKind::kNone;
}

bool ip_address_bytes(std::string_view host, std::array<std::uint8_t, 16>& out,
                      HostKind& kind) noexcept {
  std::array<std::uint8_t, 16> bytes{};  // an IPv4 address fills bytes 0..3 only
  kind = HostKind::kNone;
  if (!host.empty() && host.front() == '[') {
    // The bracket checks are classify_host's.
    if (host.size() >= 4 && host.back() == ']' &&
        read_ipv6_reference<true>(host.substr(1, host.size() - 2), bytes.data()))
      kind = HostKind::kIPv6;
  } else if (read_ipv4<true>(host, bytes.data())) {
    kind = HostKind::kIPv4;
  } else if (read_ipv6<true>(host, bytes.data())) {  // stores all 16 bytes, or none
    kind = HostKind::kIPv6;
  }
  if (kind == HostKind::kNone) return false;
  out = bytes;
  return true;
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
