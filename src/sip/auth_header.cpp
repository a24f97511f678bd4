#include "sip/auth_header.hpp"

#include "sip/charset.hpp"
#include "sip/lws.hpp"

namespace trapezoid::sip {
namespace {

// The 400 reason phrase naming the header; "" for a header that is not about authentication.
std::string_view malformed_reason(HeaderId id) noexcept {
  switch (id) {
    case HeaderId::kWwwAuthenticate: return "Malformed WWW-Authenticate";
    case HeaderId::kProxyAuthenticate: return "Malformed Proxy-Authenticate";
    case HeaderId::kAuthorization: return "Malformed Authorization";
    case HeaderId::kProxyAuthorization: return "Malformed Proxy-Authorization";
    default: return {};
  }
}

std::string_view malformed(HeaderId which, HeaderId fallback) noexcept {
  const std::string_view reason = malformed_reason(which);
  return reason.empty() ? malformed_reason(fallback) : reason;
}

// token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=" (RFC 7235 §2.1)
constexpr bool is_token68_char(char c) noexcept {
  return charset::is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' ||
         c == '/';
}

// If the rest of `v` from `pos` is a lone token68 (trailing LWS allowed), returns it.
std::string_view match_token68(std::string_view v, std::size_t pos) noexcept {
  std::size_t p = pos;
  while (p < v.size() && is_token68_char(v[p])) ++p;
  if (p == pos) return {};
  while (p < v.size() && v[p] == '=') ++p;
  const std::size_t end = p;
  lws::skip_lws(v, p);
  return p == v.size() ? v.substr(pos, end - pos) : std::string_view{};
}

// auth-param = auth-param-name EQUAL ( token / quoted-string ), the cursor on its name.
bool parse_auth_param(std::string_view v, std::size_t& pos, AuthParam& out) noexcept {
  out.name = lws::parse_token(v, pos);
  if (out.name.empty()) return false;
  lws::skip_lws(v, pos);
  if (pos >= v.size() || v[pos] != '=') return false;
  ++pos;
  lws::skip_lws(v, pos);
  out.value = (pos < v.size() && v[pos] == '"') ? lws::parse_quoted_string(v, pos)
                                                : lws::parse_token(v, pos);
  return !out.value.empty();
}

// auth-scheme LWS ( token68 / auth-param *(COMMA auth-param) ), shared by both headers.
bool parse_auth_value(std::string_view v, AuthValue& out) noexcept {
  out.scheme = {};
  out.token68 = {};
  out.param_count = 0;

  std::size_t pos = 0;
  lws::skip_lws(v, pos);
  out.scheme = lws::parse_token(v, pos);
  if (out.scheme.empty()) return false;
  // The scheme and what follows are separated by LWS; RFC 3261 requires something to follow.
  if (!lws::skip_lws(v, pos) || pos >= v.size()) return false;

  out.token68 = match_token68(v, pos);
  if (!out.token68.empty()) return true;

  for (;;) {
    AuthParam param;
    if (!parse_auth_param(v, pos, param)) return false;
    // A repeated name makes the value ambiguous between elements (RFC 7235 §2.1).
    if (out.find(param.name) != nullptr) return false;
    if (out.param_count == AuthValue::kMaxParams) return false;
    out.param_list[out.param_count++] = param;

    lws::skip_lws(v, pos);
    if (pos == v.size()) return true;
    if (v[pos] != ',') return false;
    ++pos;
    lws::skip_lws(v, pos);
  }
}

std::optional<bool> parse_bool(const AuthParam* p) noexcept {
  if (p == nullptr) return std::nullopt;
  const std::string_view s = p->inner();
  if (charset::iequals(s, "true")) return true;
  if (charset::iequals(s, "false")) return false;
  return std::nullopt;
}

// nc-value = 8LHEX. Upper-case hex is accepted too: it is unambiguous and some clients send it.
std::optional<std::uint32_t> parse_nc(const AuthParam* p) noexcept {
  if (p == nullptr) return std::nullopt;
  const std::string_view s = p->inner();
  if (s.size() != 8) return std::nullopt;
  std::uint32_t n = 0;
  for (char c : s) {
    const int d = charset::hex_value(c);
    if (d < 0) return std::nullopt;
    n = (n << 4) | static_cast<std::uint32_t>(d);
  }
  return n;
}

// A present boolean parameter must hold "true" or "false".
bool bool_ok(const AuthValue& v, std::string_view name) noexcept {
  const AuthParam* p = v.find(name);
  return p == nullptr || parse_bool(p).has_value();
}

}  // namespace

std::string_view AuthParam::inner() const noexcept { return lws::strip_quotes(value); }

std::string AuthParam::text() const { return lws::unquote(value); }

const AuthParam* AuthValue::find(std::string_view name) const noexcept {
  for (const AuthParam& p : params())
    if (charset::iequals(p.name, name)) return &p;
  return nullptr;
}

std::optional<std::string> AuthValue::text(std::string_view name) const {
  const AuthParam* p = find(name);
  if (p == nullptr) return std::nullopt;
  return p->text();
}

bool AuthValue::is_digest() const noexcept { return charset::iequals(scheme, "Digest"); }

bool Challenge::offers_qop(std::string_view qop_value) const {
  const std::optional<std::string> list = qop();
  if (!list) return false;
  // qop-options = LDQUOT qop-value *("," qop-value) RDQUOT; tolerate spaces around commas.
  std::string_view rest = *list;
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    while (!item.empty() && charset::is_ws(item.front())) item.remove_prefix(1);
    while (!item.empty() && charset::is_ws(item.back())) item.remove_suffix(1);
    if (charset::iequals(item, qop_value)) return true;
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return false;
}

std::optional<bool> Challenge::stale() const noexcept { return parse_bool(find("stale")); }
std::optional<bool> Challenge::userhash() const noexcept { return parse_bool(find("userhash")); }

std::optional<std::uint32_t> Credentials::nc() const noexcept { return parse_nc(find("nc")); }
std::optional<bool> Credentials::userhash() const noexcept {
  return parse_bool(find("userhash"));
}

std::string_view parse_challenge(std::string_view value, Challenge& out,
                                 HeaderId which) noexcept {
  const std::string_view error = malformed(which, HeaderId::kWwwAuthenticate);
  if (!parse_auth_value(value, out)) return error;
  if (out.is_digest()) {
    // RFC 2617 §3.2.1 / RFC 7616 §3.3: Digest carries auth-params only.
    if (!out.token68.empty()) return error;
    if (!bool_ok(out, "stale") || !bool_ok(out, "userhash")) return error;
  }
  return {};
}

std::string_view parse_credentials(std::string_view value, Credentials& out,
                                   HeaderId which) noexcept {
  const std::string_view error = malformed(which, HeaderId::kAuthorization);
  if (!parse_auth_value(value, out)) return error;
  if (out.is_digest()) {
    if (!out.token68.empty()) return error;
    if (out.find("nc") != nullptr && !out.nc()) return error;
    if (!bool_ok(out, "userhash")) return error;
  }
  return {};
}

std::optional<std::string> build_auth_value(std::string_view scheme,
                                            std::span<const AuthParamSpec> params) {
  if (!charset::all_token(scheme) || params.empty() || params.size() > AuthValue::kMaxParams)
    return std::nullopt;
  std::string out(scheme);
  out.push_back(' ');
  for (std::size_t i = 0; i < params.size(); ++i) {
    const AuthParamSpec& p = params[i];
    if (!charset::all_token(p.name)) return std::nullopt;
    for (std::size_t j = 0; j < i; ++j)
      if (charset::iequals(params[j].name, p.name)) return std::nullopt;  // parser rejects it
    if (i != 0) out.append(", ");
    out.append(p.name);
    out.push_back('=');
    if (p.quoted) {
      if (!lws::append_quoted(out, p.value)) return std::nullopt;
    } else {
      if (!charset::all_token(p.value)) return std::nullopt;
      out.append(p.value);
    }
  }
  return out;
}

std::optional<std::string> build_digest_challenge(const DigestChallengeSpec& spec) {
  std::array<AuthParamSpec, 8> list{};
  std::size_t n = 0;
  list[n++] = {"realm", spec.realm, true};
  if (spec.domain) list[n++] = {"domain", *spec.domain, true};
  list[n++] = {"nonce", spec.nonce, true};
  if (spec.opaque) list[n++] = {"opaque", *spec.opaque, true};
  if (spec.stale) list[n++] = {"stale", "true", false};
  if (!spec.algorithm.empty()) list[n++] = {"algorithm", spec.algorithm, false};
  // qop-options is always quoted, even for a single value (§25.1).
  if (!spec.qop.empty()) list[n++] = {"qop", spec.qop, true};
  if (spec.userhash) list[n++] = {"userhash", "true", false};
  return build_auth_value("Digest", std::span<const AuthParamSpec>(list.data(), n));
}

std::optional<std::string> build_digest_credentials(const DigestCredentialsSpec& spec) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::array<char, 8> nc_text{};
  for (std::size_t i = 0; i < nc_text.size(); ++i)
    nc_text[i] = kHex[(spec.nc >> (28 - 4 * i)) & 0xF];

  std::array<AuthParamSpec, 11> list{};
  std::size_t n = 0;
  list[n++] = {"username", spec.username, true};
  list[n++] = {"realm", spec.realm, true};
  list[n++] = {"nonce", spec.nonce, true};
  list[n++] = {"uri", spec.uri, true};
  list[n++] = {"response", spec.response, true};
  if (!spec.algorithm.empty()) list[n++] = {"algorithm", spec.algorithm, false};
  if (!spec.cnonce.empty()) list[n++] = {"cnonce", spec.cnonce, true};
  if (spec.opaque) list[n++] = {"opaque", *spec.opaque, true};
  if (!spec.qop.empty()) {
    // message-qop and nonce-count are bare tokens (§25.1).
    list[n++] = {"qop", spec.qop, false};
    list[n++] = {"nc", std::string_view(nc_text.data(), nc_text.size()), false};
  }
  if (spec.userhash) list[n++] = {"userhash", "true", false};
  return build_auth_value("Digest", std::span<const AuthParamSpec>(list.data(), n));
}

}  // namespace trapezoid::sip
