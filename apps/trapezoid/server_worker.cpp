#include "server_worker.hpp"

#include "proxy/dns_target_resolver.hpp"
#include "proxy/proxy_core.hpp"
#include "proxy/sip_worker_environment.hpp"
#include "server_auth.hpp"
#include "transaction/sip_worker.hpp"

namespace trapezoid::apps {

// Built in dependency order: the environment and the glue first, the proxy core (which needs
// both) next, then the SipWorker that calls the core; the environment and glue are attached
// to the worker last. The DNS client lives on the worker's event loop: it is set up once the
// worker is bound and dropped before the worker goes.
struct ServerWorker::Parts {
  Parts(unsigned index, transport::WorkerConfig transport, transaction::TimerConfig timers,
        proxy::ProxyConfig proxy_config, dns::ResolverConfig dns, const registrar::LocationService& locations,
        std::shared_ptr<const registrar::Registrar> registrar, ServeLogger& logger,
        std::shared_ptr<const ServerAuth> auth)
      : dns_config(std::move(dns)),
        glue(std::move(registrar), logger, "w" + std::to_string(index)),
        authorizer(auth),
        core(std::move(proxy_config), locations, env, glue, logger, &resolver),
        worker(std::move(transport), core, logger, timers) {
    env.attach(worker);
    glue.attach(env);
    glue.set_auth(std::move(auth));
    core.set_authorizer(&authorizer);
  }
  ~Parts() { resolver.detach(); }
  Parts(const Parts&) = delete;
  Parts& operator=(const Parts&) = delete;

  dns::ResolverConfig dns_config;
  proxy::SipWorkerEnvironment env;
  proxy::DnsTargetResolver resolver;
  RegisterGlue glue;
  ProxyAuthorizer authorizer;
  proxy::ProxyCore core;
  transaction::SipWorker worker;
};

ServerWorker::ServerWorker(unsigned index, transport::WorkerConfig transport, transaction::TimerConfig timers,
                           proxy::ProxyConfig proxy, dns::ResolverConfig dns,
                           const registrar::LocationService& locations,
                           std::shared_ptr<const registrar::Registrar> registrar, ServeLogger& logger,
                           std::shared_ptr<const ServerAuth> auth)
    : index_(index),
      parts_(std::make_unique<Parts>(index, std::move(transport), timers, std::move(proxy), std::move(dns), locations,
                                     std::move(registrar), logger, std::move(auth))) {}

ServerWorker::~ServerWorker() = default;

void ServerWorker::join(transport::StreamDirectory& directory) { parts_->worker.join(directory, index_); }

std::error_code ServerWorker::start() { return parts_->worker.start(); }

bool ServerWorker::start_dns(std::string& error) {
  if (!parts_->resolver.attach(parts_->worker.io_context(), parts_->dns_config, error)) return false;
  // RFC 3263 §4.1: NAPTR and SRV records for transports or address families this server has
  // no socket for are skipped.
  dns::LocalTransports local{.udp = false, .tcp = false, .tls = false, .ipv4 = false, .ipv6 = false};
  for (const transport::Endpoint& e : parts_->worker.local_endpoints()) {
    if (e.transport == transport::TransportKind::kUdp) local.udp = true;
    if (e.transport == transport::TransportKind::kTcp) local.tcp = true;
    if (e.transport == transport::TransportKind::kTls) local.tls = true;
    (e.address.is_v6() ? local.ipv6 : local.ipv4) = true;
  }
  parts_->resolver.set_local_transports(local);
  return true;
}

void ServerWorker::run() { parts_->worker.run(); }
void ServerWorker::stop() { parts_->worker.stop(); }
void ServerWorker::post(std::function<void()> fn) { parts_->worker.post(std::move(fn)); }
std::vector<transport::Endpoint> ServerWorker::local_endpoints() const { return parts_->worker.local_endpoints(); }

void ServerWorker::refresh_counts() {
  post([this] { in_flight_.store(parts_->core.pending_count(), std::memory_order_relaxed); });
}

void ServerWorker::set_response_router(std::function<bool(sip::Message&, const transport::Source&)> route) {
  parts_->worker.set_response_router(std::move(route));
}

void ServerWorker::deliver(sip::Message&& msg, const transport::Source& from) {
  // std::function needs a copyable callable: the message travels in a shared_ptr.
  auto shared = std::make_shared<sip::Message>(std::move(msg));
  post([this, shared, from] { parts_->worker.deliver(std::move(*shared), from); });
}

void ServerWorker::reload(std::shared_ptr<const registrar::Registrar> registrar, const proxy::ProxyConfig& proxy) {
  post([this, registrar, proxy] {
    parts_->glue.set_registrar(registrar);
    parts_->core.update_settings(proxy);
  });
}

void ServerWorker::set_auth(std::shared_ptr<const ServerAuth> auth) {
  post([this, auth] {
    parts_->glue.set_auth(auth);
    parts_->authorizer.set_auth(auth);
  });
}

void ServerWorker::drain() {
  post([this] { parts_->core.set_draining(true); });
}

}  // namespace trapezoid::apps
