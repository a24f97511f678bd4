// The registrar behind one worker's proxy core: REGISTERs for our domains arrive here
// (proxy::LocalRequestHandler) and are answered on their server transaction, or statelessly
// (§8.2.7) when the proxy takes REGISTER without one.
//
//   RegisterGlue glue(registrar, logger, "w0");
//   ProxyCore core(cfg, locations, env, glue, logger);
//   glue.attach(env);                 // where the responses go
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "proxy/local_request_handler.hpp"
#include "proxy/proxy_environment.hpp"
#include "registrar/registrar.hpp"
#include "sip/random_id.hpp"
#include "serve_logger.hpp"

namespace trapezoid::apps {

class ServerAuth;  // server_auth.hpp

class RegisterGlue final : public proxy::LocalRequestHandler {
 public:
  RegisterGlue(std::shared_ptr<const registrar::Registrar> registrar, ServeLogger& logger, std::string worker_name);
  // A configuration reload: REGISTERs from now on use `fresh` (the worker's thread).
  void set_registrar(std::shared_ptr<const registrar::Registrar> fresh) noexcept { registrar_ = std::move(fresh); }
  void attach(proxy::ProxyEnvironment& env) noexcept { env_ = &env; }
  // Digest authentication in front of the registrar (§10.3 steps 3-4); null: none.
  void set_auth(std::shared_ptr<const ServerAuth> auth) noexcept { auth_ = std::move(auth); }

  void on_register(const proxy::ReplyTo& reply, const sip::Message& request) override;

  // The To tag of a stateless answer to `request` (§8.2.7): the same for every copy of it.
  [[nodiscard]] static std::string stateless_tag(const sip::Message& request);

  // What a binding records as its source (Binding::received), or "" when the contact itself
  // is the way back. Streams: always the connection's far end, since a UA on TCP/TLS is
  // reached over the connection it registered on. UDP: only when the UA asked for symmetric
  // responses (RFC 3581 rport) and its Via's sent-by is not where the request came from (a
  // NAT rewrote it, as §18.2.1 detects for "received").
  [[nodiscard]] static std::string binding_source(const sip::Message& request, const transaction::Peer& source);

 private:
  // Answers the request itself when it is not authenticated; true when it did.
  bool refuse_unauthenticated(const proxy::ReplyTo& reply, const sip::Message& request, const std::string& tag);
  // On the transaction, or statelessly to where responses go (§18.2.2).
  void send(const proxy::ReplyTo& reply, std::string_view bytes);

  std::shared_ptr<const registrar::Registrar> registrar_;
  std::shared_ptr<const ServerAuth> auth_;
  ServeLogger& logger_;
  std::string worker_name_;
  proxy::ProxyEnvironment* env_ = nullptr;
  sip::SystemRandomSource random_;
};

}  // namespace trapezoid::apps
