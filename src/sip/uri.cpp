#include "sip/uri.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sip/charset.hpp"
#include "sip/host.hpp"

namespace trapezoid::sip {
namespace {

using charset::iequals;
using charset::is_digit;
using charset::is_hex;
using charset::lower;

constexpr std::string_view kEmpty = "Empty URI";
constexpr std::string_view kBadScheme = "Bad URI Scheme";
constexpr std::string_view kBadUser = "Bad URI User";
constexpr std::string_view kBadPassword = "Bad URI Password";
constexpr std::string_view kBadHost = "Bad URI Host";
constexpr std::string_view kBadPort = "Bad URI Port";
constexpr std::string_view kBadParam = "Bad URI Parameter";
constexpr std::string_view kBadHeader = "Bad URI Header";
constexpr std::string_view kBadOpaque = "Bad URI";
constexpr std::string_view kBadTelNumber = "Bad tel Number";
constexpr std::string_view kBadTelParam = "Bad tel Parameter";
constexpr std::string_view kNoPhoneContext = "tel Local Number Without phone-context";

constexpr auto npos = std::string_view::npos;

constexpr bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// ---------------------------------------------------------------------------------------------
// Lists: "a=1;b;c=2" and friends.

struct NameValue {
  std::string_view name;
  std::string_view value;  // "" when there is no '='
  bool has_value = false;
};

NameValue split_name_value(std::string_view item) noexcept {
  const std::size_t eq = item.find('=');
  if (eq == npos) return {item, {}, false};
  return {item.substr(0, eq), item.substr(eq + 1), true};
}

// Calls f(item) for each `sep`-separated item of `list` (an empty list is one empty item);
// stops early and returns false as soon as f does.
template <class F>
bool for_each_item(std::string_view list, char sep, F&& f) {
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = list.find(sep, start);
    if (!f(list.substr(start, end == npos ? npos : end - start))) return false;
    if (end == npos) return true;
    start = end + 1;
  }
}

// The octet a valid "%" HEX HEX escape stands for.
char decode_escape(char hi, char lo) noexcept {
  return static_cast<char>(charset::hex_value(hi) * 16 + charset::hex_value(lo));
}

// True when every character of `s` satisfies `allowed` or starts a "%" HEX HEX escape.
// RFC 3261 §25.1 "escaped": a '%' not followed by two hex digits is malformed.
template <class Pred>
bool all_escaped(std::string_view s, Pred allowed) noexcept {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 >= s.size() || !is_hex(s[i + 1]) || !is_hex(s[i + 2])) return false;
      i += 2;
    } else if (!allowed(s[i])) {
      return false;
    }
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Equivalence of escaped text.

// One character of an escaped component: its decoded value, and whether it was an escaped
// reserved character. RFC 3261 §19.1.4 (after RFC 2396): only characters outside the
// "reserved" set are equivalent to their %XX form, so "%3B" and ";" stay different.
struct Unit {
  char c;
  bool escaped_reserved;
};

Unit read_unit(std::string_view s, std::size_t& i) noexcept {
  if (s[i] == '%' && i + 2 < s.size() && is_hex(s[i + 1]) && is_hex(s[i + 2])) {
    const char c = decode_escape(s[i + 1], s[i + 2]);
    i += 3;
    return {c, charset::has(c, charset::kReserved)};
  }
  return {s[i++], false};
}

// Compares two escaped strings character by character after decoding; `fold` makes the
// comparison case-insensitive.
bool equivalent(std::string_view a, std::string_view b, bool fold) noexcept {
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() && j < b.size()) {
    const Unit x = read_unit(a, i);
    const Unit y = read_unit(b, j);
    if (x.escaped_reserved != y.escaped_reserved) return false;
    if ((fold ? lower(x.c) : x.c) != (fold ? lower(y.c) : y.c)) return false;
  }
  return i == a.size() && j == b.size();
}

// The first item of `list` whose (escaped) name matches `name`.
std::optional<std::string_view> find_item(std::string_view list, char sep,
                                          std::string_view name) noexcept {
  if (list.empty()) return std::nullopt;
  std::optional<std::string_view> found;
  for_each_item(list, sep, [&](std::string_view item) {
    if (!equivalent(split_name_value(item).name, name, true)) return true;
    found = item;
    return false;
  });
  return found;
}

