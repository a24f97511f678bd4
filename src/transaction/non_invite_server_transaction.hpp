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
#include <memory>

#include "sip/message.hpp"
#include "transaction/transaction_base.hpp"

namespace trapezoid::transaction {

enum class NonInviteServerState : std::uint8_t { kTrying, kProceeding, kCompleted, kTerminated };

class NonInviteServerTransaction : public ServerTransactionBase<NonInviteServerState> {
 public:
  NonInviteServerTransaction(TransactionId id, std::unique_ptr<sip::Message> request, Reliability reliability,
                             const TimerConfig& timers, TransactionEffects& effects);

  void start();
  // A response from the TU; false (not sent) once a final response went out (§17.2.2).
  bool respond(const OutgoingResponse& response);
  bool respond(const sip::Message& response);  // reads the status from the message
  // A retransmission of the request, matched per §17.2.3.
  void on_request(const sip::Message& request);
  void on_timer(TimerKind kind, std::uint32_t generation);
  void on_transport_error();
  // Whether a state to come may still read the request: until the final response (§17.2.2).
  [[nodiscard]] bool needs_request() const noexcept {
    return state_ == State::kTrying || state_ == State::kProceeding;
  }

 private:
  void send_last();
};

}  // namespace trapezoid::transaction
