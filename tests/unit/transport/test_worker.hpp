// Test helpers for the socket tests: a worker on its own thread and a handler that records
// (and optionally answers) what arrives, with bounded waits.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sip/parser.hpp"
#include "sip/response.hpp"
#include "transport/response_route.hpp"
#include "transport/worker.hpp"

namespace trapezoid::transport::testing {

using namespace std::chrono_literals;

struct Received {
  sip::Message msg;
  Source from;
};

// Records messages and errors; with `answer` set, answers each request with a 200 routed by
// RFC 3261 §18.2.2 (over the request's connection for TCP).
class Recorder final : public MessageHandler, public Logger {
 public:
  TransportWorker* answer = nullptr;

  void on_message(sip::Message&& msg, const Source& from) override {
    if (answer != nullptr && msg.is_request()) {
      sip::BuildResult r = sip::make_response(msg, 200, {}, "t1");
      sip::Message resp;
      ResponseRoute route;
      if (r.ok() && sip::parse_datagram(r.bytes, resp).ok() && route_response(resp, from.connection, route))
        if (auto t = route.target()) answer->send(r.bytes, *t);
    }
    std::lock_guard lock(mutex_);
    received_.push_back(Received{std::move(msg), from});
    cv_.notify_all();
  }
  void on_transport_error(const Target& to, std::error_code ec) override {
    std::lock_guard lock(mutex_);
    errors_.emplace_back(to, ec);
    cv_.notify_all();
  }
  void log(LogLevel, std::string_view line) override {
    std::lock_guard lock(mutex_);
    lines_.emplace_back(line);
    cv_.notify_all();
  }

  // Waits (bounded) until `n` messages arrived; returns whether they did.
  bool wait_messages(std::size_t n, std::chrono::milliseconds timeout = 3s) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [&] { return received_.size() >= n; });
  }
  bool wait_errors(std::size_t n, std::chrono::milliseconds timeout = 3s) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [&] { return errors_.size() >= n; });
  }
  bool wait_log(std::string_view part, std::chrono::milliseconds timeout = 3s) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [&] {
      for (const auto& l : lines_)
        if (l.find(part) != std::string::npos) return true;
      return false;
    });
  }
  // How many log lines so far contain `part`.
  std::size_t log_count(std::string_view part) {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& l : lines_)
      if (l.find(part) != std::string::npos) ++n;
    return n;
  }
  // Access after the waits; the worker may still append.
  std::vector<Received> take() {
    std::lock_guard lock(mutex_);
    return std::move(received_);
  }
  std::size_t error_count() {
    std::lock_guard lock(mutex_);
    return errors_.size();
  }
  std::vector<std::pair<Target, std::error_code>> errors() {
    std::lock_guard lock(mutex_);
    return errors_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<Received> received_;
  std::vector<std::pair<Target, std::error_code>> errors_;
  std::vector<std::string> lines_;
};

// Polls `pred` until it holds or the timeout passes.
template <class Pred>
bool eventually(Pred&& pred, std::chrono::milliseconds timeout = 3s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

inline WorkerConfig loopback_config() {
  WorkerConfig c;
  c.port = 0;
  c.first_message_timeout = 5s;
  c.idle_timeout = 5s;
  c.connect_timeout = 2s;
  return c;
}

// A started worker running on its own thread; stopped and joined on destruction.
class RunningWorker {
 public:
  explicit RunningWorker(Recorder& rec, WorkerConfig config = loopback_config(), bool answer = true)
      : worker(std::move(config), rec, rec) {
    if (answer) rec.answer = &worker;
    start_error = worker.start();
    if (!start_error) thread_ = std::thread([this] { worker.run(); });
  }
  ~RunningWorker() {
    worker.stop();
    if (thread_.joinable()) thread_.join();
  }
  Endpoint local(TransportKind kind, bool v6) const {
    for (const Endpoint& e : worker.local_endpoints())
      if (e.transport == kind && e.address.is_v6() == v6) return e;
    return {};
  }

  TransportWorker worker;
  std::error_code start_error;

 private:
  std::thread thread_;
};

}  // namespace trapezoid::transport::testing
