// The non-INVITE client transaction (RFC 3261 §17.1.2, Figure 6).
//
//   NonInviteClientTransaction tx(id, std::move(register_request), Reliability::kUnreliable,
//                                 timers, effects);
//   tx.start();                     // sends, arms Timer E (UDP only) and Timer F
//   tx.on_response(response);       // 1xx -> Proceeding, 200-699 -> Completed (Timer K)
//
//   Trying --1xx--> Proceeding --200-699--> Completed --Timer K--> Terminated
//     (Timer E retransmits: T1, 2*T1, ... capped at T2; T2 once in Proceeding.
//      Timer F: timeout to the TU.)
//
// The transaction owns its request, which must own its bytes (sip::Message::own()).
#pragma once

#include <cstdint>
#include <memory>

#include "sip/message.hpp"
#include "transaction/transaction_base.hpp"

namespace trapezoid::transaction {

enum class NonInviteClientState : std::uint8_t { kTrying, kProceeding, kCompleted, kTerminated };

class NonInviteClientTransaction : public TransactionBase<NonInviteClientState> {
 public:
  NonInviteClientTransaction(TransactionId id, std::unique_ptr<sip::Message> request, Reliability reliability,
                             const TimerConfig& timers, TransactionEffects& effects);

  void start();
  void on_response(const sip::Message& response);
  void on_timer(TimerKind kind, std::uint32_t generation);
  void on_transport_error();
  // Whether a state to come may still read the request: retransmitted until the final response
  // (§17.1.2.2).
  [[nodiscard]] bool needs_request() const noexcept {
    return state_ == State::kTrying || state_ == State::kProceeding;
  }

 private:
  void send(std::string_view bytes);

  Duration timer_e_{0};
};

}  // namespace trapezoid::transaction
