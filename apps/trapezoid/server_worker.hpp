// One worker of `trapezoid serve`: its sockets and transactions (SipWorker), the proxy core
// that is their transaction user, and the registrar glue behind it. Built and started on the
// main thread; run() on its own thread; everything else reaches it through post().
//
//   ServerWorker w(0, transport_cfg, timers, proxy_cfg, dns_cfg, locations, registrar, logger);
//   if (auto ec = w.start()) die(ec.message());
//   if (std::string err; !w.start_dns(err)) die(err);
//   std::thread t([&] { w.run(); });
//   w.stop(); t.join();
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "dns/resolver_config.hpp"
#include "proxy/proxy_config.hpp"
#include "sip/message.hpp"
#include "registrar/location_service.hpp"
#include "registrar/registrar.hpp"
#include "register_glue.hpp"
#include "serve_logger.hpp"
#include "transaction/timer_config.hpp"
#include "transport/endpoint.hpp"
#include "transport/worker.hpp"

namespace trapezoid::apps {

class ServerAuth;  // server_auth.hpp

class ServerWorker {
 public:
  ServerWorker(unsigned index, transport::WorkerConfig transport, transaction::TimerConfig timers,
               proxy::ProxyConfig proxy, dns::ResolverConfig dns, const registrar::LocationService& locations,
               std::shared_ptr<const registrar::Registrar> registrar, ServeLogger& logger,
               std::shared_ptr<const ServerAuth> auth = nullptr);
  ~ServerWorker();
  ServerWorker(const ServerWorker&) = delete;
  ServerWorker& operator=(const ServerWorker&) = delete;

  // Before start(): worker `index` of the server's stream directory (see TransportWorker::join):
  // a request for a far end whose connection another worker owns is written on it there.
  void join(transport::StreamDirectory& directory);
  [[nodiscard]] std::error_code start();
  // After start(): the worker's DNS client (RFC 3263) on its event loop, for the transports
  // and address families it listens on. false and `error` when c-ares cannot be set up.
  [[nodiscard]] bool start_dns(std::string& error);
  void run();
  void stop();
  void post(std::function<void()> fn);
  [[nodiscard]] std::vector<transport::Endpoint> local_endpoints() const;

  // Responses received here for another worker's transactions go to that worker (see
  // set_response_router); `route` returns true when it took the message.
  void set_response_router(std::function<bool(sip::Message&, const transport::Source&)> route);
  // Handles a message another worker received (any thread: posted to this worker's).
  void deliver(sip::Message&& msg, const transport::Source& from);
  // Starts refusing new out-of-dialog requests with 503 (shutdown).
  void drain();
  // A configuration reload (any thread: applied on the worker's).
  void reload(std::shared_ptr<const registrar::Registrar> registrar, const proxy::ProxyConfig& proxy);
  // Digest authentication from now on (null: off), for REGISTER and proxied requests alike
  // (any thread: applied on the worker's).
  void set_auth(std::shared_ptr<const ServerAuth> auth);

  // Proxied requests still waiting for a final response, as last counted on the worker's
  // thread (refresh_counts()).
  [[nodiscard]] std::size_t in_flight() const noexcept { return in_flight_.load(std::memory_order_relaxed); }
  // Asks the worker's thread to count again.
  void refresh_counts();

 private:
  struct Parts;
  unsigned index_;
  std::unique_ptr<Parts> parts_;
  std::atomic<std::size_t> in_flight_{0};
};

}  // namespace trapezoid::apps
