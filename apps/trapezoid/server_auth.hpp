// Digest authentication as `trapezoid serve` applies it ([auth] in the configuration): who
// must authenticate, as whom, and the answer when they have not. Shared by every worker
// (const, thread-safe); a reload builds a new one.
//
//   ServerAuth auth(settings, nonces, subscribers, locations);
//   if (std::optional<auth::AuthDecision> no = auth.check_register(req, now)) answer(*no);
//   proxy::AuthorizationVerdict v = auth.check_proxied(req, now);   // status 0: route it
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "auth/credential_source.hpp"
#include "auth/nonce.hpp"
#include "auth/verifier.hpp"
#include "proxy/request_authorizer.hpp"
#include "registrar/locator.hpp"
#include "sip/message.hpp"

namespace trapezoid::apps {

struct ServerAuthSettings {
  auth::VerifierConfig verifier;
  bool check_register = true;               // §10.3 step 3
  bool check_proxied = true;                // §22.3
  bool allow_third_party_register = false;  // §10.3 step 4
};

class ServerAuth {
 public:
  // `nonces`, `credentials` and `locator` are shared with the workers and must outlive every
  // use; the locator says which From domains are ours.
  ServerAuth(ServerAuthSettings settings, std::shared_ptr<const auth::NonceCodec> nonces,
             std::shared_ptr<const auth::CredentialSource> credentials, const registrar::Locator& locator);

  // A REGISTER for one of our domains: std::nullopt when it may go on to the registrar, else
  // the 401, 400 or 403 to answer. The authenticated user must be the user of the To AoR
  // unless third-party registration is allowed (§10.3 step 4).
  [[nodiscard]] std::optional<auth::AuthDecision> check_register(const sip::Message& request,
                                                                 auth::UnixSeconds now) const;

  // An out-of-dialog request the proxy is about to route: challenged with 407 when its From is
  // in one of our domains (our users must prove who they are; a foreign domain's users
  // calling ours cannot have credentials here, §22.3), and the authenticated user must be the
  // From's user (else 403).
  [[nodiscard]] proxy::AuthorizationVerdict check_proxied(const sip::Message& request, auth::UnixSeconds now) const;

  [[nodiscard]] const ServerAuthSettings& settings() const noexcept { return settings_; }

 private:
  ServerAuthSettings settings_;
  std::shared_ptr<const auth::NonceCodec> nonces_;
  std::shared_ptr<const auth::CredentialSource> credentials_;
  const registrar::Locator& locator_;
  auth::DigestVerifier verifier_;
};

// The headers of a decision's response: one WWW-/Proxy-Authenticate field per challenge.
[[nodiscard]] proxy::AuthorizationVerdict to_verdict(const auth::AuthDecision& decision);

// One worker's view of the current ServerAuth, for its proxy core (reloads swap it on the
// worker's thread).
class ProxyAuthorizer final : public proxy::RequestAuthorizer {
 public:
  explicit ProxyAuthorizer(std::shared_ptr<const ServerAuth> auth) : auth_(std::move(auth)) {}
  void set_auth(std::shared_ptr<const ServerAuth> fresh) noexcept { auth_ = std::move(fresh); }
  [[nodiscard]] proxy::AuthorizationVerdict authorize(const sip::Message& request,
                                                      registrar::UnixSeconds now) override;

 private:
  std::shared_ptr<const ServerAuth> auth_;  // null: authentication is off
};

}  // namespace trapezoid::apps