std::optional<std::string_view> lookup(std::string_view list, char sep,
                                       std::string_view name) noexcept {
  const auto item = find_item(list, sep, name);
  if (!item) return std::nullopt;
  return split_name_value(*item).value;
}

// Calls f(name, value) for each parameter of `list` but a repeated one: as with param(), the
// first occurrence of a name is the one that counts (a repeat is already a §19.1.1 violation).
template <class F>
bool for_each_first_param(std::string_view list, F&& f) {
  if (list.empty()) return true;
  return for_each_item(list, ';', [&](std::string_view item) {
    const NameValue nv = split_name_value(item);
    if (find_item(list, ';', nv.name)->data() != item.data()) return true;
    return f(nv.name, nv.value);
  });
}

// ---------------------------------------------------------------------------------------------
// sip / sips (RFC 3261 §25.1 SIP-URI).

// userinfo = user [ ":" password ] "@", without the '@'.
std::string_view parse_userinfo(std::string_view info, Uri& out) noexcept {
  const std::size_t colon = info.find(':');
  const std::string_view user = info.substr(0, colon);
  // §19.1.1: "If the @ sign is present ... the user field MUST NOT be empty."
  if (user.empty() || !all_escaped(user, charset::is_user_char)) return kBadUser;
  out.user = user;
  out.has_user = true;
  if (colon == npos) return {};
  const std::string_view password = info.substr(colon + 1);
  if (!all_escaped(password, charset::is_password_char)) return kBadPassword;
  out.password = password;
  out.has_password = true;
  return {};
}

// port = 1*DIGIT, held to 16 bits. `rest` starts after the ':'.
std::string_view take_port(std::string_view& rest, Uri& out) noexcept {
  std::size_t digits = 0;
  while (digits < rest.size() && is_digit(rest[digits])) ++digits;
  if (!sip::parse_port(rest.substr(0, digits), out.port)) return kBadPort;
  if (digits < rest.size() && rest[digits] != ';' && rest[digits] != '?') return kBadPort;
  out.has_port = true;
  rest.remove_prefix(digits);
  return {};
}

// Advances `i` over characters satisfying `allowed` and valid "%" HEX HEX escapes; false on a
// malformed escape (RFC 3261 §25.1 "escaped").
template <class Pred>
bool skip_escaped(std::string_view s, std::size_t& i, Pred allowed) noexcept {
  while (i < s.size()) {
    const char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size() || !is_hex(s[i + 1]) || !is_hex(s[i + 2])) return false;
      i += 3;
    } else if (allowed(c)) {
      ++i;
    } else {
      break;
    }
  }
  return true;
}

// Consumes host [ ":" port ] from the front of `rest`. The host rules are scan_host's:
// hostname labels of alphanum and '-' (no '_', §25.1), a toplabel starting with a letter, so
// an all-numeric "1.2.3.4.5" is rejected rather than looked up in DNS; IPv4 parts at most 255;
// IPv6 only in brackets, with RFC 5118 §4.10's extra colon tolerated.
std::string_view parse_hostport(std::string_view& rest, Uri& out) noexcept {
  const std::size_t end = scan_host(rest, out.host_kind);
  if (end == 0) return kBadHost;
  out.host = rest.substr(0, end);
  rest.remove_prefix(end);
  if (rest.empty() || rest[0] == ';' || rest[0] == '?') return {};
  if (rest[0] != ':') return kBadHost;  // e.g. "[::1]x" or "host_name"
  rest.remove_prefix(1);
  return take_port(rest, out);
}

