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
#include <string>

#include "sip/message.hpp"
#include "transaction/transaction_effects.hpp"

namespace trapezoid::transaction {

class InviteServerTransaction {
 public:
  enum class State : std::uint8_t { kProceeding, kCompleted, kConfirmed, kAccepted, kTerminated };

  InviteServerTransaction(TransactionId id, sip::Message invite, Reliability reliability,
                          const TimerConfig& timers, TransactionEffects& effects);

  void start();
  // A response from the TU. false when this state takes none (after a non-2xx final, or a
  // non-2xx after a 2xx); the response is then not sent.
  bool respond(const sip::Message& response);
  // A request from the transport that matched: an INVITE retransmission or an ACK.
  void on_request(const sip::Message& request);
  void on_timer(TimerKind kind, std::uint32_t generation);
  void on_transport_error();

  [[nodiscard]] State state() const noexcept { return state_; }
  [[nodiscard]] TransactionId id() const noexcept { return ctx_.id; }
  // Whether a timer entry is still the armed one (false once re-armed, cancelled or ended).
  [[nodiscard]] bool timer_pending(TimerKind kind, std::uint32_t generation) const noexcept {
    return state_ != State::kTerminated && ctx_.slots.is_current(kind, generation);
  }
  [[nodiscard]] const sip::Message& request() const noexcept { return invite_; }
  // The last response sent (bytes) and its status; 0 before any.
  [[nodiscard]] const std::string& last_response() const noexcept { return last_response_; }
  [[nodiscard]] int last_status() const noexcept { return last_status_; }
  // The To tag of the last response: RFC 2543 ACK matching compares it (§17.2.3).
  [[nodiscard]] std::string_view response_to_tag() const noexcept { return response_to_tag_; }

 private:
  void send_last();
  void remember(const sip::Message& response);
  void terminate();

  TransactionContext ctx_;
  sip::Message invite_;
  State state_ = State::kProceeding;
  Duration timer_g_{0};
  std::string last_response_;
  std::string response_to_tag_;
  int last_status_ = 0;
};

}  // namespace trapezoid::transaction
