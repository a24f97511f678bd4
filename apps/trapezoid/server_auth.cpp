#include "server_auth.hpp"

#include "sip/name_addr.hpp"
#include "sip/uri.hpp"

namespace trapezoid::apps {
namespace {

// The user and host of the address in a From or To field; false when it is not a SIP/SIPS
// URI with a user (nobody to authenticate as).
bool address_user(const sip::Message& request, sip::HeaderId which, std::string& user, std::string& host) {
  const sip::HeaderField* field = request.find(which);
  if (field == nullptr) return false;
  sip::NameAddr address;
  if (!sip::parse_name_addr(field->value, address).empty()) return false;
  const sip::Uri& uri = address.parsed_uri;
  if (!uri.is_sip_or_sips() || !uri.has_user) return false;
  // §19.1.4: escaped and plain characters of a user part are the same user.
  std::optional<std::string> plain = sip::unescape(uri.user);
  if (!plain) return false;
  user = std::move(*plain);
  host = std::string(uri.host);
  return true;
}

}  // namespace

ServerAuth::ServerAuth(ServerAuthSettings settings, std::shared_ptr<const auth::NonceCodec> nonces,
                       std::shared_ptr<const auth::CredentialSource> credentials, const registrar::Locator& locator)
    : settings_(std::move(settings)),
      nonces_(std::move(nonces)),
      credentials_(std::move(credentials)),
      locator_(locator),
      verifier_(settings_.verifier, *nonces_, *credentials_) {}

std::optional<auth::AuthDecision> ServerAuth::check_register(const sip::Message& request,
                                                             auth::UnixSeconds now) const {
  if (!settings_.check_register) return std::nullopt;
  std::optional<std::string_view> claimed;
  std::string user, host;
  if (!settings_.allow_third_party_register) {
    // A To the registrar cannot read gets its 400 there; authenticate first all the same.
    if (address_user(request, sip::HeaderId::kTo, user, host)) claimed = user;
  }
  auth::AuthDecision d = verifier_.verify(request, auth::AuthHeaderKind::kServer, now, claimed);
  if (d.outcome == auth::AuthOutcome::kAuthenticated) return std::nullopt;
  return d;
}

proxy::AuthorizationVerdict ServerAuth::check_proxied(const sip::Message& request, auth::UnixSeconds now) const {
  if (!settings_.check_proxied) return {};
  std::string user, host;
  // Only our own users are asked to prove who they are: a From in a foreign domain (or one
  // without a user) is another domain's business.
  if (!address_user(request, sip::HeaderId::kFrom, user, host) || !locator_.is_local_domain(host)) return {};
  const auth::AuthDecision d = verifier_.verify(request, auth::AuthHeaderKind::kProxy, now, user);
  if (d.outcome == auth::AuthOutcome::kAuthenticated) return {};
  return to_verdict(d);
}

proxy::AuthorizationVerdict to_verdict(const auth::AuthDecision& decision) {
  proxy::AuthorizationVerdict v;
  v.status = decision.status;
  v.reason = std::string(decision.reason);
  for (const std::string& c : decision.challenges) v.headers.emplace_back(decision.challenge_header, c);
  return v;
}

proxy::AuthorizationVerdict ProxyAuthorizer::authorize(const sip::Message& request, registrar::UnixSeconds now) {
  if (!auth_) return {};
  return auth_->check_proxied(request, now);
}

}  // namespace trapezoid::apps
