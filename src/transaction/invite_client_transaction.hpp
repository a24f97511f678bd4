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
#include <memory>
#include <string>

#include "sip/message.hpp"
#include "transaction/transaction_base.hpp"

namespace trapezoid::transaction {

enum class InviteClientState : std::uint8_t {
  kCalling,
  kProceeding,
  kCompleted,
  kAccepted,
  kTerminated
};

class InviteClientTransaction : public TransactionBase<InviteClientState> {
 public:
  InviteClientTransaction(TransactionId id, std::unique_ptr<sip::Message> invite, Reliability reliability,
                          const TimerConfig& timers, TransactionEffects& effects);

  void start();
  void on_response(const sip::Message& response);
  void on_timer(TimerKind kind, std::uint32_t generation);
  void on_transport_error();
  // Whether a state to come may still read the request: retransmitted in Calling, and the ACK of
  // a non-2xx is built from it (§17.1.1.3); after that the ACK is kept as bytes.
  [[nodiscard]] bool needs_request() const noexcept {
    return state_ == State::kCalling || state_ == State::kProceeding;
  }

  // The ACK sent for a non-2xx final response; empty before one arrived.
  [[nodiscard]] const std::string& ack() const noexcept { return ack_; }

 private:
  void send(std::string_view bytes);
  void leave_calling() noexcept;
  void on_final_non_2xx(const sip::Message& response);

  Duration timer_a_{0};
  std::string ack_;
};

}  // namespace trapezoid::transaction