// uri-parameters = *( ";" pname [ "=" pvalue ] ) and headers = "?" hname "=" hvalue
// *( "&" hname "=" hvalue ), read in one pass. `rest` is what follows hostport: empty, or
// starting with ';' or '?'. The named parameters of §25.1 (transport, user, ttl, ...) are all
// also other-params, so the general form is the whole check.
std::string_view parse_params_and_headers(std::string_view rest, Uri& out) noexcept {
  std::size_t i = 0;
  if (!rest.empty() && rest[0] == ';') {
    i = 1;
    while (true) {
      const std::size_t name_start = i;
      if (!skip_escaped(rest, i, charset::is_param_char) || i == name_start) return kBadParam;
      if (i < rest.size() && rest[i] == '=') {
        const std::size_t value_start = ++i;
        if (!skip_escaped(rest, i, charset::is_param_char) || i == value_start) return kBadParam;
      }
      if (i == rest.size() || rest[i] == '?') break;
      if (rest[i] != ';') return kBadParam;
      ++i;
    }
    out.params = rest.substr(1, i - 1);
  }
  if (i == rest.size()) return {};
  // parse_hostport leaves only ';', '?' or nothing, and the loop above stops only at '?'.
  const std::size_t headers_start = ++i;
  while (true) {
    const std::size_t name_start = i;
    if (!skip_escaped(rest, i, charset::is_hnv_char) || i == name_start) return kBadHeader;
    if (i == rest.size() || rest[i] != '=') return kBadHeader;
    ++i;  // hvalue may be empty
    if (!skip_escaped(rest, i, charset::is_hnv_char)) return kBadHeader;
    if (i == rest.size()) break;
    if (rest[i] != '&') return kBadHeader;
    ++i;
  }
  out.headers = rest.substr(headers_start);
  return {};
}

std::string_view parse_sip(std::string_view rest, Uri& out) noexcept {
  // No character after the userinfo (host, paramchar, hname/hvalue) may be '@', so the first
  // '@' always ends the userinfo, even when the user holds ';' or '?' (§19.1.3, RFC 4475
  // semiuri).
  if (const std::size_t at = rest.find('@'); at != npos) {
    if (const auto err = parse_userinfo(rest.substr(0, at), out); !err.empty()) return err;
    rest.remove_prefix(at + 1);
  }
  if (const auto err = parse_hostport(rest, out); !err.empty()) return err;
  return parse_params_and_headers(rest, out);
}

// ---------------------------------------------------------------------------------------------
// tel (RFC 3966 §3).

constexpr bool is_visual_separator(char c) { return c == '-' || c == '.' || c == '(' || c == ')'; }

// *phonedigit holding at least one DIGIT; phonedigit = DIGIT / visual-separator.
bool is_phonedigits(std::string_view s) noexcept {
  bool digit = false;
  for (char c : s) {
    if (is_digit(c)) {
      digit = true;
    } else if (!is_visual_separator(c)) {
      return false;
    }
  }
  return digit;
}

// global-number-digits = "+" *phonedigit DIGIT *phonedigit
bool is_global_number_digits(std::string_view s) noexcept {
  return !s.empty() && s[0] == '+' && is_phonedigits(s.substr(1));
}

// local-number-digits = *phonedigit-hex (HEXDIG / "*" / "#") *phonedigit-hex
bool is_local_number_digits(std::string_view s) noexcept {
  bool digit = false;
  for (char c : s) {
    if (is_hex(c) || c == '*' || c == '#') {
      digit = true;
    } else if (!is_visual_separator(c)) {
      return false;
    }
  }
  return digit;
}

// isdn-subaddress = ";isub=" 1*uric (';' ends it, being the parameter separator here).
bool is_isub(std::string_view s) noexcept {
  return !s.empty() && all_escaped(s, [](char c) { return charset::is_uric(c) && c != ';'; });
}

// pname = 1*( alphanum / "-" )
bool is_tel_pname(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (char c : s)
    if (!charset::is_alnum(c) && c != '-') return false;
  return true;
}

// The tel parameters with a meaning of their own; each may appear once (RFC 3966 §3), and
// isub and ext exclude each other (§5.3).
struct TelSeen {
  bool isub = false;
  bool ext = false;
  bool context = false;
};

bool valid_tel_param(std::string_view item, TelSeen& seen) noexcept {
  const NameValue nv = split_name_value(item);
  if (!is_tel_pname(nv.name)) return false;
  if (iequals(nv.name, "isub")) {
    if (seen.isub || seen.ext) return false;
    seen.isub = true;
    return nv.has_value && is_isub(nv.value);
  }
  if (iequals(nv.name, "ext")) {
    if (seen.isub || seen.ext) return false;
    seen.ext = true;
    // extension = ";ext=" 1*phonedigit, held to one digit at least: "--" names nothing.
    return nv.has_value && is_phonedigits(nv.value);
  }
  if (iequals(nv.name, "phone-context")) {
    if (seen.context) return false;
    seen.context = true;
    // descriptor = domainname / global-number-digits
    return nv.has_value && (is_global_number_digits(nv.value) || is_hostname(nv.value));
  }
  return !nv.has_value || (!nv.value.empty() && all_escaped(nv.value, charset::is_param_char));
}

