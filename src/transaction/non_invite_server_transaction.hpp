// The non-INVITE server transaction (RFC 3261 §17.2.2, Figure 8).
//
//   NonInviteServerTransaction tx(id, std::move(options), Reliability::kUnreliable, timers, effects);
//   tx.start();                      // passes the request to the TU
//   tx.respond(ok_200);              // sent; Completed; Timer J absorbs retransmissions
//
//   Trying --1xx from TU--> Proceeding --200-699 from TU--> Completed --Timer J--> Terminated
//   (a retransmitted request: discarded in Trying, answered with the last response after)
//
// The transaction owns its request (sip::Message::own()) and a copy of the last response.
#pragma once

#include <cstdint>
#include <string>

#include "sip/message.hpp"
#include "transaction/transaction_effects.hpp"

namespace trapezoid::transaction {

class NonInviteServerTransaction {
 public:
  enum class State : std::uint8_t { kTrying, kProceeding, kCompleted, kTerminated };

  NonInviteServerTransaction(TransactionId id, sip::Message request, Reliability reliability,
                             const TimerConfig& timers, TransactionEffects& effects);

  void start();
  // A response from the TU; false (not sent) once a final response went out (§17.2.2).
  bool respond(const sip::Message& response);
  // A retransmission of the request, matched per §17.2.3.
  void on_request(const sip::Message& request);
  void on_timer(TimerKind kind, std::uint32_t generation);
  void on_transport_error();

  [[nodiscard]] State state() const noexcept { return state_; }
  [[nodiscard]] TransactionId id() const noexcept { return ctx_.id; }
  // Whether a timer entry is still the armed one (false once re-armed, cancelled or ended).
  [[nodiscard]] bool timer_pending(TimerKind kind, std::uint32_t generation) const noexcept {
    return state_ != State::kTerminated && ctx_.slots.is_current(kind, generation);
  }
  [[nodiscard]] const sip::Message& request() const noexcept { return request_; }
  [[nodiscard]] const std::string& last_response() const noexcept { return last_response_; }
  [[nodiscard]] int last_status() const noexcept { return last_status_; }

 private:
  void send_last();
  void terminate();

  TransactionContext ctx_;
  sip::Message request_;
  State state_ = State::kTrying;
  std::string last_response_;
  int last_status_ = 0;
};

}  // namespace trapezoid::transaction
