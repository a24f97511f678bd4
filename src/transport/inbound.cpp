#include "transport/inbound.hpp"

#include "sip/charset.hpp"
#include "sip/message_builder.hpp"
#include "sip/response.hpp"
#include "sip/scanner.hpp"
#include "sip/validate.hpp"
#include "transport/response_route.hpp"
#include "transport/via_stamp.hpp"

namespace trapezoid::transport {
namespace {

Inbound drop(std::string_view why) {
  Inbound r;
  r.why = why;
  return r;
}

bool looks_like_response(std::string_view bytes) {
  while (!bytes.empty() && (bytes.front() == '\r' || bytes.front() == '\n')) bytes.remove_prefix(1);
  return bytes.size() >= 4 && sip::charset::iequals(bytes.substr(0, 4), "SIP/");
}

// make_response needs these to copy (§8.2.6.2); without them no matchable answer exists.
bool can_answer(const sip::Message& m) {
  using sip::HeaderId;
  return m.is_request() && m.find(HeaderId::kVia) && m.find(HeaderId::kFrom) && m.find(HeaderId::kTo) &&
         m.find(HeaderId::kCallId) && m.find(HeaderId::kCSeq);
}

}  // namespace

bool InboundProcessor::is_ours(const sip::Message& response) const {
  const sip::Via* top = response.top_via();
  return top != nullptr && is_our_sent_by(*top, sent_by_);
}

Inbound InboundProcessor::on_datagram(std::string_view bytes, const Source& source) {
  // One object for every path, so the result is built in place (no move of the message).
  Inbound out;
  sip::ParseResult r = sip::parse_datagram(bytes, out.message, limits_);
  if (!r.ok()) {
    out = on_parse_error(bytes, out.message, r.error, source, false);
    return out;
  }
  finish(out, source, false);
  return out;
}

Inbound InboundProcessor::on_parsed(sip::Message& msg, const Source& source, bool stream) {
  Inbound out;
  out.message = std::move(msg);
  finish(out, source, stream);
  return out;
}

void InboundProcessor::finish(Inbound& out, const Source& source, bool stream) {
  sip::Message& msg = out.message;
  // reply() and drop() make a new Inbound; replacing `out` with it drops the message, which
  // reply() has finished reading by then.
  if (msg.is_response()) {
    // A malformed response cannot be answered (§17.1.3): drop it.
    sip::Verdict v = sip::validate_response(msg);
    if (!v.ok()) {
      out = drop(v.reason);
      return;
    }
    if (!sent_by_.empty() && !is_ours(msg)) {
      out = drop("Response Not Sent By Us");
      return;
    }
    msg.mark_syntax_valid();  // its To and From were parsed: tag readers need not parse them again
    msg.own();
    out.action = Inbound::Action::kPassUp;
    return;
  }
  // RFC 3261 §18.2.1: stamp before anything looks at the Via.
  switch (plan_top_via_stamp(msg, source.remote, stamp_)) {
    case StampOutcome::kMalformedVia: {
      sip::Verdict v = sip::validate_syntax(msg);
      out = reply(msg, v.ok() ? 400 : v.status, v.ok() ? "Malformed Via" : v.reason, source, stream);
      return;
    }
    case StampOutcome::kUnchanged:
      break;
    case StampOutcome::kStamped:
      // Only the top Via's parameters change, into well-formed ones: the views are moved, not
      // parsed again. The header section grows by the stamp, within the room allowed for it.
      if (stamp_.insert.size() > stamp_.erase + kStampRoom) {
        out = drop("Via Stamp Failed");
        return;
      }
      msg.own_with_edit(stamp_.at, stamp_.erase, stamp_.insert);
      break;
  }
  if (sip::Verdict v = sip::validate_syntax(msg); !v.ok()) {
    out = reply(msg, v.status, v.reason, source, stream);
    return;
  }
  msg.mark_syntax_valid();  // the TU's validate_request need not repeat it
  msg.own();
  out.action = Inbound::Action::kPassUp;
}

Inbound InboundProcessor::on_parse_error(std::string_view bytes, const sip::Message& partial,
                                         const sip::ParseError& error, const Source& source, bool stream) {
  if (can_answer(partial)) {
    Inbound r = reply(partial, error.status, error.reason, source, stream);
    r.close = stream;
    return r;
  }
  if (!stream || looks_like_response(bytes)) return drop(error.reason);
  // A stream that sent something unreadable: say why before closing.
  sip::BuildResult b = sip::ResponseBuilder(error.status, error.reason).build();
  if (!b.ok()) return drop(error.reason);
  Inbound r;
  r.action = Inbound::Action::kReply;
  r.reply = std::move(b.bytes);
  r.reply_to = Target{source.remote, source.connection};
  r.close = true;
  r.why = error.reason;
  r.status = error.status;
  return r;
}

Inbound InboundProcessor::reply(const sip::Message& request, int status, std::string_view reason,
                                const Source& source, bool stream) {
  const std::string tag = sip::make_tag(random_);
  sip::BuildResult b = sip::make_response(request, status, reason, tag);
  if (!b.ok()) return drop(reason);
  Inbound r;
  r.action = Inbound::Action::kReply;
  r.reply = std::move(b.bytes);
  r.why = reason;
  r.status = status;
  // A stream answers on its connection; a datagram where §18.2.2 says, when the Via names a
  // UDP address, else back to the packet's source.
  r.reply_to = Target{source.remote, source.connection};
  if (stream) return r;
  // The top Via as stamping makes it (a request that failed to parse was not stamped).
  const sip::Via* parsed = request.top_via();
  if (parsed == nullptr) return r;
  sip::Via top = *parsed;
  const ViaStamp stamp = needed_stamp(top, source.remote);
  const std::string received = source.remote.address.to_string();
  if (stamp.add_received) top.received = received;
  if (stamp.fill_rport) top.rport_value = source.remote.port;
  ResponseRoute route;
  if (route_response(top, 0, route) && route.transport == TransportKind::kUdp) {
    if (std::optional<Target> t = route.target()) r.reply_to = *t;
  }
  return r;
}

}  // namespace trapezoid::transport