// The order RFC 3966 §3 asks of generators (isub/ext, then phone-context, then the rest sorted)
// is not enforced: it only eases textual comparison, and uri_equal does not rely on it.
std::string_view parse_tel(std::string_view rest, Uri& out) noexcept {
  const std::size_t semi = rest.find(';');
  const std::string_view number = rest.substr(0, semi);
  const bool global = !number.empty() && number[0] == '+';
  if (global ? !is_global_number_digits(number) : !is_local_number_digits(number))
    return kBadTelNumber;
  out.user = number;
  out.has_user = true;
  TelSeen seen;
  if (semi != npos) {
    out.params = rest.substr(semi + 1);
    if (!for_each_item(out.params, ';',
                       [&seen](std::string_view item) { return valid_tel_param(item, seen); }))
      return kBadTelParam;
  }
  // §5.1.5: "Local numbers MUST have a 'phone-context' parameter".
  if (!global && !seen.context) return kNoPhoneContext;
  return {};
}

// ---------------------------------------------------------------------------------------------
// Scheme and any other URI.

// absoluteURI = scheme ":" ( hier-part / opaque-part ): every character of either form is a
// uric or an escape. '[' and ']' are let through as well for IPv6 authorities (RFC 2732,
// "http://[2001:db8::1]/").
std::string_view parse_opaque(std::string_view rest, Uri& out) noexcept {
  const bool ok = !rest.empty() && all_escaped(rest, [](char c) {
    return charset::is_uric(c) || c == '[' || c == ']';
  });
  if (!ok) return kBadOpaque;
  out.opaque = rest;
  return {};
}

// scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
bool is_scheme(std::string_view s) noexcept {
  if (s.empty() || !is_alpha(s[0])) return false;
  for (char c : s)
    if (!charset::is_alnum(c) && c != '+' && c != '-' && c != '.') return false;
  return true;
}

UriScheme classify_scheme(std::string_view name) noexcept {
  if (iequals(name, "sip")) return UriScheme::kSip;
  if (iequals(name, "sips")) return UriScheme::kSips;
  if (iequals(name, "tel")) return UriScheme::kTel;
  return UriScheme::kOther;
}

// ---------------------------------------------------------------------------------------------
// Comparison helpers.

// Host validation belongs to classify_host (sip/host.hpp). The readers below only turn an
// address into its bytes, so that two spellings of one address compare equal.

using Ipv4Bytes = std::array<std::uint8_t, 4>;
using Ipv6Bytes = std::array<std::uint8_t, 16>;

// IPv4address = 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT (RFC 3261 §25.1), each part
// at most 255.
bool parse_ipv4(std::string_view s, Ipv4Bytes& out) noexcept {
  std::size_t i = 0;
  for (std::size_t part = 0; part < 4; ++part) {
    if (part > 0) {
      if (i >= s.size() || s[i] != '.') return false;
      ++i;
    }
    unsigned value = 0;
    std::size_t digits = 0;
    while (i < s.size() && is_digit(s[i]) && digits < 3) {
      value = value * 10 + static_cast<unsigned>(s[i] - '0');
      ++i;
      ++digits;
    }
    if (digits == 0 || value > 255) return false;
    out[part] = static_cast<std::uint8_t>(value);
  }
  return i == s.size();
}

// hex4 = 1*4HEXDIG
bool parse_hex4(std::string_view s, std::uint16_t& out) noexcept {
  if (s.empty() || s.size() > 4) return false;
  unsigned value = 0;
  for (char c : s) {
    if (!is_hex(c)) return false;
    value = value * 16 + static_cast<unsigned>(charset::hex_value(c));
  }
  out = static_cast<std::uint16_t>(value);
  return true;
}

// After a "::", RFC 5118 §4.10: RFC 3261's ABNF wrongly admits ":::" in an address with an
// embedded IPv4 part ("2001:db8:::192.0.2.1"). classify_host tolerates it; read it as "::".
void skip_abnf_bug_colon(std::string_view s, std::size_t& i) noexcept {
  if (i < s.size() && s[i] == ':' && s.find('.') != npos) ++i;
}

