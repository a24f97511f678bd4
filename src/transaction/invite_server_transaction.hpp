// The INVITE server transaction (RFC 3261 §17.2.1, Figure 7, with the Accepted state of
// RFC 6026 §8.7).
//
//   InviteServerTransaction tx(id, std::move(invite), Reliability::kUnreliable, timers, effects);
//   tx.start();                      // passes the INVITE to the TU, arms the 200 ms Trying timer
//   tx.respond(ringing_180);         // from the TU
//   tx.on_request(retransmission);   // an INVITE or ACK matched per §17.2.3
//
//   Proceeding --300-699 from TU--> Completed --ACK--> Confirmed --Timer I--> Terminated
//       |                               (Timer G resends, Timer H: timeout to the TU)
//       +--2xx from TU--> Accepted (INVITE absorbed, ACK to the TU, later 2xx sent)
//                            --Timer L--> Terminated
//
// If the TU stays silent for 200 ms, the transaction sends 100 (Trying) itself (§17.2.1).
// The transaction owns the INVITE (sip::Message::own()) and a copy of the last response.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "sip/message.hpp"
#include "transaction/transaction_base.hpp"

namespace trapezoid::transaction {

enum class InviteServerState : std::uint8_t {
  kProceeding,
  kCompleted,
  kConfirmed,
  kAccepted,
  kTerminated
};

class InviteServerTransaction : public ServerTransactionBase<InviteServerState> {
 public:
  InviteServerTransaction(TransactionId id, std::unique_ptr<sip::Message> invite, Reliability reliability,
                          const TimerConfig& timers, TransactionEffects& effects);

  void start();
  // A response from the TU. false when this state takes none (after a non-2xx final, or a
  // non-2xx after a 2xx); the response is then not sent.
  bool respond(const OutgoingResponse& response);
  bool respond(const sip::Message& response);  // reads status and To tag from the message
  // A request from the transport that matched: an INVITE retransmission or an ACK.
  void on_request(const sip::Message& request);
  void on_timer(TimerKind kind, std::uint32_t generation);
  void on_transport_error();
  // Whether a state to come may still read the request: until the final response (§17.2.1;
  // the 100 it may send itself is built from the INVITE).
  [[nodiscard]] bool needs_request() const noexcept {
    return state_ == State::kProceeding;
  }

  // The To tag of the last response: RFC 2543 ACK matching compares it (§17.2.3).
  [[nodiscard]] std::string_view response_to_tag() const noexcept { return response_to_tag_; }

 private:
  void send_last();
  void remember(const OutgoingResponse& response);

  Duration timer_g_{0};
  std::string response_to_tag_;
};

}  // namespace trapezoid::transaction
