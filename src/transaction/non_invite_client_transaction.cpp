#include "transaction/non_invite_client_transaction.hpp"

#include <utility>

namespace trapezoid::transaction {

NonInviteClientTransaction::NonInviteClientTransaction(TransactionId id, std::unique_ptr<sip::Message> request,
                                                       Reliability reliability,
                                                       const TimerConfig& timers,
                                                       TransactionEffects& effects)
    : TransactionBase(id, std::move(request), reliability, timers, effects, State::kTrying) {}

void NonInviteClientTransaction::start() {
  // RFC 3261 §17.1.2.2: Timer E only on an unreliable transport; Timer F always.
  if (!ctx_.reliable()) {
    timer_e_ = ctx_.timers->E();
    ctx_.arm(TimerKind::kE, timer_e_);
  }
  ctx_.arm(TimerKind::kF, ctx_.timers->F());
  send(request_->raw());
}

void NonInviteClientTransaction::on_response(const sip::Message& response) {
  if (state_ != State::kTrying && state_ != State::kProceeding) return;  // Completed absorbs
  if (response.status_code() < 200) {
    state_ = State::kProceeding;
    ctx_.effects->pass_response(ctx_.id, response);
    return;
  }
  // RFC 3261 §17.1.2.2: a final response completes; Timer K absorbs its retransmissions.
  state_ = State::kCompleted;
  ctx_.cancel(TimerKind::kE);
  ctx_.cancel(TimerKind::kF);
  const Duration k = ctx_.timers->K(ctx_.reliability);
  if (k.count() > 0) ctx_.arm(TimerKind::kK, k);
  ctx_.effects->pass_response(ctx_.id, response);
  if (k.count() == 0) terminate();
}

void NonInviteClientTransaction::on_timer(TimerKind kind, std::uint32_t generation) {
  if (!ctx_.slots.is_current(kind, generation)) return;
  switch (kind) {
    case TimerKind::kE:
      if (state_ == State::kTrying) {
        // RFC 3261 §17.1.2.2: the interval doubles up to T2...
        timer_e_ = ctx_.timers->doubled_capped(timer_e_);
      } else if (state_ == State::kProceeding) {
        // ...and is T2 once a provisional response arrived.
        timer_e_ = ctx_.timers->T2;
      } else {
        return;
      }
      ctx_.arm(TimerKind::kE, timer_e_);
      send(request_->raw());
      return;
    case TimerKind::kF:
      if (state_ != State::kTrying && state_ != State::kProceeding) return;
      terminate_with_timeout();
      return;
    case TimerKind::kK:
      if (state_ == State::kCompleted) terminate();
      return;
    default:
      return;
  }
}

void NonInviteClientTransaction::on_transport_error() {
  // RFC 3261 §17.1.4: only Trying and Proceeding send anything.
  if (state_ != State::kTrying && state_ != State::kProceeding) return;
  terminate_with_transport_error();
}

void NonInviteClientTransaction::send(std::string_view bytes) {
  if (!transmit(bytes)) on_transport_error();
}

}  // namespace trapezoid::transaction
