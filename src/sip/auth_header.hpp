// WWW-Authenticate / Proxy-Authenticate (challenge) and Authorization / Proxy-Authorization
// (credentials) values: RFC 3261 §20.7, §20.27, §20.28, §20.44, §22, §25.1; Digest fields of
// RFC 2617 and RFC 7616.
//
//   Credentials c;
//   if (parse_credentials(h.value, c).empty() && c.is_digest()) {
//     std::optional<std::string> user = c.username();   // quotes and escapes resolved
//     std::optional<std::uint32_t> nc = c.nc();
//   }
//   std::optional<std::string> v = build_digest_challenge({.realm = "atlanta.com",
//                                                          .nonce = n, .qop = "auth"});
//
// Parsing is zero-copy: `scheme` and every AuthParam view into the parsed value, so keep it
// alive as long as the result. The digest getters decode into std::string on demand.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "sip/header_id.hpp"

namespace trapezoid::sip {

struct AuthParam {
  std::string_view name;   // as written; compare with charset::iequals
  std::string_view value;  // a token, or a quoted-string with its quotes, as written

  [[nodiscard]] bool is_quoted() const noexcept { return !value.empty() && value.front() == '"'; }
  // The value with its quotes removed but escapes kept; exact when it holds no '\\' or fold.
  [[nodiscard]] std::string_view inner() const noexcept;
  // The value it stands for: quotes removed, quoted-pairs resolved.
  [[nodiscard]] std::string text() const;
};

// What challenges and credentials share: auth-scheme followed by either a comma-separated
// list of auth-params or (RFC 7235 §2.1, e.g. RFC 8898 Bearer) a single token68.
struct AuthValue {
  static constexpr std::size_t kMaxParams = 32;  // more is treated as malformed

  std::string_view scheme;   // as written ("Digest", "digest")
  std::string_view token68;  // "Bearer abc.def" -> "abc.def"; empty with auth-params
  std::array<AuthParam, kMaxParams> param_list{};
  std::size_t param_count = 0;

