// What a transaction state machine asks of the layer around it: send bytes to its peer, hand
// messages and failures to the TU, arm timers, say it has terminated.
//
//   class Recorder : public TransactionEffects { ... };   // tests record the effects
//   Recorder fx;
//   NonInviteClientTransaction tx(7, std::move(request), Reliability::kUnreliable, timers, fx);
//   tx.start();   // fx saw send(7, request bytes), arm_timer(7, kE, 500ms, g), arm_timer(7, kF, ...)
//
// The state machines never see sockets or clocks: the layer turns arm_timer() into a
// TimerQueue entry and feeds expiries back through on_timer(kind, generation).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "sip/message.hpp"
#include "transaction/timer_config.hpp"

namespace trapezoid::transaction {

// A transaction's identity within one worker: never reused, so a stale timer cannot reach a
// newer transaction.
using TransactionId = std::uint64_t;

class TransactionEffects {
 public:
  virtual ~TransactionEffects() = default;

  // Sends bytes to the transaction's peer. false means the transport failed at once (§8.1.3.1,
  // §17.1.4, §17.2.4); the state machine then reports a transport error.
  virtual bool send(TransactionId id, std::string_view bytes) = 0;
  // Arms (or re-arms) the timer `kind` to fire after `delay`, tagged with `generation`.
  virtual void arm_timer(TransactionId id, TimerKind kind, Duration delay,
                         std::uint32_t generation) = 0;

  // Client transactions: a response for the TU. Server transactions: the ACK of a 2xx that
  // reached the Accepted state (RFC 6026 §8.7).
  virtual void pass_response(TransactionId id, const sip::Message& response) = 0;
  virtual void pass_request(TransactionId id, const sip::Message& request) = 0;
  // Timer B, F or H fired: the TU treats it as a 408 (Request Timeout) (§8.1.3.1, §17.2.1).
  virtual void timeout(TransactionId id) = 0;
  // The transport failed: the TU treats it as a 503 (Service Unavailable) (§8.1.3.1).
  virtual void transport_error(TransactionId id) = 0;
  // The transaction reached Terminated; the layer may destroy it once the current call returns.
  virtual void terminated(TransactionId id) = 0;
};

// Per-kind generations: arming bumps a kind's generation, so an expiry with an older one is
// stale; cancel() bumps it without arming.
class TimerSlots {
 public:
  [[nodiscard]] std::uint32_t arm(TimerKind kind) noexcept { return ++generation_[index(kind)]; }
  void cancel(TimerKind kind) noexcept { ++generation_[index(kind)]; }
  [[nodiscard]] bool is_current(TimerKind kind, std::uint32_t generation) const noexcept {
    return generation_[index(kind)] == generation;
  }

 private:
  static constexpr std::size_t index(TimerKind k) noexcept { return static_cast<std::size_t>(k); }
  std::array<std::uint32_t, kTimerKindCount> generation_{};
};

// What every state machine holds: its id, transport reliability, timer values, effects sink.
struct TransactionContext {
  TransactionId id = 0;
  Reliability reliability = Reliability::kUnreliable;
  const TimerConfig* timers = nullptr;  // outlives the transaction (the layer's config)
  TransactionEffects* effects = nullptr;
  TimerSlots slots;

  [[nodiscard]] bool reliable() const noexcept { return reliability == Reliability::kReliable; }
  void arm(TimerKind kind, Duration delay) {
    effects->arm_timer(id, kind, delay, slots.arm(kind));
  }
  void cancel(TimerKind kind) noexcept { slots.cancel(kind); }
};

}  // namespace trapezoid::transaction