// An IPv6 text form taken apart: up to eight 16-bit groups, and where "::" stood.
struct Ipv6Groups {
  std::array<std::uint16_t, 8> groups{};
  std::size_t n = 0;
  std::optional<std::size_t> gap;
};

// The last piece may be an IPv4 address standing for two groups ("::ffff:192.0.2.10").
bool add_ipv4_tail(std::string_view piece, Ipv6Groups& p) noexcept {
  Ipv4Bytes v4{};
  if (p.n + 2 > p.groups.size() || !parse_ipv4(piece, v4)) return false;
  p.groups[p.n++] = static_cast<std::uint16_t>(v4[0] << 8 | v4[1]);
  p.groups[p.n++] = static_cast<std::uint16_t>(v4[2] << 8 | v4[3]);
  return true;
}

// Splits `s` into groups at single colons, noting the one "::" allowed.
bool scan_ipv6(std::string_view s, Ipv6Groups& p) noexcept {
  std::size_t i = 0;
  if (s.substr(0, 2) == "::") {
    p.gap = 0;
    i = 2;
    skip_abnf_bug_colon(s, i);
  } else if (s.empty() || s[0] == ':') {
    return false;
  }
  while (i < s.size()) {
    const std::size_t end = s.find(':', i);
    const std::string_view piece = s.substr(i, end == npos ? npos : end - i);
    if (piece.find('.') != npos) return end == npos && add_ipv4_tail(piece, p);
    if (p.n == p.groups.size() || !parse_hex4(piece, p.groups[p.n])) return false;
    ++p.n;
    if (end == npos) return true;
    i = end + 1;
    if (i < s.size() && s[i] == ':') {
      if (p.gap) return false;  // a second "::"
      p.gap = p.n;
      skip_abnf_bug_colon(s, ++i);
    } else if (i == s.size()) {
      return false;  // a trailing single ':'
    }
  }
  return true;
}

// IPv6address (the text forms of RFC 4291 §2.2, with "::" and an embedded IPv4 tail), without
// brackets, into its 16 bytes.
bool parse_ipv6(std::string_view s, Ipv6Bytes& out) noexcept {
  Ipv6Groups p;
  if (!scan_ipv6(s, p)) return false;
  constexpr std::size_t kGroups = 8;
  // "::" stands for at least one zero group; without it all eight must be written.
  if (p.gap ? p.n >= kGroups : p.n != kGroups) return false;
  std::array<std::uint16_t, kGroups> full{};
  const std::size_t head = p.gap.value_or(p.n);
  for (std::size_t k = 0; k < head; ++k) full[k] = p.groups[k];
  for (std::size_t k = head; k < p.n; ++k) full[kGroups - (p.n - k)] = p.groups[k];
  for (std::size_t k = 0; k < kGroups; ++k) {
    out[2 * k] = static_cast<std::uint8_t>(full[k] >> 8);
    out[2 * k + 1] = static_cast<std::uint8_t>(full[k] & 0xff);
  }
  return true;
}

bool hosts_equal(const Uri& a, const Uri& b) noexcept {
  if (a.host_kind != b.host_kind) return false;  // §19.1.4: a name never equals its address
  if (a.host_kind == HostKind::kIPv6 && a.host.size() >= 2 && b.host.size() >= 2) {
    // Compared as addresses: "[2001:DB8::1]" and "[2001:db8:0::1]" are the same host.
    Ipv6Bytes x{};
    Ipv6Bytes y{};
    if (parse_ipv6(a.host.substr(1, a.host.size() - 2), x) &&
        parse_ipv6(b.host.substr(1, b.host.size() - 2), y))
      return x == y;
  }
  if (a.host_kind == HostKind::kIPv4) {
    Ipv4Bytes x{};
    Ipv4Bytes y{};
    if (parse_ipv4(a.host, x) && parse_ipv4(b.host, y)) return x == y;
  }
  return iequals(a.host, b.host);
}

// §19.1.4: "A URI omitting any component with a default value will not match a URI explicitly
// containing that component" (transport, ttl, user, method), and maddr likewise.
bool must_be_in_both(std::string_view name) noexcept {
  for (std::string_view special : {"transport", "ttl", "user", "method", "maddr"})
    if (equivalent(name, special, true)) return true;
  return false;
}

