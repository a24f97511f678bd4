#include "transaction/invite_client_transaction.hpp"

#include <utility>

#include "transaction/ack_builder.hpp"

namespace trapezoid::transaction {

InviteClientTransaction::InviteClientTransaction(TransactionId id, std::unique_ptr<sip::Message> invite,
                                                 Reliability reliability, const TimerConfig& timers,
                                                 TransactionEffects& effects)
    : TransactionBase(id, std::move(invite), reliability, timers, effects, State::kCalling) {}

void InviteClientTransaction::start() {
  // RFC 3261 §17.1.1.2: Timer A only on an unreliable transport; Timer B always.
  if (!ctx_.reliable()) {
    timer_a_ = ctx_.timers->A();
    ctx_.arm(TimerKind::kA, timer_a_);
  }
  ctx_.arm(TimerKind::kB, ctx_.timers->B());
  send(request_->raw());
}

void InviteClientTransaction::on_response(const sip::Message& response) {
  const int status = response.status_code();
  switch (state_) {
    case State::kCalling:
    case State::kProceeding:
      if (status < 200) {
        leave_calling();
        state_ = State::kProceeding;
        ctx_.effects->pass_response(ctx_.id, response);
      } else if (status < 300) {
        // RFC 6026 §8.4: a 2xx moves to Accepted; the TU, not the transaction, sends its ACK.
        leave_calling();
        state_ = State::kAccepted;
        ctx_.arm(TimerKind::kM, ctx_.timers->M());
        ctx_.effects->pass_response(ctx_.id, response);
      } else {
        on_final_non_2xx(response);
      }
      return;
    case State::kCompleted:
      // RFC 3261 §17.1.1.2: a retransmitted final response gets the ACK again and stays here.
      if (status >= 300) send(ack_);
      return;
    case State::kAccepted:
      // RFC 6026 §8.4: further 2xx (retransmissions, or other forks) go to the TU.
      if (status >= 200 && status < 300) ctx_.effects->pass_response(ctx_.id, response);
      return;
    case State::kTerminated:
      return;
  }
}

void InviteClientTransaction::on_final_non_2xx(const sip::Message& response) {
  leave_calling();
  state_ = State::kCompleted;
  // RFC 3261 §17.1.1.3: the transaction builds this ACK itself.
  sip::BuildResult ack = build_ack_for_non_2xx(*request_, response);
  ack_ = std::move(ack.bytes);
  const Duration d = ctx_.timers->D(ctx_.reliability);
  if (d.count() > 0) ctx_.arm(TimerKind::kD, d);
  ctx_.effects->pass_response(ctx_.id, response);
  if (state_ != State::kCompleted) return;  // the TU's reaction ended it
  if (!ack_.empty()) send(ack_);
  // On a reliable transport Timer D is zero: nothing is left to absorb.
  if (state_ == State::kCompleted && d.count() == 0) terminate();
}

void InviteClientTransaction::on_timer(TimerKind kind, std::uint32_t generation) {
  if (!ctx_.slots.is_current(kind, generation)) return;
  switch (kind) {
    case TimerKind::kA:
      if (state_ != State::kCalling) return;
      // RFC 3261 §17.1.1.2: retransmit and double the interval (no cap: Timer B ends it).
      timer_a_ *= 2;
      ctx_.arm(TimerKind::kA, timer_a_);
      send(request_->raw());
      return;
    case TimerKind::kB:
      if (state_ != State::kCalling) return;
      terminate_with_timeout();
      return;
    case TimerKind::kD:
      if (state_ == State::kCompleted) terminate();
      return;
    case TimerKind::kM:
      if (state_ == State::kAccepted) terminate();
      return;
    default:
      return;
  }
}

void InviteClientTransaction::on_transport_error() {
  // RFC 3261 §17.1.4 and Figure 5; in Accepted (RFC 6026) this transaction sends nothing.
  if (state_ == State::kTerminated || state_ == State::kAccepted) return;
  terminate_with_transport_error();
}

void InviteClientTransaction::send(std::string_view bytes) {
  if (!transmit(bytes)) on_transport_error();
}

void InviteClientTransaction::leave_calling() noexcept {
  // In Proceeding the request is no longer retransmitted, and Timer B only guards Calling.
  ctx_.cancel(TimerKind::kA);
  ctx_.cancel(TimerKind::kB);
}

}  // namespace trapezoid::transaction
