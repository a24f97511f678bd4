// The INVITE client transaction (RFC 3261 §17.1.1, Figure 5, with the Accepted state of
// RFC 6026 §8.4).
//
//   InviteClientTransaction tx(id, std::move(invite), Reliability::kUnreliable, timers, effects);
//   tx.start();                         // sends the INVITE, arms Timer A (UDP) and Timer B
//   tx.on_response(response);           // from the transport, matched per §17.1.3
//   tx.on_timer(kind, generation);      // from the layer's TimerQueue
//
//   Calling --1xx--> Proceeding --300-699 / ACK--> Completed --Timer D--> Terminated
//      |                 |
//      +------2xx--------+--> Accepted (2xx passed up, never ACKed here) --Timer M--> Terminated
//
// The transaction owns the INVITE, which must own its bytes (sip::Message::own()). Effects may
// call back into the layer; the transaction stays alive until the layer reaps it after
// terminated().
#pragma once

#include <cstdint>
#include <string>

#include "sip/message.hpp"
#include "transaction/transaction_effects.hpp"

namespace trapezoid::transaction {

class InviteClientTransaction {
 public:
  enum class State : std::uint8_t { kCalling, kProceeding, kCompleted, kAccepted, kTerminated };

  InviteClientTransaction(TransactionId id, sip::Message invite, Reliability reliability,
                          const TimerConfig& timers, TransactionEffects& effects);

  void start();
  void on_response(const sip::Message& response);
  void on_timer(TimerKind kind, std::uint32_t generation);
  void on_transport_error();

  [[nodiscard]] State state() const noexcept { return state_; }
  [[nodiscard]] TransactionId id() const noexcept { return ctx_.id; }
  // Whether a timer entry is still the armed one (false once re-armed, cancelled or ended).
  [[nodiscard]] bool timer_pending(TimerKind kind, std::uint32_t generation) const noexcept {
    return state_ != State::kTerminated && ctx_.slots.is_current(kind, generation);
  }
  [[nodiscard]] const sip::Message& request() const noexcept { return invite_; }
  // The ACK sent for a non-2xx final response; empty before one arrived.
  [[nodiscard]] const std::string& ack() const noexcept { return ack_; }

 private:
  void send(std::string_view bytes);
  void leave_calling() noexcept;
  void on_final_non_2xx(const sip::Message& response);
  void terminate();

  TransactionContext ctx_;
  sip::Message invite_;
  State state_ = State::kCalling;
  Duration timer_a_{0};
  std::string ack_;
};

}  // namespace trapezoid::transaction