bool sip_params_equal(std::string_view a, std::string_view b) noexcept {
  // Any parameter in both must match; a special one in only one URI never matches; any other
  // parameter in only one is ignored. Both directions are walked to catch one-sided ones.
  const auto covers = [](std::string_view x, std::string_view y) {
    return for_each_first_param(x, [y](std::string_view name, std::string_view value) {
      const auto other = lookup(y, ';', name);
      if (!other) return !must_be_in_both(name);
      return equivalent(value, *other, true);
    });
  };
  return covers(a, b) && covers(b, a);
}

bool header_items_equal(std::string_view x, std::string_view y) noexcept {
  const NameValue a = split_name_value(x);
  const NameValue b = split_name_value(y);
  // Header names are case-insensitive; values follow §7.3.1's default (case-insensitive), as
  // the section 20 rules §19.1.4 refers to cannot be applied to a bare string.
  return equivalent(a.name, b.name, true) && equivalent(a.value, b.value, true);
}

std::size_t count_matching(std::string_view list, std::string_view item) noexcept {
  std::size_t n = 0;
  for_each_item(list, '&', [&](std::string_view other) {
    if (header_items_equal(item, other)) ++n;
    return true;
  });
  return n;
}

// §19.1.4: "Any present header component MUST be present in both URIs and match"; order is not
// significant, so the headers are compared as multisets.
bool sip_headers_equal(std::string_view a, std::string_view b) noexcept {
  if (a.empty() || b.empty()) return a.empty() && b.empty();
  return for_each_item(a, '&', [a, b](std::string_view item) {
           return count_matching(a, item) == count_matching(b, item);
         }) &&
         for_each_item(b, '&', [a, b](std::string_view item) {
           return count_matching(a, item) == count_matching(b, item);
         });
}

bool sip_equal(const Uri& a, const Uri& b) noexcept {
  // §19.1.4: userinfo case-sensitive, everything else case-insensitive.
  if (a.has_user != b.has_user || !equivalent(a.user, b.user, false)) return false;
  if (a.has_password != b.has_password || !equivalent(a.password, b.password, false))
    return false;
  if (!hosts_equal(a, b)) return false;
  if (a.has_port != b.has_port || a.port != b.port) return false;
  return sip_params_equal(a.params, b.params) && sip_headers_equal(a.headers, b.headers);
}

// RFC 3966 §4: numbers and number-valued parameters compare "after removing all visual
// separators", case-insensitively.
bool phone_digits_equal(std::string_view a, std::string_view b) noexcept {
  std::size_t i = 0;
  std::size_t j = 0;
  for (;;) {
    while (i < a.size() && is_visual_separator(a[i])) ++i;
    while (j < b.size() && is_visual_separator(b[j])) ++j;
    if (i == a.size() || j == b.size()) return i == a.size() && j == b.size();
    if (lower(a[i]) != lower(b[j])) return false;
    ++i;
    ++j;
  }
}

bool tel_values_equal(std::string_view name, std::string_view a, std::string_view b) noexcept {
  if (iequals(name, "ext")) return phone_digits_equal(a, b);
  if (iequals(name, "phone-context")) {
    const bool ga = !a.empty() && a[0] == '+';
    const bool gb = !b.empty() && b[0] == '+';
    if (ga != gb) return false;
    return ga ? phone_digits_equal(a, b) : iequals(a, b);
  }
  return equivalent(a, b, true);
}

bool tel_equal(const Uri& a, const Uri& b) noexcept {
  const bool ga = !a.user.empty() && a.user[0] == '+';
  const bool gb = !b.user.empty() && b.user[0] == '+';
  if (ga != gb || !phone_digits_equal(a.user, b.user)) return false;
  // "If one URI has a parameter name not found in the other, the two URIs are not equal."
  const auto covers = [](std::string_view x, std::string_view y) {
    return for_each_first_param(x, [y](std::string_view name, std::string_view value) {
      const auto other = lookup(y, ';', name);
      return other && tel_values_equal(name, value, *other);
    });
  };
  return covers(a.params, b.params) && covers(b.params, a.params);
}

