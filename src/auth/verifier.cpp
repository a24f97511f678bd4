#include "auth/verifier.hpp"

#include <algorithm>

#include "sip/auth_header.hpp"
#include "sip/charset.hpp"
#include "sip/uri.hpp"

namespace trapezoid::auth {
namespace {

AuthDecision bad_request(std::string_view reason) {
  AuthDecision d;
  d.outcome = AuthOutcome::kBadRequest;
  d.status = 400;
  d.reason = reason;
  return d;
}

// RFC 2617 §3.2.2.5: the digest-uri must name the resource of the Request-URI. The same text
// always does; otherwise the two must be equal SIP URIs (§19.1.4), since a client may write
// the URI's case or escapes differently than the request line.
bool same_uri(std::string_view digest_uri, std::string_view request_uri) {
  if (digest_uri == request_uri) return true;
  sip::Uri a, b;
  if (!sip::parse_uri(digest_uri, a).empty() || !sip::parse_uri(request_uri, b).empty()) return false;
  return sip::uri_equal(a, b);
}

std::string lower(std::string text) {
  for (char& c : text)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return text;
}

}  // namespace

DigestVerifier::DigestVerifier(VerifierConfig config, const NonceCodec& nonces, const CredentialSource& credentials)
    : config_(std::move(config)), nonces_(nonces), credentials_(credentials) {}

AuthDecision DigestVerifier::challenge(AuthHeaderKind kind, UnixSeconds now, bool stale) const {
  AuthDecision d;
  d.outcome = AuthOutcome::kChallenge;
  const bool proxy = kind == AuthHeaderKind::kProxy;
  d.status = proxy ? 407 : 401;
  d.reason = proxy ? "Proxy Authentication Required" : "Unauthorized";
  d.challenge_header = proxy ? sip::HeaderId::kProxyAuthenticate : sip::HeaderId::kWwwAuthenticate;
  const std::string nonce = nonces_.issue(config_.realm, now);
  for (DigestAlgorithm algorithm : config_.algorithms) {
    // §22.4 item 8 and RFC 8760 §2.4: always with qop; SIP has no use for auth-int here.
    std::optional<std::string> value = sip::build_digest_challenge(
        {.realm = config_.realm, .nonce = nonce, .algorithm = algorithm_name(algorithm), .qop = "auth", .stale = stale});
    if (value) d.challenges.push_back(std::move(*value));
  }
  return d;
}

AuthDecision DigestVerifier::verify(const sip::Message& request, AuthHeaderKind kind, UnixSeconds now,
                                    std::optional<std::string_view> claimed_user) const {
  const sip::HeaderId which =
      kind == AuthHeaderKind::kProxy ? sip::HeaderId::kProxyAuthorization : sip::HeaderId::kAuthorization;

  // The credentials of our realm; those of other realms belong to other servers (§22.3).
  sip::Credentials ours;
  bool found = false;
  std::string_view malformed;
  request.for_each(which, [&](const sip::HeaderField& field) {
    if (found || !malformed.empty()) return;
    sip::Credentials c;
    if (std::string_view why = sip::parse_credentials(field.value, c, which); !why.empty()) {
      malformed = why;
      return;
    }
    if (!c.is_digest()) return;
    const std::optional<std::string> realm = c.realm();
    if (realm && *realm == config_.realm) {
      ours = c;
      found = true;
    }
  });
  if (!malformed.empty()) return bad_request(malformed);
  if (!found) return challenge(kind, now, false);

  const std::optional<std::string> username = ours.username();
  const std::optional<std::string> nonce = ours.nonce();
  const std::optional<std::string> digest_uri = ours.uri();
  const std::optional<std::string> response = ours.response();
  if (!username || !nonce || !digest_uri || !response) return bad_request("Incomplete Credentials");

  const std::optional<DigestAlgorithm> algorithm = parse_algorithm(ours.algorithm().value_or(""));
  // An algorithm we do not compute: the challenge says which ones we do.
  if (!algorithm) return challenge(kind, now, false);
  const std::optional<std::string> qop = ours.qop();
  std::string nc, cnonce;
  if (qop) {
    if (!sip::charset::iequals(*qop, "auth")) return challenge(kind, now, false);  // auth-int is not offered
    const std::optional<std::string> nc_text = ours.text("nc");
    const std::optional<std::string> cnonce_text = ours.cnonce();
    // RFC 2617 §3.2.2: with a qop, cnonce and nonce-count MUST be there.
    if (!nc_text || !cnonce_text) return bad_request("Incomplete Credentials");
    nc = *nc_text;
    cnonce = *cnonce_text;
  } else if (*algorithm != DigestAlgorithm::kMd5) {
    // Without a qop only the RFC 2069 form exists, and that is MD5 (RFC 7616 §3.4 has no
    // qop-less SHA-256; -sess needs a cnonce).
    return bad_request("Incomplete Credentials");
  }
  if (!same_uri(*digest_uri, request.request_uri())) return bad_request("URI Mismatch");

  const NonceState state = nonces_.check(*nonce, config_.realm, now);
  if (state == NonceState::kInvalid) return challenge(kind, now, false);

  const std::optional<StoredCredentials> stored = credentials_.lookup(*username, config_.realm);
  if (!stored) return challenge(kind, now, false);
  const std::string& stored_ha1 = stored->ha1_for(*algorithm);
  if (stored_ha1.empty()) return challenge(kind, now, false);

  const std::string ha1 = session_ha1(*algorithm, stored_ha1, *nonce, cnonce);
  const std::string ha2 = digest_ha2(*algorithm, request.method_name(), *digest_uri);
  const std::string expected = digest_response(*algorithm, ha1, *nonce, nc, cnonce, qop ? *qop : std::string(), ha2);
  if (expected.empty() || !digests_equal(expected, lower(*response))) return challenge(kind, now, false);
  // The right password on an old nonce: the client retries without asking its user again.
  if (state == NonceState::kStale) return challenge(kind, now, true);

  AuthDecision d;
  d.username = *username;
  if (claimed_user && *claimed_user != d.username) {
    d.outcome = AuthOutcome::kForbidden;
    d.status = 403;
    d.reason = "Forbidden";
    return d;
  }
  d.outcome = AuthOutcome::kAuthenticated;
  return d;
}

}  // namespace trapezoid::auth
