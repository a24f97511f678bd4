// What the four §17 state machines share: the context (id, timers, effects), the current
// state, the owned request, and the ways of ending. Each figure's own logic stays in its class.
//
// The request is held apart, so that a transaction that no longer reads it (a server one that
// has answered, a client one that has its final response) can let it go: only its keys, its
// last response or its ACK are needed for the 32 s it may still absorb retransmissions.
//
//   enum class NonInviteClientState : std::uint8_t { kTrying, ..., kTerminated };
//   class NonInviteClientTransaction : public TransactionBase<NonInviteClientState> { ... };
//
// State must have a kTerminated enumerator. The State enums live outside the classes because
// a class cannot name its own nested type in its base list.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "sip/message.hpp"
#include "transaction/outgoing_response.hpp"
#include "transaction/transaction_effects.hpp"

namespace trapezoid::transaction {

template <typename StateT>
class TransactionBase {
 public:
  using State = StateT;

  [[nodiscard]] State state() const noexcept { return state_; }
  [[nodiscard]] TransactionId id() const noexcept { return ctx_.id; }
  // Whether a timer entry is still the armed one (false once re-armed, cancelled or ended).
  [[nodiscard]] bool timer_pending(TimerKind kind, std::uint32_t generation) const noexcept {
    return state_ != State::kTerminated && ctx_.slots.is_current(kind, generation);
  }
  // The request, or nullptr once released.
  [[nodiscard]] const sip::Message* request() const noexcept { return request_.get(); }
  // Hands the request over (to be freed or reused), or nullptr once released. The caller
  // makes sure the machine's state no longer reads it.
  [[nodiscard]] std::unique_ptr<sip::Message> release_request() noexcept { return std::move(request_); }

 protected:
  TransactionBase(TransactionId id, std::unique_ptr<sip::Message> request, Reliability reliability,
                  const TimerConfig& timers, TransactionEffects& effects, State initial)
      : ctx_{id, reliability, &timers, &effects, {}},
        request_(std::move(request)),
        state_(initial) {}
  ~TransactionBase() = default;

  // false when the transport failed at once; the caller then runs its own figure's
  // transport-error transition.
  [[nodiscard]] bool transmit(std::string_view bytes) { return ctx_.effects->send(ctx_.id, bytes); }

  // Set Terminated before telling the TU, which may look at the transaction.
  void terminate() {
    if (state_ == State::kTerminated) return;
    state_ = State::kTerminated;
    ctx_.effects->terminated(ctx_.id);
  }
  void terminate_with_timeout() {
    state_ = State::kTerminated;
    ctx_.effects->timeout(ctx_.id);
    ctx_.effects->terminated(ctx_.id);
  }
  void terminate_with_transport_error() {
    state_ = State::kTerminated;
    ctx_.effects->transport_error(ctx_.id);
    ctx_.effects->terminated(ctx_.id);
  }

  TransactionContext ctx_;
  std::unique_ptr<sip::Message> request_;
  State state_;
};

// The two server transactions also keep a copy of the last response, resent on request
// retransmissions (§17.2.1, §17.2.2).
template <typename StateT>
class ServerTransactionBase : public TransactionBase<StateT> {
 public:
  // The last response sent (bytes) and its status; 0 before any.
  [[nodiscard]] const std::string& last_response() const noexcept { return last_response_; }
  [[nodiscard]] int last_status() const noexcept { return last_status_; }

 protected:
  using TransactionBase<StateT>::TransactionBase;
  ~ServerTransactionBase() = default;

  void remember(const OutgoingResponse& response) {
    last_response_.assign(response.bytes);
    last_status_ = response.status;
  }

  std::string last_response_;
  int last_status_ = 0;
};

}  // namespace trapezoid::transaction
