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
// A TU that keeps timers of its own (a proxy's Timer C, §16.6 item 11) schedules them here:
// they share the one wake-up with the layer's timers.
//
//   SipWorker::TimerHandle h = w.schedule(SipWorker::now() + 181s, [&] { on_timer_c(); });
//   w.cancel_timer(h);
//
// Everything but start(), run(), stop(), post() and local_endpoints() is for the worker's
// thread (the TU's callbacks run there; other threads post()).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <unordered_map>
#include <utility>
#include <string>
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

  // As TransportWorker: join a server's stream directory (before start()), bind, run the loop
  // on the calling thread, end it from any thread.
  void join(transport::StreamDirectory& directory, unsigned index) { transport_.join(directory, index); }
  [[nodiscard]] std::error_code start();
  void run();
  void stop();
  void post(std::function<void()> fn);
  [[nodiscard]] std::vector<transport::Endpoint> local_endpoints() const;
  // The transport worker's event loop (other I/O on this worker's thread, e.g. DNS).
  [[nodiscard]] boost::asio::io_context& io_context() noexcept { return transport_.io_context(); }

  // The layer calls with the clock read and the wake-up re-armed afterwards.
  bool respond(TransactionId server_tx, std::string_view response_bytes);
  bool respond(TransactionId server_tx, const OutgoingResponse& response);
  std::optional<TransactionId> send_request(std::string_view request_bytes, const Peer& destination);
  // Bytes sent outside any transaction (a proxy forwarding an ACK for a 2xx or a stray 2xx
  // statelessly, §16.11). false when the transport failed at once; later failures are not
  // reported (no transaction waits for them).
  bool send_stateless(std::string_view bytes, const Peer& destination);
  // TransactionLayer::abandon, with the clock read.
  void abandon(TransactionId client_tx);

  // A number for `name` to put in Peer::tls_name: sends to that peer over TLS check the
  // server's certificate against the name (and send it as SNI) instead of the address. The
  // same name always gets the same number; a worker numbers at most kMaxTlsNames names, and
  // past that returns 0 (the address is checked, so a server known by name fails to verify).
  static constexpr std::size_t kMaxTlsNames = 4096;
  [[nodiscard]] std::uint32_t tls_name_id(std::string_view name);

  // A server with several workers hands each response to the worker whose client
  // transaction it answers (found by a tag the TU puts in its branches). The router sees every
  // received response first, on this worker's thread, and returns true when it took it.
  using ResponseRouter = std::function<bool(sip::Message& response, const transport::Source& from)>;
  void set_response_router(ResponseRouter router) { router_ = std::move(router); }
  // A message another worker received, handled as if it had arrived here (this worker's thread;
  // `msg` must own its bytes).
  void deliver(sip::Message&& msg, const transport::Source& from) { on_message(std::move(msg), from); }

  // The TU's own timers: `fn` runs on the worker's thread once `when` has passed, unless
  // cancelled first. Handles are never reused; cancelling a spent or unknown one does nothing.
  using TimerHandle = std::uint64_t;
  TimerHandle schedule(TimePoint when, std::function<void()> fn);
  void cancel_timer(TimerHandle handle);

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
  void run_tu_timers(TimePoint now);
  // Hands bytes to the transport, with the peer's TLS name when it has one.
  void transmit(std::string_view bytes, const Peer& peer);

  TransactionLayer layer_;
  transport::TransportWorker transport_;  // after layer_: torn down first
  std::optional<TimePoint> armed_;       // the wake-up's deadline, when one is set
  int depth_ = 0;                         // nested calls into the layer
  bool sending_ = false;                  // inside send(): errors are that send's
  bool send_failed_ = false;
  bool closing_ = false;                  // being destroyed: no more calls into the layer
  bool stateless_failed_ = false;         // an immediate failure of send_stateless()
  bool sending_stateless_ = false;
  // The TU's timers, earliest first, and each live handle's deadline (to find it to cancel).
  std::map<std::pair<TimePoint, TimerHandle>, std::function<void()>> tu_timers_;
  std::unordered_map<TimerHandle, TimePoint> tu_deadlines_;
  TimerHandle next_timer_ = 1;
  ResponseRouter router_;
  std::vector<std::string> tls_names_;  // Peer::tls_name - 1 indexes it
  std::unordered_map<std::string, std::uint32_t> tls_name_ids_;
};

}  // namespace trapezoid::transaction
