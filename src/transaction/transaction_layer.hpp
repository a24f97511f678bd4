// The transaction layer of one worker (RFC 3261 §17): creates, matches, times and reaps the
// four kinds of transactions. No sockets, no threads, no clock: every call takes `now`, and
// the worker's event loop sets one OS timer at next_deadline() and calls advance().
//
//   TransactionLayer layer(sender, core);                      // MessageSender, TransactionUser
//   layer.receive(std::move(msg), /*from_reliable_transport=*/false, source, now);
//   auto tx = layer.send_request(std::move(invite), destination, Reliability::kUnreliable, now);
//   layer.respond(server_tx, response_bytes, now);
//   if (auto when = layer.next_deadline()) arm_os_timer(*when);  // then layer.advance(when)
//
// The TU may call back into the layer from its callbacks (respond from on_request, say).
// Terminated transactions are destroyed when the outermost call returns, so a TransactionId is
// safe to use inside the callback that reports its end. Per worker: not thread-safe, no locks.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sip/message.hpp"
#include "transaction/outgoing_response.hpp"
#include "transaction/timer_queue.hpp"
#include "transaction/transaction_effects.hpp"
#include "transaction/transaction_table.hpp"
#include "transaction/transaction_user.hpp"

namespace trapezoid::transaction {

class TransactionLayer final : private TransactionEffects {
 public:
  enum class Received : std::uint8_t {
    kNewServerTransaction,  // the TU got on_request with a new id
    kMatched,               // handed to an existing transaction
    kStrayAck,              // the TU got on_stray_ack
    kStrayResponse,         // the TU got on_stray_response
    kStateless,             // the TU answered it without a transaction (on_stateless_request)
    kDropped,               // no Via, CSeq or Call-ID to match on: validate before receive()
  };

  TransactionLayer(MessageSender& sender, TransactionUser& user, TimerConfig timers = {});
  ~TransactionLayer() override;
  TransactionLayer(const TransactionLayer&) = delete;
  TransactionLayer& operator=(const TransactionLayer&) = delete;

  // A message from the transport. `msg` may borrow the receive buffer: a new transaction takes
  // it and calls own(); other messages are only looked at during the call.
  Received receive(sip::Message&& msg, bool from_reliable_transport, const Peer& source,
                   TimePoint now);

  // Starts a client transaction for `request` (INVITE or not; never an ACK, §17.1). The top Via
  // needs a branch unique to this request (sip::make_branch). nullopt when it has none, or when
  // a transaction with that branch and method exists.
  std::optional<TransactionId> send_request(sip::Message&& request, const Peer& destination,
                                            Reliability reliability, TimePoint now);

  // The same from wire bytes (as built by sip::RequestBuilder); nullopt also when they do not
  // parse as one request.
  std::optional<TransactionId> send_request(std::string_view request_bytes, const Peer& destination,
                                            Reliability reliability, TimePoint now);

  // A response from the TU for a server transaction: bytes as built by sip::make_response.
  // false when the transaction is gone, the bytes are not a response, or its state takes none.
  bool respond(TransactionId server_tx, std::string_view response_bytes, TimePoint now);
  // The same, for a TU that knows the response's status and To tag: no parse.
  bool respond(TransactionId server_tx, const OutgoingResponse& response, TimePoint now);

  // The transport found out later that it cannot reach the transaction's peer (§17.1.4).
  void report_transport_error(TransactionId tx, TimePoint now);
  // The same for every live transaction whose peer is `peer` (the same transport, address and
  // port, or the same connection): the transport names where it failed, not who sent.
  void report_transport_error(const Peer& peer, TimePoint now);

  // Fires every timer due at `now`.
  void advance(TimePoint now);
  // When advance() next has work: the earliest live timer (cancelled ones are dropped first).
  [[nodiscard]] std::optional<TimePoint> next_deadline();
  // The earliest timer armed since the last next_deadline() (which forgets it), if any: an
  // event loop whose OS timer is due no later than that need not ask next_deadline() again.
  [[nodiscard]] std::optional<TimePoint> earliest_armed_since() const noexcept { return timers_.earliest_scheduled(); }

  // §9.2: the INVITE server transaction a CANCEL's server transaction cancels.
  [[nodiscard]] std::optional<TransactionId> find_cancelled(TransactionId cancel_tx) const;
  // §8.2.2.2: whether the request of this server transaction is a merged request (answer 482).
  [[nodiscard]] bool is_merged(TransactionId server_tx) const;

  // The request a live transaction was created for, or nullptr. A transaction keeps it until
  // it no longer reads it: a server transaction until the call that sent its final response
  // returns, a client one until the call that brought its final response returns (RFC 2543
  // server transactions keep it to the end). The 32 s of retransmissions that may follow need
  // only the keys, the last response or the ACK.
  [[nodiscard]] const sip::Message* request(TransactionId tx) const;
  // Where a live transaction's messages go: for a server transaction, where its request's
  // responses go (§18.2.2, as the transport computed it on receipt); nullopt when it is gone.
  [[nodiscard]] std::optional<Peer> peer(TransactionId tx) const;
  // The TU gives up on a client transaction that has no more to tell it (§9.1: no final
  // response within 64*T1 of its CANCEL; §16.8: Timer C): it is destroyed without a word on
  // the wire, and the TU gets on_terminated when the outermost call returns.
  void abandon(TransactionId tx, TimePoint now);
  [[nodiscard]] bool contains(TransactionId tx) const { return slots_.contains(tx); }
  [[nodiscard]] std::size_t size() const noexcept { return slots_.size(); }
  [[nodiscard]] const TimerConfig& timer_config() const noexcept { return config_; }

 private:
  struct Slot;
  class CallScope;

  // TransactionEffects
  bool send(TransactionId id, std::string_view bytes) override;
  void arm_timer(TransactionId id, TimerKind kind, Duration delay, std::uint32_t generation) override;
  void pass_response(TransactionId id, const sip::Message& response) override;
  void pass_request(TransactionId id, const sip::Message& request) override;
  void timeout(TransactionId id) override;
  void transport_error(TransactionId id) override;
  void terminated(TransactionId id) override;

  Received receive_response(const sip::Message& msg, const Peer& source);
  Received receive_request(sip::Message&& msg, bool reliable, const Peer& source);
  [[nodiscard]] Slot* find(TransactionId id) const;
  [[nodiscard]] bool is_live(const TimerEntry& e) const;
  // A message block for a new transaction's request: a spare one refilled, or a new one. The
  // blocks of released requests are kept for reuse (up to kSpareMessages): at a steady rate a
  // few of them, warm in the cache, carry every request.
  std::unique_ptr<sip::Message> adopt(sip::Message&& msg);
  void recycle(std::unique_ptr<sip::Message> msg);
  // Frees the requests of transactions that answered or got their final response, once the
  // outermost call returns (the TU may still read a request inside the call that answered it).
  void release_settled();
  void reap();

  MessageSender& sender_;
  TransactionUser& user_;
  TimerConfig config_;
  TimerQueue timers_;
  TransactionTable table_;
  std::unordered_map<TransactionId, std::unique_ptr<Slot>> slots_;
  std::vector<TransactionId> dead_;
  std::vector<TransactionId> settled_;
  static constexpr std::size_t kSpareMessages = 64;
  std::vector<std::unique_ptr<sip::Message>> spare_messages_;
  TransactionId next_id_ = 1;
  TimePoint now_{};
  int depth_ = 0;
  bool reaping_ = false;
};

}  // namespace trapezoid::transaction
