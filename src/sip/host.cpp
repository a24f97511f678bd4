#include "sip/host.hpp"

#include <array>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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
  const char* p = s.data();
  const char* const end = p + s.size();
  for (int part = 0; part < 4; ++part) {
    if (part != 0) {
      if (p == end || *p != '.') return false;
      ++p;
    }
    // 1*3DIGIT, unrolled: a fourth digit is an error, not the start of something else.
    if (p == end || !charset::is_digit(*p)) return false;
    unsigned value = static_cast<unsigned>(*p++ - '0');
    for (int more = 0; more < 2 && p != end && charset::is_digit(*p); ++more) value = value * 10 + static_cast<unsigned>(*p++ - '0');
    if (value > 255 || (p != end && charset::is_digit(*p))) return false;
    if constexpr (kStore) out[part] = static_cast<std::uint8_t>(value);
  }
  return p == end;
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

// What follows a hostname or IPv4address's characters once their extent is known: the
// toplabel decides. A toplabel starting with a digit makes no hostname, so the host is an
// IPv4address or nothing (all of an IPv4address's labels are digits, so this finds every one).
std::size_t finish_host(std::string_view host, std::size_t toplabel, bool labels_ok, HostKind& kind) noexcept {
  const char top = host[toplabel];
  if (charset::is_digit(top)) {
    if (!is_ipv4_address(host)) return 0;
    kind = HostKind::kIPv4;
    return host.size();
  }
  if (!labels_ok || top == '-') return 0;
  kind = HostKind::kHostname;
  return host.size();
}

#if defined(__SSE2__)
// The first min(n, 16) bytes at p, zeros after them; nothing past p + n is read (overlapping
// loads hold the same bytes where they overlap).
__m128i load_prefix(const char* p, std::size_t n) noexcept {
  if (n >= 16) return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  std::uint64_t lo = 0;
  std::uint64_t hi = 0;
  if (n >= 8) {
    std::memcpy(&lo, p, 8);
    std::memcpy(&hi, p + n - 8, 8);
    hi = n == 8 ? 0 : hi >> (8 * (16 - n));  // drop the bytes `lo` already holds
  } else if (n >= 4) {
    std::uint32_t a = 0;
    std::uint32_t b = 0;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    lo = a | std::uint64_t{b} << (8 * (n - 4));
  } else {
    for (std::size_t k = 0; k < n; ++k) lo |= std::uint64_t{static_cast<unsigned char>(p[k])} << (8 * k);
  }
  return _mm_set_epi64x(static_cast<long long>(hi), static_cast<long long>(lo));
}

// Bit k set when byte k of `v` is a letter or digit / '.' / '-'.
struct HostBits {
  unsigned alnum, dot, dash;
};

HostBits classify_host_bytes(__m128i v) noexcept {
  // Signed compares: bytes of 0x80 and above are negative and fall outside both ranges.
  const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)), _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
  const __m128i folded = _mm_or_si128(v, _mm_set1_epi8(0x20));
  const __m128i alpha = _mm_and_si128(_mm_cmpgt_epi8(folded, _mm_set1_epi8('a' - 1)), _mm_cmplt_epi8(folded, _mm_set1_epi8('z' + 1)));
  return {static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(digit, alpha))),
          static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('.')))),
          static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('-'))))};
}
#endif

// A walk over a host's letters, digits, '.' and '-', checking the hostname rules of §25.1 on
// the way: labels of 1..63 characters not starting or ending with '-'. It stands on the next
// byte, knows where the current label started and whether every label so far kept the rules.
struct HostWalk {
  const char* p;
  const char* label;
  bool labels_ok = true;
};

// Byte by byte until a byte that cannot be part of a host.
void walk_bytes(HostWalk& w, const char* end) noexcept {
  const char* p = w.p;
  while (true) {
    // Letters and digits, the bulk of any name, in a tight loop of their own; counting up to
    // zero from -(bytes left) folds the bound check into the increment.
    for (auto left = p - end; left != 0 && (kHostClass[static_cast<unsigned char>(end[left])] & (kDigit | kAlpha)) != 0; ++left) ++p;
    if (p == end) break;
    if (*p == '.') {
      const auto len = p - w.label;
      w.labels_ok = w.labels_ok && len != 0 && len <= 63 && p[-1] != '-';
      w.label = ++p;
    } else if (*p == '-') {
      w.labels_ok = w.labels_ok && p != w.label;
      ++p;
    } else {
      break;
    }
  }
  w.p = p;
}

#if defined(__SSE2__)
// The first 16 bytes of the host (all of nearly every host) at once: the rules become tests
// on bit masks. Returns false when all 16 belong to the host, which may then go on.
bool walk_first_block(HostWalk& w, std::string_view s) noexcept {
  const HostBits b = classify_host_bytes(load_prefix(s.data(), s.size()));
  const unsigned stop = ~(b.alnum | b.dot | b.dash) & 0xFFFF;  // the zeros past a short text stop too
  const unsigned n = stop == 0 ? 16 : static_cast<unsigned>(__builtin_ctz(stop));
  const unsigned dot = b.dot & ((1u << n) - 1);
  const unsigned dash = b.dash & ((1u << n) - 1);
  // No empty label (a leading '.' or two in a row), no label starting or ending with '-'
  // before a '.'; the last label's end is checked when the host's end is known.
  w.labels_ok = (dot & 1) == 0 && (dot & (dot >> 1)) == 0 && (dash & (dot << 1 | 1)) == 0 && (dash & (dot >> 1)) == 0;
  w.label = s.data() + (dot == 0 ? 0 : 32 - __builtin_clz(dot));  // after the last '.'
  w.p = s.data() + n;
  return n < 16;
}
#endif

// A hostname or IPv4address at the front of `s` (scan_host's second and third forms).
std::size_t scan_hostname_or_ipv4(std::string_view s, HostKind& kind) noexcept {
  const char* const begin = s.data();
  const char* const end = begin + s.size();
  HostWalk w{begin, begin};
#if defined(__SSE2__)
  if (!walk_first_block(w, s)) walk_bytes(w, end);
#else
  walk_bytes(w, end);
#endif
  const auto n = static_cast<std::size_t>(w.p - begin);
  if (n == 0) return 0;
  // The toplabel is the last label, or the one before a final '.'.
  const char* toplabel = w.label;
  if (w.label == w.p) {  // ends with '.'
    if (n < 2 || w.p[-2] == '.') return 0;
    const std::size_t dot = s.substr(0, n - 1).rfind('.');
    toplabel = dot == std::string_view::npos ? begin : begin + dot + 1;
  } else {
    w.labels_ok = w.labels_ok && w.p - w.label <= 63 && w.p[-1] != '-';
  }
  return finish_host(s.substr(0, n), static_cast<std::size_t>(toplabel - begin), w.labels_ok, kind);
}

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
  return scan_hostname_or_ipv4(s, kind);
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
