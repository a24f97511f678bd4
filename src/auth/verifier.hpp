// The digest check a registrar (§10.3 step 3, 401 + WWW-Authenticate) or a proxy (§22.3, 407 +
// Proxy-Authenticate) runs on a request before acting on it (RFC 3261 §22, RFC 2617 §3.2.2,
// RFC 7616 §3.4, RFC 8760).
//
//   NonceCodec nonces(secret, std::chrono::seconds(300));
//   DigestVerifier verifier({.realm = "atlanta.com"}, nonces, subscribers);
//   AuthDecision d = verifier.verify(request, AuthHeaderKind::kProxy, unix_now, "alice");
//   if (d.outcome == AuthOutcome::kAuthenticated) ...go on as d.username...
//   else  ...answer d.status d.reason, with one d.header() field per value of d.challenges...
//
// What is checked, in order: the credentials of our realm are found among the request's
// Authorization (or Proxy-Authorization) fields, those of other realms are left alone (they
// are for another server on the path, §22.3); they must be well formed and complete (else
// 400); their uri must be the Request-URI (RFC 2617 §3.2.2.5, else 400); the nonce must be
// ours and of this realm; the user must exist; the response must match. Any of the last three
// failing is answered with a fresh challenge, stale=true when only the nonce's age failed
// (RFC 2617 §3.2.1). Finally the authenticated user must be the one the request claims to be
// (else 403).
//
// Stateless and const: every worker thread may call it at once.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/credential_source.hpp"
#include "auth/digest.hpp"
#include "auth/nonce.hpp"
#include "sip/header_id.hpp"
#include "sip/message.hpp"

namespace trapezoid::auth {

enum class AuthHeaderKind : unsigned char {
  kServer,  // Authorization -> 401 with WWW-Authenticate (a registrar or UAS, §22.2)
  kProxy,   // Proxy-Authorization -> 407 with Proxy-Authenticate (a proxy, §22.3)
};

enum class AuthOutcome : unsigned char {
  kAuthenticated,  // go on; `username` is who sent it
  kChallenge,      // answer 401/407 with `challenges`
  kBadRequest,     // answer 400: credentials of our realm that cannot be checked
  kForbidden,      // answer 403: authenticated, but as someone else than the request claims
};

struct AuthDecision {
  AuthOutcome outcome = AuthOutcome::kChallenge;
  int status = 0;            // 0 when authenticated, else 401, 407, 400 or 403
  std::string_view reason;   // the reason phrase (static storage)
  std::string username;      // the authenticated user (kAuthenticated, kForbidden)
  std::vector<std::string> challenges;  // header values, one field each (kChallenge)
  sip::HeaderId challenge_header = sip::HeaderId::kWwwAuthenticate;
};

struct VerifierConfig {
  std::string realm;
  // Offered in this order, one challenge each (RFC 8760 §2.4: the preferred one first).
  std::vector<DigestAlgorithm> algorithms = {DigestAlgorithm::kSha256, DigestAlgorithm::kMd5};
};

class DigestVerifier {
 public:
  // `nonces` and `credentials` must outlive the verifier.
  DigestVerifier(VerifierConfig config, const NonceCodec& nonces, const CredentialSource& credentials);

  // `claimed_user`: the user part the request speaks for (the To of a REGISTER, the From of a
  // proxied request); a different authenticated user gets 403. std::nullopt: anyone will do.
  [[nodiscard]] AuthDecision verify(const sip::Message& request, AuthHeaderKind kind, UnixSeconds now,
                                    std::optional<std::string_view> claimed_user = std::nullopt) const;

  // A challenge answer: fresh nonces for every configured algorithm.
  [[nodiscard]] AuthDecision challenge(AuthHeaderKind kind, UnixSeconds now, bool stale) const;

  [[nodiscard]] const VerifierConfig& config() const noexcept { return config_; }

 private:
  VerifierConfig config_;
  const NonceCodec& nonces_;
  const CredentialSource& credentials_;
};

}  // namespace trapezoid::auth
