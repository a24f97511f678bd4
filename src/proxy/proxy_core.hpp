// The proxy core of one worker (RFC 3261 §16): the transaction user that validates requests
// (§16.3), preprocesses their Route (§16.4), finds their targets through the location service
// (§16.5), forwards them on client transactions, forking by q (§16.6), picks and passes back
// the responses (§16.7), runs Timer C (§16.8) and CANCEL (§16.10), and forwards the ACK of a
// 2xx and stray responses statelessly (§16.11). In redirect mode it is the §8.3 redirect
// server instead. REGISTER for a local domain goes to the LocalRequestHandler.
//
//   ProxyConfig cfg;  cfg.branch_tag = "w0";
//   SipWorkerEnvironment env;                         // or a test environment
//   ProxyCore core(cfg, locator, env, registrar_glue, logger);
//   SipWorker worker(transport_cfg, core, logger);    // the core is the worker's TU
//   env.attach(worker);
//
// Shared-nothing: one core per worker thread, no locks; every call comes on that thread.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "proxy/branch_id.hpp"
#include "proxy/local_request_handler.hpp"
#include "proxy/proxy_config.hpp"
#include "proxy/proxy_environment.hpp"
#include "proxy/proxy_identity.hpp"
#include "proxy/request_authorizer.hpp"
#include "proxy/response_context.hpp"
#include "proxy/route_set.hpp"
#include "proxy/target_resolver.hpp"
#include "registrar/locator.hpp"
#include "sip/random_id.hpp"
#include "sip/response.hpp"
#include "transaction/transaction_user.hpp"
#include "transport/handler.hpp"

namespace trapezoid::proxy {

class ProxyCore final : public transaction::TransactionUser {
 public:
  // Everything passed by reference must outlive the core, and the core must outlive the
  // worker that calls it (its timers live in the environment). `config` is copied; it should
  // pass check_config(). `resolver` null: numeric hosts only (NumericResolver); it must
  // outlive the core or drop its pending answers when destroyed.
  ProxyCore(ProxyConfig config, const registrar::Locator& locator, ProxyEnvironment& env,
            LocalRequestHandler& local, transport::Logger& logger, TargetResolver* resolver = nullptr);
  ~ProxyCore() override;
  ProxyCore(const ProxyCore&) = delete;
  ProxyCore& operator=(const ProxyCore&) = delete;

  // transaction::TransactionUser
  void on_request(TransactionId tx, const sip::Message& request) override;
  bool on_stateless_request(const sip::Message& request, const Peer& reply_to) override;
  void on_response(TransactionId tx, const sip::Message& response) override;
  void on_stray_ack(const sip::Message& ack, const Peer& source) override;
  void on_stray_response(const sip::Message& response, const Peer& source) override;
  void on_timeout(TransactionId tx) override;
  void on_transport_error(TransactionId tx) override;
  void on_terminated(TransactionId tx) override;

  // Response contexts alive (forwarded requests whose transactions have not all ended).
  [[nodiscard]] std::size_t context_count() const noexcept { return contexts_.size(); }
  // Of those, the ones still waiting for a final response to send upstream: what a shutdown
  // waits for (the rest only absorb retransmissions).
  [[nodiscard]] std::size_t pending_count() const noexcept;
  // Shutting down: new requests outside a dialog get 503 with Retry-After (§21.5.4), so that
  // clients go elsewhere; requests within dialogs, CANCEL and ACK are still handled.
  void set_draining(bool draining) noexcept { draining_ = draining; }
  // A configuration reload: the settings that may change while running (mode, record_route,
  // recurse_on_3xx, timer_c); they apply from the next request (and Timer C from its next
  // arming).
  void update_settings(const ProxyConfig& fresh) noexcept {
    config_.mode = fresh.mode;
    config_.record_route = fresh.record_route;
    config_.recurse_on_3xx = fresh.recurse_on_3xx;
    config_.timer_c = fresh.timer_c;
  }
  [[nodiscard]] const ProxyConfig& config() const noexcept { return config_; }
  // Asked before an out-of-dialog request is routed or redirected (request_authorizer.hpp);
  // null (the default): every request is. Must outlive the core or be reset first.
  void set_authorizer(RequestAuthorizer* authorizer) noexcept { authorizer_ = authorizer; }