std::string_view scheme_text(const Uri& u) noexcept {
  switch (u.scheme) {
    case UriScheme::kSip: return "sip";
    case UriScheme::kSips: return "sips";
    case UriScheme::kTel: return "tel";
    case UriScheme::kOther: break;
  }
  return u.scheme_name;
}

void append_lower(std::string& out, std::string_view s) {
  for (char c : s) out.push_back(lower(c));
}

// Hosts are case-insensitive, so the canonical form is lower case; an IPv6 reference written
// with RFC 3261's extra colon (RFC 5118 §4.10) is re-serialized with the correct two.
void append_host(std::string& out, const Uri& u) {
  const std::size_t start = out.size();
  append_lower(out, u.host);
  if (u.host_kind != HostKind::kIPv6) return;
  if (const std::size_t bug = out.find(":::", start); bug != std::string::npos) out.erase(bug, 1);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Public API.

std::optional<std::string_view> Uri::param(std::string_view name) const noexcept {
  return lookup(params, ';', name);
}

std::optional<std::string_view> Uri::header(std::string_view name) const noexcept {
  return lookup(headers, '&', name);
}

std::string_view parse_uri(std::string_view text, Uri& out) noexcept {
  out = Uri{};
  if (text.empty()) return kEmpty;
  // "sip:" is by far the most common start: recognise it without a search.
  std::size_t colon = 3;
  if (text.size() > 4 && (text[0] | 0x20) == 's' && (text[1] | 0x20) == 'i' && (text[2] | 0x20) == 'p' &&
      text[3] == ':') {
    out.scheme = UriScheme::kSip;
  } else {
    colon = text.find(':');
    if (colon == npos || !is_scheme(text.substr(0, colon))) return kBadScheme;
    out.scheme = classify_scheme(text.substr(0, colon));
  }
  out.scheme_name = text.substr(0, colon);
  const std::string_view rest = text.substr(colon + 1);
  std::string_view err;
  switch (out.scheme) {
    case UriScheme::kSip:
    case UriScheme::kSips: err = parse_sip(rest, out); break;
    case UriScheme::kTel: err = parse_tel(rest, out); break;
    case UriScheme::kOther: err = parse_opaque(rest, out); break;
  }
  if (!err.empty()) {
    // Leave no half-filled Uri behind; the scheme stays for the caller's diagnostics.
    const UriScheme scheme = out.scheme;
    const std::string_view name = out.scheme_name;
    out = Uri{};
    out.scheme = scheme;
    out.scheme_name = name;
  }
  return err;
}

std::optional<std::string> unescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size() || !is_hex(text[i + 1]) || !is_hex(text[i + 2])) return std::nullopt;
    out.push_back(decode_escape(text[i + 1], text[i + 2]));
    i += 2;
  }
  return out;
}

bool uri_equal(const Uri& a, const Uri& b) {
  // §19.1.4: "A SIP and SIPS URI are never equivalent."
  if (a.scheme != b.scheme) return false;
  switch (a.scheme) {
    case UriScheme::kSip:
    case UriScheme::kSips: return sip_equal(a, b);
    case UriScheme::kTel: return tel_equal(a, b);
    case UriScheme::kOther: break;
  }
  // No rules of their own here: scheme case-insensitive, the rest exact up to escaping of
  // unreserved characters (RFC 3986 §6.2.2).
  return iequals(a.scheme_name, b.scheme_name) && equivalent(a.opaque, b.opaque, false);
}

std::string to_string(const Uri& u) {
  std::string out;
  append_lower(out, scheme_text(u));
  out.push_back(':');
  if (u.scheme == UriScheme::kOther) {
    out.append(u.opaque);
    return out;
  }
  if (u.has_user || !u.user.empty()) {
    out.append(u.user);
    if (u.scheme != UriScheme::kTel) {
      if (u.has_password || !u.password.empty()) out.append(":").append(u.password);
      out.push_back('@');
    }
  }
  if (u.scheme != UriScheme::kTel) {
    append_host(out, u);
    if (u.has_port) out.append(":").append(std::to_string(u.port));
  }
  if (!u.params.empty()) out.append(";").append(u.params);
  if (!u.headers.empty()) out.append("?").append(u.headers);
  return out;
}

}  // namespace trapezoid::sip
