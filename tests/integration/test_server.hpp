// A small transaction user on a real SipWorker, for the integration tests: it answers OPTIONS
// with 200; INVITE with 180, then 486 unless the Request-URI's user is "ring" (then it waits
// for a CANCEL); CANCEL per RFC 3261 §9.2 (200 to the CANCEL, 487 to the INVITE); anything
// else with 501. It counts what reached it (requests by method, responses by status), and can
// send requests (to see their responses and transport errors). Listens on 127.0.0.1, UDP and
// TCP on one ephemeral port.
#pragma once

#include "loopback_worker_config.hpp"

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>

#include "sip/response.hpp"
#include "transaction/sip_worker.hpp"
#include "transport/handler.hpp"

namespace trapezoid::integration {

class TestServer final : public transaction::TransactionUser, public transport::Logger {
 public:
  // With `directory`: worker `index` of a server's stream directory (TransportWorker::join).
  explicit TestServer(transaction::TimerConfig timers = {}, transport::StreamDirectory* directory = nullptr,
                      unsigned index = 0)
      : worker_(config(), *this, *this, timers) {
    if (directory != nullptr) worker_.join(*directory, index);
    start_error = worker_.start();
    if (!start_error) thread_ = std::thread([this] { worker_.run(); });
  }
  ~TestServer() override {
    worker_.stop();
    if (thread_.joinable()) thread_.join();
  }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  [[nodiscard]] transport::Endpoint local(transport::TransportKind kind) const {
    for (const transport::Endpoint& e : worker_.local_endpoints())
      if (e.transport == kind) return e;
    return {};
  }
  // How many new requests with this method reached the TU.
  [[nodiscard]] int requests(const std::string& method) {
    std::lock_guard lock(mutex_);
    return counts_[method];
  }

  // Any thread: starts a client transaction on the worker's thread (its failures are counted).
  void send_request(std::string bytes, const transaction::Peer& to) {
    worker_.post([this, b = std::move(bytes), to] { (void)worker_.send_request(b, to); });
  }
  [[nodiscard]] int transport_errors() {
    std::lock_guard lock(mutex_);
    return transport_errors_;
  }
  // How many responses with this status reached the TU (for its own client transactions).
  [[nodiscard]] int responses(int status) {
    std::lock_guard lock(mutex_);
    return response_counts_[status];
  }

  std::error_code start_error;

  // transaction::TransactionUser (on the worker's thread)
  void on_request(transaction::TransactionId tx, const sip::Message& req) override {
    {
      std::lock_guard lock(mutex_);
      ++counts_[std::string(req.method_name())];
    }
    switch (req.method()) {
      case sip::Method::kOptions:
        return answer(tx, req, 200);
      case sip::Method::kInvite:
        answer(tx, req, 180);
        if (!req.request_uri().starts_with("sip:ring@")) answer(tx, req, 486);
        return;
      case sip::Method::kCancel:
        return cancel(tx, req);
      case sip::Method::kAck:
        return;  // the ACK of a 2xx (RFC 6026 §8.7): nothing to do here
      default:
        return answer(tx, req, 501);
    }
  }
  void on_response(transaction::TransactionId, const sip::Message& response) override {
    std::lock_guard lock(mutex_);
    ++response_counts_[response.status_code()];
  }
  void on_stray_ack(const sip::Message&, const transaction::Peer&) override {}
  void on_stray_response(const sip::Message&, const transaction::Peer&) override {}
  void on_timeout(transaction::TransactionId) override {}
  void on_transport_error(transaction::TransactionId) override {
    std::lock_guard lock(mutex_);
    ++transport_errors_;
  }

  // transport::Logger
  void log(transport::LogLevel, std::string_view) override {}

 private:
  static transport::WorkerConfig config() { return loopback_worker_config(); }
  static std::string tag(transaction::TransactionId tx) { return "srv" + std::to_string(tx); }

  void answer(transaction::TransactionId tx, const sip::Message& req, int status) {
    sip::BuildResult r = sip::make_response(req, status, {}, tag(tx));
    if (r.ok()) worker_.respond(tx, r.bytes);
  }
  // RFC 3261 §9.2: 200 to the CANCEL, then 487 to the INVITE it matches; 481 when none does.
  void cancel(transaction::TransactionId tx, const sip::Message& req) {
    const std::optional<transaction::TransactionId> invite = worker_.layer().find_cancelled(tx);
    if (!invite) return answer(tx, req, 481);
    answer(tx, req, 200);
    if (const sip::Message* original = worker_.layer().request(*invite)) answer(*invite, *original, 487);
  }

  transaction::SipWorker worker_;
  std::thread thread_;
  std::mutex mutex_;
  std::map<std::string, int> counts_;
  std::map<int, int> response_counts_;
  int transport_errors_ = 0;
};

}  // namespace trapezoid::integration
