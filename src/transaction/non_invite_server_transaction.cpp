#include "transaction/non_invite_server_transaction.hpp"

#include <utility>

namespace trapezoid::transaction {

NonInviteServerTransaction::NonInviteServerTransaction(TransactionId id, std::unique_ptr<sip::Message> request,
                                                       Reliability reliability,
                                                       const TimerConfig& timers,
                                                       TransactionEffects& effects)
    : ServerTransactionBase(id, std::move(request), reliability, timers, effects,
                            State::kTrying) {}

void NonInviteServerTransaction::start() { ctx_.effects->pass_request(ctx_.id, *request_); }

bool NonInviteServerTransaction::respond(const sip::Message& response) {
  return respond(OutgoingResponse{response.raw(), response.status_code(), {}});
}

bool NonInviteServerTransaction::respond(const OutgoingResponse& response) {
  if (state_ != State::kTrying && state_ != State::kProceeding) return false;
  remember(response);
  if (last_status_ < 200) {
    state_ = State::kProceeding;
    send_last();
    return true;
  }
  // RFC 3261 §17.2.2: Completed; Timer J absorbs request retransmissions (0 on reliable).
  state_ = State::kCompleted;
  const Duration j = ctx_.timers->J(ctx_.reliability);
  if (j.count() > 0) ctx_.arm(TimerKind::kJ, j);
  send_last();
  if (j.count() == 0) terminate();
  return true;
}

void NonInviteServerTransaction::on_request(const sip::Message&) {
  // RFC 3261 §17.2.2: Trying discards retransmissions; later states resend the last response.
  if (state_ == State::kProceeding || state_ == State::kCompleted) send_last();
}

void NonInviteServerTransaction::on_timer(TimerKind kind, std::uint32_t generation) {
  if (!ctx_.slots.is_current(kind, generation)) return;
  if (kind == TimerKind::kJ && state_ == State::kCompleted) terminate();
}

void NonInviteServerTransaction::on_transport_error() {
  if (state_ == State::kTerminated) return;
  // RFC 3261 §17.2.4 and Figure 8.
  terminate_with_transport_error();
}

void NonInviteServerTransaction::send_last() {
  if (!transmit(last_response_)) on_transport_error();
}

}  // namespace trapezoid::transaction