 private:
  class Entry;
  struct BranchRef {
    TransactionId server_tx = 0;
    std::size_t index = 0;
  };
  // Whether the transport failed a client transaction while send_request() was creating it,
  // before its id was known.
  struct StartWatch {
    bool failed = false;
  };

  // §16.3 and the dispatch of a new request.
  void handle_request(TransactionId tx, const sip::Message& request);
  [[nodiscard]] bool validate(TransactionId tx, const sip::Message& request);
  [[nodiscard]] bool is_loop(const sip::Message& request);
  void handle_cancel(TransactionId tx, const sip::Message& cancel);
  void answer_options(TransactionId tx, const sip::Message& request);
  void redirect(TransactionId tx, const sip::Message& request, std::string_view request_uri);
  void forward(TransactionId tx, const sip::Message& request, std::vector<std::string> routes,
               std::vector<Target> targets, bool retargeted);

  // §16.6: branches.
  void start_next_group(ResponseContext& ctx);
  void start_branch(ResponseContext& ctx, Target target);
  void on_resolved(TransactionId server_tx, std::size_t index, std::uint64_t resolution,
                   std::vector<transport::Target> destinations);
  void send_branch(ResponseContext& ctx, std::size_t index, std::vector<transport::Target> destinations);
  void fail_over(ResponseContext& ctx, std::size_t index, int status);
  void fail_branch(ResponseContext& ctx, std::size_t index, int status);
  void arm_timer_c(Branch& b);
  void stop_timers(Branch& b);
  void cancel_branch(Branch& b);
  void cancel_pending(ResponseContext& ctx);
  [[nodiscard]] bool record_routes(sip::Method method) const noexcept;

  // §16.7: responses.
  void on_branch_response(ResponseContext& ctx, std::size_t index, const sip::Message& response);
  void on_branch_done(ResponseContext& ctx);
  bool recurse(ResponseContext& ctx, const sip::Message& response);
  void send_best(ResponseContext& ctx);
  void forward_upstream(ResponseContext& ctx, const sip::Message& response);
  // `from`: the received response these bytes pass on (its status and To tag), if any.
  void send_upstream(ResponseContext& ctx, const std::string& bytes, const sip::Message* from = nullptr);
  void on_timer_c(TransactionId client_tx);
  void on_cancel_guard(TransactionId client_tx);

  // §16.11: stateless forwarding.
  void forward_ack(const sip::Message& ack);
  void send_ack(const sip::Message& ack, const NextHop& hop, int max_forwards, const transport::Target& destination);
  void forward_response(const sip::Message& response);
  // A response without a transaction, to its top Via (§18.2.2; RFC 3263 §5 for a name).
  void send_by_via(std::string_view bytes);

  // Responses this element makes itself.
  void respond(TransactionId tx, const sip::Message& request, int status, std::string_view reason = {},
               std::span<const sip::HeaderLine> headers = {});
  void respond_local(ResponseContext& ctx, int status);
  void log(std::string_view method, std::string_view request_uri, int status, std::size_t branches);

  [[nodiscard]] ResponseContext* context(TransactionId server_tx);
  [[nodiscard]] ResponseContext* context_of(TransactionId client_tx, std::size_t& index);
  void touch(TransactionId server_tx) { touched_.push_back(server_tx); }
  void release_finished();
  [[nodiscard]] const ProxyIdentity& me();

  ProxyConfig config_;
  std::string loop_mark_;  // how our branches begin: z9hG4bK, the branch tag, '.'
  const registrar::Locator& locator_;
  ProxyEnvironment& env_;
  LocalRequestHandler& local_;
  RequestAuthorizer* authorizer_ = nullptr;
  transport::Logger& logger_;
  NumericResolver numeric_;
  TargetResolver& resolver_;
  std::uint64_t resolutions_ = 0;  // numbers the DNS answers branches wait for
  ProxyIdentity identity_;
  sip::SystemRandomSource random_;
  BranchMaker branches_;
  std::vector<std::string_view> proxy_require_;  // views into config_

  std::unordered_map<TransactionId, std::unique_ptr<ResponseContext>> contexts_;
  std::unordered_map<TransactionId, BranchRef> branch_of_;
  StartWatch* watch_ = nullptr;
  std::vector<TransactionId> touched_;  // contexts to look at when the outermost call returns
  int depth_ = 0;
  bool draining_ = false;
};

}  // namespace trapezoid::proxy
