// One worker's transaction layer on its transport worker: the glue between the §17 state
// machines (which take time as an argument) and the sockets and event loop (which have a
// clock). Received messages go into the layer with now = steady_clock::now(); the layer's
// sends go out through the transport; transport failures come back as transport errors
// (§17.1.4, §17.2.4); and the worker's wake-up timer is kept at the layer's next deadline.
//
//   SipWorker w(transport_config, core, logger, timers);   // core: a TransactionUser
//   if (std::error_code ec = w.start()) die(ec.message());
//   std::thread t([&] { w.run(); });
//   // in core.on_request(tx, req), on the worker's thread:
//   w.respond(tx, sip::make_response(req, 200, {}, tag).bytes);
//   w.stop(); t.join();
//
// Everything but start(), run(), stop(), post() and local_endpoints() is for the worker's
// thread (the TU's callbacks run there; other threads post()).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string_view>
#include <system_error>
#include <vector>

#include "transaction/transaction_layer.hpp"
#include "transaction/transaction_user.hpp"
#include "transport/handler.hpp"
#include "transport/worker.hpp"

namespace trapezoid::transaction {

class SipWorker final : private transport::MessageHandler, private MessageSender {
 public:
  // `user` and `logger` must outlive the worker.
  SipWorker(transport::WorkerConfig config, TransactionUser& user, transport::Logger& logger,
            TimerConfig timers = {});
  ~SipWorker() override;
  SipWorker(const SipWorker&) = delete;
  SipWorker& operator=(const SipWorker&) = delete;

  // As TransportWorker: bind, run the loop on the calling thread, end it from any thread.
  [[nodiscard]] std::error_code start();
  void run();
  void stop();
  void post(std::function<void()> fn);
  [[nodiscard]] std::vector<transport::Endpoint> local_endpoints() const;

  // The layer calls with the clock read and the wake-up re-armed afterwards.
  bool respond(TransactionId server_tx, std::string_view response_bytes);
  std::optional<TransactionId> send_request(std::string_view request_bytes, const Peer& destination);

  // Direct access for what the wrappers lack (find_cancelled, request, ...). After calling a
  // method that takes `now` from outside a TU callback, call rearm().
  [[nodiscard]] TransactionLayer& layer() noexcept { return layer_; }
  // Sets the wake-up to the layer's next deadline (a no-op inside a layer call: the outermost
  // one re-arms when it returns).
  void rearm();

  [[nodiscard]] static TimePoint now() noexcept { return std::chrono::steady_clock::now(); }

 private:
  class Busy;

  // transport::MessageHandler
  void on_message(sip::Message&& msg, const transport::Source& from) override;
  void on_transport_error(const transport::Target& to, std::error_code error) override;
  // MessageSender
  bool send(const Peer& peer, std::string_view bytes) override;

  void wake();

  TransactionLayer layer_;
  transport::TransportWorker transport_;  // after layer_: torn down first
  std::optional<TimePoint> armed_;       // the wake-up's deadline, when one is set
  int depth_ = 0;                         // nested calls into the layer
  bool sending_ = false;                  // inside send(): errors are that send's
  bool send_failed_ = false;
  bool closing_ = false;                  // being destroyed: no more calls into the layer
};

}  // namespace trapezoid::transaction
