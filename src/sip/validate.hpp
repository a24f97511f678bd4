// The checks a UAS, proxy or registrar applies to a parsed message before anything else
// (RFC 3261 §8.2, §16.3, §10.3), each mapped to the response a server sends.
//
//   Verdict v = validate_request(msg, policy);
//   if (!v.ok()) reply(v.status, v.reason);   // e.g. 400 "Malformed Via", 505, 416, 420
//
// For a response, validate_response() says whether it is well formed; an invalid response is
// dropped (§17.1.3 has no way to answer it), so its Verdict carries the reason only.
#pragma once

#include <span>
#include <string_view>

#include "sip/message.hpp"

namespace trapezoid::sip {

// Which element judges the request: checks differ by role (Require is a UAS matter, Proxy-Require
// a proxy's, Max-Forwards 0 stops a proxy but not a UAS).
enum class Role : unsigned char { kUas, kProxy, kRegistrar };

struct ValidationPolicy {
  Role role = Role::kUas;
  // Option tags this element supports (Require for a UAS/registrar, Proxy-Require for a proxy).
  std::span<const std::string_view> supported_extensions = {};
  // Body types a UAS accepts (415 otherwise, §8.2.3); empty accepts any.
  std::span<const std::string_view> accepted_content_types = default_accepted_types();
  // The body type this UAS would answer INVITE with; 406 when the request's Accept excludes it.
  std::string_view answer_content_type = "application/sdp";

  static std::span<const std::string_view> default_accepted_types() noexcept;
};

struct [[nodiscard]] Verdict {
  int status = 0;            // 0: acceptable; else the response to send (or why it is dropped)
  std::string_view reason;   // reason phrase naming the problem (static storage)
  std::string_view detail;   // for 420: the unsupported option tag; a view into the message
  [[nodiscard]] bool ok() const noexcept { return status == 0; }
};

// Syntax only (§16.3 step 1 "reasonable syntax", §8.2 before method inspection): version (505),
// Request-URI, mandatory headers, single-value headers not repeated, typed header syntax (400).
// A request that passes is well formed, whatever an element then decides about it.
Verdict validate_syntax(const Message& msg);
// Syntax, then the role's checks (416, 501, 420, 415, 406, 483, registrar rules).
Verdict validate_request(const Message& msg, const ValidationPolicy& policy = {});
// status 0 when the response is well formed; otherwise status is 400 and reason says why
// (a client drops such a response).
Verdict validate_response(const Message& msg);

}  // namespace trapezoid::sip
