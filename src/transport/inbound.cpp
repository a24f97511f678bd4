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
  sip::Message msg;
  sip::ParseResult r = sip::parse_datagram(bytes, msg, limits_);
  if (!r.ok()) return on_parse_error(bytes, msg, r.error, source, false);
  return on_parsed(msg, source, false);
}

Inbound InboundProcessor::on_parsed(sip::Message& msg, const Source& source, bool stream) {
  if (msg.is_response()) {
    // A malformed response cannot be answered (§17.1.3): drop it.
    sip::Verdict v = sip::validate_response(msg);
    if (!v.ok()) return drop(v.reason);
    if (!sent_by_.empty() && !is_ours(msg)) return drop("Response Not Sent By Us");
    Inbound out;
    out.action = Inbound::Action::kPassUp;
    out.message = std::move(msg);
    out.message.own();
    return out;
  }
  // RFC 3261 §18.2.1: stamp before anything looks at the Via.
  Inbound out;
  switch (plan_top_via_stamp(msg, source.remote, stamp_)) {
    case StampOutcome::kMalformedVia: {
      sip::Verdict v = sip::validate_syntax(msg);
      return reply(msg, v.ok() ? 400 : v.status, v.ok() ? "Malformed Via" : v.reason, source, stream);
    }
    case StampOutcome::kUnchanged:
      out.message = std::move(msg);
      break;
    case StampOutcome::kStamped:
      // Only the top Via's parameters change, into well-formed ones: the views are moved, not
      // parsed again. The header section grows by the stamp, within the room allowed for it.
      if (stamp_.insert.size() > stamp_.erase + kStampRoom) return drop("Via Stamp Failed");
      msg.own_with_edit(stamp_.at, stamp_.erase, stamp_.insert);
      out.message = std::move(msg);
      break;
  }
  if (sip::Verdict v = sip::validate_syntax(out.message); !v.ok())
    return reply(out.message, v.status, v.reason, source, stream);
  out.message.mark_syntax_valid();  // the TU's validate_request need not repeat it
  out.message.own();
  out.action = Inbound::Action::kPassUp;
  return out;
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
