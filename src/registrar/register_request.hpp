// What RFC 3261 §10.3 steps 6 and 7 need from a REGISTER, read and checked once, before any
// binding is looked at: the contacts with the expiration interval granted to each, the
// Call-ID and CSeq that order requests, and what a binding records (Path, User-Agent).
//
//   RegisterRequest req;
//   RequestVerdict v = read_register(msg, {.policy = expiry, .request_uri_sips = false}, req);
//   if (v.status == 423) ...;   // add Min-Expires: expiry.min_expires
//   for (const RequestedContact& c : req.contacts) c.expires;   // 0 removes
//
// Views point into the message: keep it alive while the RegisterRequest is used.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sip/message.hpp"
#include "sip/uri.hpp"

namespace trapezoid::registrar {

// The registrar's expiration policy (§10.3 step 7).
struct ExpiryPolicy {
  std::uint32_t default_expires = 3600;  // when neither the contact nor the request says
  std::uint32_t min_expires = 60;        // shorter (and nonzero, and under an hour) -> 423
  std::uint32_t max_expires = 86400;     // longer -> clamped down to this
};

struct RequestedContact {
  std::string_view uri;       // the Contact URI as written, without < >
  sip::Uri parsed;            // `uri` parsed (any scheme: §10.2.1 allows them all)
  std::uint32_t expires = 0;  // the interval granted, in seconds; 0 removes the binding
  int q = -1;                 // thousandths, -1 when absent
  std::string instance;       // +sip.instance (RFC 5626 §4.1) without its quotes, or ""
};

struct RegisterRequest {
  bool wildcard = false;                  // "Contact: *" (with Expires: 0, checked)
  std::vector<RequestedContact> contacts; // in request order; empty for a query or wildcard
  std::string_view call_id;
  std::uint32_t cseq = 0;
  std::string path;                       // RFC 3327 Path values, ","-joined in order, or ""
  std::string_view user_agent;            // "" when absent
};

struct ReadOptions {
  ExpiryPolicy policy;
  bool read_path = true;          // the registrar supports RFC 3327 (else Path is ignored)
  bool request_uri_sips = false;  // the Request-URI is a SIPS URI (RFC 5630 §5.2)
};

struct RequestVerdict {
  int status = 0;           // 0, 400 or 423
  std::string_view reason;  // static storage
  [[nodiscard]] bool ok() const noexcept { return status == 0; }
};

// Reads `msg` into `out`. Errors:
// - 400 for a missing or malformed Call-ID, CSeq, Expires, Contact or Path;
// - 400 when "*" is not alone or Expires is not 0 (§10.3 step 6);
// - 400 when a contact is a SIPS URI but the Request-URI, another contact or a Path is not
//   (RFC 5630 §5.2: a secure contact is bound only over a secure path);
// - 423 when a contact's requested interval is nonzero, under an hour and under
//   policy.min_expires (§10.3 step 7); intervals above policy.max_expires are clamped.
[[nodiscard]] RequestVerdict read_register(const sip::Message& msg, const ReadOptions& options,
                                           RegisterRequest& out);

}  // namespace trapezoid::registrar
