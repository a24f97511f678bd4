// Where the proxy asks whether it may route a request at all (RFC 3261 §22.3: a proxy may
// demand credentials before it forwards). The server implements it with digest
// authentication; without one, every request is routed.
//
//   class Auth : public RequestAuthorizer {
//     AuthorizationVerdict authorize(const sip::Message& req, UnixSeconds now) override {
//       if (credentials_ok(req)) return {};
//       return {407, "Proxy Authentication Required", {{HeaderId::kProxyAuthenticate, challenge}}};
//     }
//   };
//   core.set_authorizer(&auth);
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "registrar/binding.hpp"
#include "sip/header_id.hpp"
#include "sip/message.hpp"

namespace trapezoid::proxy {

struct AuthorizationVerdict {
  int status = 0;      // 0: go on; otherwise the response to send instead (401, 403, 407, 400)
  std::string reason;  // its reason phrase; empty: the default one
  std::vector<std::pair<sip::HeaderId, std::string>> headers;  // e.g. Proxy-Authenticate
};

class RequestAuthorizer {
 public:
  virtual ~RequestAuthorizer() = default;
  // A new request outside any dialog, through the §16.3 checks, that the core is about to
  // route or redirect. Never called for ACK or CANCEL (§22.1: neither can be resent with
  // credentials), nor for requests inside a dialog, nor for a REGISTER the registrar takes.
  [[nodiscard]] virtual AuthorizationVerdict authorize(const sip::Message& request, registrar::UnixSeconds now) = 0;
};

}  // namespace trapezoid::proxy
