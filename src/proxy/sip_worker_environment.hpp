// The proxy core's environment on a real worker: the SipWorker's transaction layer, its
// stateless send and its TU timers (on the worker's one wake-up), and the system clocks.
//
//   SipWorkerEnvironment env;
//   ProxyCore core(cfg, locator, env, registrar_glue, logger);
//   SipWorker worker(transport_cfg, core, logger, timers);   // the core is its TU
//   env.attach(worker);                                      // before worker.start()
#pragma once

#include "proxy/proxy_environment.hpp"
#include "transaction/sip_worker.hpp"

namespace trapezoid::proxy {

class SipWorkerEnvironment final : public ProxyEnvironment {
 public:
  SipWorkerEnvironment() = default;
  explicit SipWorkerEnvironment(transaction::SipWorker& worker) : worker_(&worker) {}

  // The worker to act on (it is built after the core, which it needs as its TU). Must outlive
  // this environment's use.
  void attach(transaction::SipWorker& worker) noexcept { worker_ = &worker; }

  bool respond(TransactionId server_tx, std::string_view response_bytes) override;
  bool respond(TransactionId server_tx, const transaction::OutgoingResponse& response) override;
  [[nodiscard]] std::uint32_t tls_name_id(std::string_view name) override { return worker_->tls_name_id(name); }
  std::optional<TransactionId> send_request(std::string_view request_bytes, const Peer& destination) override;
  bool send_stateless(std::string_view bytes, const Peer& destination) override;
  void abandon(TransactionId client_tx) override;
  [[nodiscard]] const transaction::TransactionLayer& layer() const override;
  [[nodiscard]] std::vector<transport::Endpoint> local_endpoints() const override;
  [[nodiscard]] TimePoint now() const override;
  [[nodiscard]] registrar::UnixSeconds unix_now() const override;
  TimerHandle schedule(TimePoint when, std::function<void()> fn) override;
  void cancel(TimerHandle handle) override;

 private:
  transaction::SipWorker* worker_ = nullptr;
};

}  // namespace trapezoid::proxy
