// The registrar (RFC 3261 §10.3): answers a REGISTER and updates the location service.
//
//   LocationService bindings({.domains = {"biloxi.com"}}, &store_sink);
//   Registrar registrar(RegistrarConfig{}, bindings);
//   sip::Verdict v = sip::validate_request(msg, registrar.validation_policy());
//   if (!v.ok()) { ...answer v.status...; return; }
//   RegisterOutcome out = registrar.handle(msg, {.now = unix_now, .source = "udp:192.0.2.4:5060",
//                                                .to_tag = sip::make_tag(random)});
//   send(out.response);                  // 200, or 400/403/404/420/423/500 ...
//
// handle() expects a REGISTER that passed sip::validate_request with validation_policy() (the
// caller answers the failures it reports), but checks again what it relies on and answers
// anything else with a response rather than misbehaving. It is const and thread-safe: any
// number of workers may call it at once.
//
// What it does, step by step (§10.3):
//  1. The Request-URI's host must be one of ours (LocationService::is_local_domain); otherwise
//     foreign_domain_status. (A server that also proxies would forward instead; that decision
//     belongs to the caller, which sees the same is_local_domain.)
//  2. Require: any option tag but "path" (when supported) -> 420 with Unsupported. RFC 3327
//     §5.3: a Path from a UA that does not list "path" in Supported -> 420, Unsupported: path
//     (the RFC's recommended policy, so that a UA notices a proxy that added Path unasked).
//  3. Authentication (§22) is not done here: with [auth] on, the server runs the digest check
//     (src/auth, apps/trapezoid/server_auth.hpp) before calling handle() and answers 401
//     itself; only an authenticated request reaches here.
//  4. Authorization of the authenticated user for the AoR: done there too (403 unless the
//     authenticated user is the To's user, or third-party registration is allowed).
//  5. The AoR is the canonical To URI (aor.hpp): not SIP/SIPS -> 400; a host that is not one of
//     ours -> 404.
//  6-7. Contacts read and checked (register_request.hpp: 400, 423 with Min-Expires), then
//     applied as one step under the AoR's lock (binding_plan.hpp: 500 out of order, 403 too
//     many contacts). A failure leaves the AoR's bindings as they were.
//  8. 200 with a Contact for every current binding (";expires=" its remaining seconds, ";q="
//     when it has one, "+sip.instance" when it has one), Date (§10.3 step 8 SHOULD), the
//     request's Path values (RFC 3327 §5.3) and Supported: path. No Record-Route (§10.3).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "registrar/binding.hpp"
#include "registrar/location_service.hpp"
#include "registrar/register_request.hpp"
#include "sip/message.hpp"
#include "sip/message_builder.hpp"
#include "sip/validate.hpp"

namespace trapezoid::registrar {

struct RegistrarConfig {
  std::uint32_t default_expires = 3600;
  std::uint32_t min_expires = 60;      // 423 below this (§10.3 step 7)
  std::uint32_t max_expires = 86400;   // longer requests are granted this
  std::size_t max_contacts_per_aor = 10;  // 0: no limit
  int foreign_domain_status = 404;     // 404 (Not Found) or 403 (Forbidden)
  bool support_path = true;            // RFC 3327
  bool path_needs_ua_support = true;   // RFC 3327 §5.3: Path without Supported: path -> 420
};

// Why a configuration cannot be used ("" when it can): a foreign_domain_status other than
// 403/404, or min_expires above max_expires.
[[nodiscard]] std::string registrar_config_error(const RegistrarConfig& config);

// What the server knows about the request besides its bytes.
struct RegisterContext {
  UnixSeconds now = 0;
  std::string_view source;  // for Binding::received: "udp:192.0.2.4:5060", "tcp:[::1]:5061", ...
  std::string_view to_tag;  // the To-tag of the response (a token, e.g. sip::make_tag)
  // The request is answered without a server transaction (§8.2.7), so its retransmissions
  // reach handle() too: a copy of the request that wrote a binding (the same Call-ID and CSeq,
  // within kRetransmissionWindow of the write) applies nothing and gets a 200 again, instead
  // of the 500 a stale CSeq gets (§10.3 step 7).
  bool stateless = false;
};

// How long after a REGISTER a copy of it may still arrive: Timer J's 64*T1 with T1 = 500 ms
// (§17.2.2), the time a stateful registrar would absorb retransmissions.
inline constexpr UnixSeconds kRetransmissionWindow = 32;

struct RegisterOutcome {
  int status = 0;           // the response's status; 0 when no response can be built
  std::string_view reason;  // its reason phrase, or why nothing was built (static storage)
  std::string response;     // the response bytes; empty when building failed (see build_error)
  sip::BuildError build_error = sip::BuildError::kNone;
  std::string aor;          // the canonical AoR, once step 5 ran
  std::vector<BindingChange> changes;  // what the request (and reaping expired ones) changed
};

class Registrar {
 public:
  // `config` should pass registrar_config_error(); a foreign_domain_status other than 403 is
  // treated as 404. `bindings` must outlive the Registrar.
  Registrar(RegistrarConfig config, LocationService& bindings);
  Registrar(const Registrar&) = delete;
  Registrar& operator=(const Registrar&) = delete;

  [[nodiscard]] RegisterOutcome handle(const sip::Message& request, const RegisterContext& context) const;

  // The policy to validate REGISTERs with: Role::kRegistrar and the option tags supported here.
  [[nodiscard]] sip::ValidationPolicy validation_policy() const noexcept;

  [[nodiscard]] const RegistrarConfig& config() const noexcept { return config_; }

 private:
  RegistrarConfig config_;
  LocationService& bindings_;
};

}  // namespace trapezoid::registrar