  [[nodiscard]] std::span<const AuthParam> params() const noexcept {
    return {param_list.data(), param_count};
  }
  // The parameter with this (case-insensitive) name, or nullptr. Names are unique.
  [[nodiscard]] const AuthParam* find(std::string_view name) const noexcept;
  // find(name)->text(), or std::nullopt when absent.
  [[nodiscard]] std::optional<std::string> text(std::string_view name) const;
  // Scheme names are case-insensitive (RFC 7235 §2.1).
  [[nodiscard]] bool is_digest() const noexcept;
};

// challenge = ("Digest" LWS digest-cln *(COMMA digest-cln)) / other-challenge (§25.1).
struct Challenge : AuthValue {
  [[nodiscard]] std::optional<std::string> realm() const { return text("realm"); }
  [[nodiscard]] std::optional<std::string> nonce() const { return text("nonce"); }
  [[nodiscard]] std::optional<std::string> opaque() const { return text("opaque"); }
  // Space-separated URI list of the protection space.
  [[nodiscard]] std::optional<std::string> domain() const { return text("domain"); }
  // "MD5", "MD5-sess", "SHA-256", ...; absent means MD5 (RFC 2617 §3.2.1).
  [[nodiscard]] std::optional<std::string> algorithm() const { return text("algorithm"); }
  // qop-options as sent: "auth" or "auth,auth-int".
  [[nodiscard]] std::optional<std::string> qop() const { return text("qop"); }
  // Whether qop-options lists `qop` (case-insensitive).
  [[nodiscard]] bool offers_qop(std::string_view qop_value) const;
  [[nodiscard]] std::optional<bool> stale() const noexcept;
  [[nodiscard]] std::optional<bool> userhash() const noexcept;  // RFC 7616 §3.3
};

// credentials = ("Digest" LWS digest-response) / other-response (§25.1).
struct Credentials : AuthValue {
  [[nodiscard]] std::optional<std::string> username() const { return text("username"); }
  [[nodiscard]] std::optional<std::string> realm() const { return text("realm"); }
  [[nodiscard]] std::optional<std::string> nonce() const { return text("nonce"); }
  [[nodiscard]] std::optional<std::string> uri() const { return text("uri"); }
  [[nodiscard]] std::optional<std::string> response() const { return text("response"); }
  [[nodiscard]] std::optional<std::string> algorithm() const { return text("algorithm"); }
  [[nodiscard]] std::optional<std::string> cnonce() const { return text("cnonce"); }
  [[nodiscard]] std::optional<std::string> opaque() const { return text("opaque"); }
  [[nodiscard]] std::optional<std::string> qop() const { return text("qop"); }
  // nonce-count, 8LHEX (§25.1); validated by the parser.
  [[nodiscard]] std::optional<std::uint32_t> nc() const noexcept;
  // RFC 7616 §3.4.4: when true, `username` carries the hashed user name.
  [[nodiscard]] std::optional<bool> userhash() const noexcept;
};

// Parse a header VALUE (after HCOLON). Return "" on success, else the reason phrase of the 400
// to send: "Malformed WWW-Authenticate" by default, the name of `which` when it is one of the
// four authentication headers. On error `out` is unspecified.
//
// Rejected: no auth-param, missing or doubled commas, unterminated quotes, more than kMaxParams
// parameters, a parameter name given twice (RFC 7235 §2.1), and for Digest a malformed nc
// (8 hex digits), stale or userhash ("true"/"false"), or a token68 in place of parameters.
[[nodiscard]] std::string_view parse_challenge(
    std::string_view value, Challenge& out,
    HeaderId which = HeaderId::kWwwAuthenticate) noexcept;
[[nodiscard]] std::string_view parse_credentials(
    std::string_view value, Credentials& out,
    HeaderId which = HeaderId::kAuthorization) noexcept;

// --- Building header values --------------------------------------------------------------

struct AuthParamSpec {
  std::string_view name = {};
  std::string_view value = {};
  bool quoted = true;  // false: `value` must be a token and is written bare
};

// "scheme name=value, name=\"value\"". Returns std::nullopt when something cannot be written:
// the scheme, a name or a bare value is not a token; a quoted value holds CR, LF or malformed
// UTF-8; there are no parameters or more than AuthValue::kMaxParams.
[[nodiscard]] std::optional<std::string> build_auth_value(std::string_view scheme,
                                                          std::span<const AuthParamSpec> params);

// A Digest challenge as a server sends it (RFC 3261 §22.4 item 8: always with qop).
struct DigestChallengeSpec {
  std::string_view realm = {};
  std::string_view nonce = {};
  std::optional<std::string_view> domain = {};
  std::optional<std::string_view> opaque = {};
  std::string_view algorithm = {};  // token; empty: omitted (MD5)
  std::string_view qop = {};        // "auth" or "auth,auth-int"; empty: omitted
  bool stale = false;               // written only when true
  bool userhash = false;            // RFC 7616 §3.3; written only when true
};

// A Digest response as a client sends it. nc is written (as 8 hex digits) only with a qop, as
// RFC 2617 §3.2.2 requires; cnonce only when not empty.
struct DigestCredentialsSpec {
  std::string_view username = {};
  std::string_view realm = {};
  std::string_view nonce = {};
  std::string_view uri = {};        // the digest-uri, always quoted (§22.4 item 2)
  std::string_view response = {};   // hex digest
  std::string_view algorithm = {};  // token; empty: omitted
  std::string_view cnonce = {};     // empty: omitted
  std::optional<std::string_view> opaque = {};  // echoed from the challenge, even when ""
  std::string_view qop = {};        // token; empty: omitted
  std::uint32_t nc = 0;
  bool userhash = false;            // RFC 7616 §3.4.4; written only when true
};

[[nodiscard]] std::optional<std::string> build_digest_challenge(const DigestChallengeSpec& spec);
[[nodiscard]] std::optional<std::string> build_digest_credentials(
    const DigestCredentialsSpec& spec);

}  // namespace trapezoid::sip
