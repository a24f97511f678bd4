// parse_uri, Uri::param / header and unescape. Comparison is in uri_compare.cpp, to_string in
// uri_format.cpp; the list and escape helpers all three need are in uri_text.hpp.
#include "sip/uri.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "sip/charset.hpp"
#include "sip/find_byte.hpp"
#include "sip/host.hpp"
#include "sip/uri_text.hpp"

namespace trapezoid::sip {
namespace {

using charset::iequals;
using charset::is_digit;
using charset::is_hex;
using uri_detail::decode_escape;
using uri_detail::for_each_item;
using uri_detail::is_visual_separator;
using uri_detail::lookup;
using uri_detail::NameValue;
using uri_detail::split_name_value;

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
// sip / sips (RFC 3261 §25.1 SIP-URI).

// Advances `p` (up to `end`) over characters satisfying `allowed` and valid "%" HEX HEX escapes;
// false on a malformed escape (RFC 3261 §25.1 "escaped"), which needs both hex digits before
// `end`.
template <class Pred>
bool skip_escaped(const char*& p, const char* end, Pred allowed) noexcept {
  while (p < end) {
    if (allowed(*p)) {
      ++p;
    } else if (*p == '%') {
      if (end - p <= 2 || !is_hex(p[1]) || !is_hex(p[2])) return false;
      p += 3;
    } else {
      break;
    }
  }
  return true;
}

// userinfo = user [ ":" password ] "@": `info` is the text before the '@'. One pass: ':' is no
// user character, so the user ends at the first one.
std::string_view parse_userinfo(std::string_view info, Uri& out) noexcept {
  const char* const begin = info.data();
  const char* const end = begin + info.size();
  const char* p = begin;
  // §19.1.1: "If the @ sign is present ... the user field MUST NOT be empty."
  if (!skip_escaped(p, end, charset::is_user_char) || p == begin || (p != end && *p != ':')) return kBadUser;
  out.user = std::string_view(begin, static_cast<std::size_t>(p - begin));
  out.has_user = true;
  if (p == end) return {};
  const char* const password = ++p;
  if (!skip_escaped(p, end, charset::is_password_char) || p != end) return kBadPassword;
  out.password = std::string_view(password, static_cast<std::size_t>(end - password));
  out.has_password = true;
  return {};
}

// port = 1*DIGIT, held to 16 bits (leading zeros allowed). `rest` starts after the ':'.
std::string_view take_port(std::string_view& rest, Uri& out) noexcept {
  std::size_t digits = 0;
  unsigned value = 0;
  while (digits < rest.size() && is_digit(rest[digits])) {
    value = value * 10 + static_cast<unsigned>(rest[digits++] - '0');
    if (value > 65535) return kBadPort;
  }
  if (digits == 0) return kBadPort;
  if (digits < rest.size() && rest[digits] != ';' && rest[digits] != '?') return kBadPort;
  out.port = static_cast<std::uint16_t>(value);
  out.has_port = true;
  rest.remove_prefix(digits);
  return {};
}

// The same with an index into `s`.
template <class Pred>
bool skip_escaped(std::string_view s, std::size_t& i, Pred allowed) noexcept {
  const char* p = s.data() + i;
  const bool ok = skip_escaped(p, s.data() + s.size(), allowed);
  i = static_cast<std::size_t>(p - s.data());
  return ok;
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
  if (const char* at_sign = find_byte(rest.data(), rest.data() + rest.size(), '@'); at_sign != nullptr) {
    const auto at = static_cast<std::size_t>(at_sign - rest.data());
    if (const auto err = parse_userinfo(rest.substr(0, at), out); !err.empty()) return err;
    rest.remove_prefix(at + 1);
  }
  if (const auto err = parse_hostport(rest, out); !err.empty()) return err;
  return parse_params_and_headers(rest, out);
}

// ---------------------------------------------------------------------------------------------
// tel (RFC 3966 §3).

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

}  // namespace trapezoid::sip
