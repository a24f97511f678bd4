#include "proxy/sip_worker_environment.hpp"

#include <chrono>
#include <utility>

namespace trapezoid::proxy {

bool SipWorkerEnvironment::respond(TransactionId server_tx, std::string_view response_bytes) {
  return worker_->respond(server_tx, response_bytes);
}

bool SipWorkerEnvironment::respond(TransactionId server_tx, const transaction::OutgoingResponse& response) {
  return worker_->respond(server_tx, response);
}

std::optional<TransactionId> SipWorkerEnvironment::send_request(std::string_view request_bytes,
                                                                const Peer& destination) {
  return worker_->send_request(request_bytes, destination);
}

bool SipWorkerEnvironment::send_stateless(std::string_view bytes, const Peer& destination) {
  return worker_->send_stateless(bytes, destination);
}

void SipWorkerEnvironment::abandon(TransactionId client_tx) { worker_->abandon(client_tx); }

const transaction::TransactionLayer& SipWorkerEnvironment::layer() const { return worker_->layer(); }

std::vector<transport::Endpoint> SipWorkerEnvironment::local_endpoints() const { return worker_->local_endpoints(); }

TimePoint SipWorkerEnvironment::now() const { return transaction::SipWorker::now(); }

registrar::UnixSeconds SipWorkerEnvironment::unix_now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

TimerHandle SipWorkerEnvironment::schedule(TimePoint when, std::function<void()> fn) {
  return worker_->schedule(when, std::move(fn));
}

void SipWorkerEnvironment::cancel(TimerHandle handle) { worker_->cancel_timer(handle); }

}  // namespace trapezoid::proxy
