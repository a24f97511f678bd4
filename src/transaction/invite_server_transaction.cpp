#include "transaction/invite_server_transaction.hpp"

#include <utility>

#include "sip/response.hpp"
#include "transaction/message_fields.hpp"

namespace trapezoid::transaction {

InviteServerTransaction::InviteServerTransaction(TransactionId id, std::unique_ptr<sip::Message> invite,
                                                 Reliability reliability, const TimerConfig& timers,
                                                 TransactionEffects& effects)
    : ServerTransactionBase(id, std::move(invite), reliability, timers, effects,
                            State::kProceeding) {}

void InviteServerTransaction::start() {
  // RFC 3261 §17.2.1: 100 (Trying) unless the TU answers within 200 ms. Armed before the TU
  // sees the INVITE, since it may answer from inside pass_request().
  ctx_.arm(TimerKind::kTrying, ctx_.timers->trying_delay);
  ctx_.effects->pass_request(ctx_.id, *request_);
}

bool InviteServerTransaction::respond(const sip::Message& response) {
  return respond(OutgoingResponse{response.raw(), response.status_code(), to_tag(response)});
}

bool InviteServerTransaction::respond(const OutgoingResponse& response) {
  const int status = response.status;
  if (state_ == State::kAccepted) {
    // RFC 6026 §8.7: retransmissions of the 2xx by the TU go out through the transaction.
    if (status < 200 || status >= 300) return false;
    remember(response);
    send_last();
    return true;
  }
  if (state_ != State::kProceeding) return false;
  ctx_.cancel(TimerKind::kTrying);
  remember(response);
  if (status < 200) {
    send_last();
  } else if (status < 300) {
    // RFC 6026 §8.7: Accepted, not Terminated, so INVITE retransmissions are absorbed and
    // the ACK reaches the TU.
    state_ = State::kAccepted;
    ctx_.arm(TimerKind::kL, ctx_.timers->L());
    send_last();
  } else {
    // RFC 3261 §17.2.1: Completed; Timer G (unreliable only) resends, Timer H waits for the ACK.
    state_ = State::kCompleted;
    if (!ctx_.reliable()) {
      timer_g_ = ctx_.timers->G();
      ctx_.arm(TimerKind::kG, timer_g_);
    }
    ctx_.arm(TimerKind::kH, ctx_.timers->H());
    send_last();
  }
  return true;
}

void InviteServerTransaction::on_request(const sip::Message& request) {
  if (request.method() == sip::Method::kAck) {
    if (state_ == State::kCompleted) {
      // RFC 3261 §17.2.1: the ACK confirms; Timer I absorbs further ACKs (0 on reliable).
      state_ = State::kConfirmed;
      ctx_.cancel(TimerKind::kG);
      ctx_.cancel(TimerKind::kH);
      const Duration i = ctx_.timers->I(ctx_.reliability);
      if (i.count() == 0) {
        terminate();
      } else {
        ctx_.arm(TimerKind::kI, i);
      }
    } else if (state_ == State::kAccepted) {
      ctx_.effects->pass_request(ctx_.id, request);  // RFC 6026 §8.7: the ACK of the 2xx
    }
    return;  // Confirmed absorbs ACKs
  }
  // A retransmitted INVITE: Proceeding and Completed resend the last response (§17.2.1);
  // Confirmed and Accepted absorb it.
  if ((state_ == State::kProceeding || state_ == State::kCompleted) && !last_response_.empty())
    send_last();
}

void InviteServerTransaction::on_timer(TimerKind kind, std::uint32_t generation) {
  if (!ctx_.slots.is_current(kind, generation)) return;
  switch (kind) {
    case TimerKind::kTrying: {
      if (state_ != State::kProceeding || last_status_ != 0) return;
      sip::BuildResult trying = sip::make_response(*request_, 100, {}, {});
      if (!trying.ok()) return;
      last_response_ = std::move(trying.bytes);
      last_status_ = 100;
      send_last();
      return;
    }
    case TimerKind::kG:
      if (state_ != State::kCompleted) return;
      // RFC 3261 §17.2.1: min(2*G, T2).
      timer_g_ = ctx_.timers->doubled_capped(timer_g_);
      ctx_.arm(TimerKind::kG, timer_g_);
      send_last();
      return;
    case TimerKind::kH:
      if (state_ != State::kCompleted) return;
      terminate_with_timeout();  // the ACK never came
      return;
    case TimerKind::kI:
      if (state_ == State::kConfirmed) terminate();
      return;
    case TimerKind::kL:
      if (state_ == State::kAccepted) terminate();
      return;
    default:
      return;
  }
}

void InviteServerTransaction::on_transport_error() {
  if (state_ == State::kTerminated || state_ == State::kConfirmed) return;
  if (state_ == State::kAccepted) {
    // The TU owns the 2xx's delivery (RFC 6026 §8.7): tell it, and keep absorbing until L.
    ctx_.effects->transport_error(ctx_.id);
    return;
  }
  // RFC 3261 §17.2.4 and Figure 7.
  terminate_with_transport_error();
}

void InviteServerTransaction::send_last() {
  if (!transmit(last_response_)) on_transport_error();
}

void InviteServerTransaction::remember(const OutgoingResponse& response) {
  ServerTransactionBase::remember(response);
  response_to_tag_.assign(response.to_tag);
}

}  // namespace trapezoid::transaction
