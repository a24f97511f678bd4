#include "transport/via_stamp.hpp"

#include "sip/charset.hpp"
#include "sip/scanner.hpp"

namespace trapezoid::transport {

ViaStamp needed_stamp(const sip::Via& top, const Endpoint& source) noexcept {
  ViaStamp s;
  // RFC 3581 §4: rport (with or without a value) asks for both.
  s.fill_rport = top.rport;
  // RFC 3261 §18.2.1: a domain name, or an address that differs from the packet source.
  std::optional<IpAddress> sent_by = IpAddress::parse(top.host);
  s.add_received = s.fill_rport || !sent_by || *sent_by != source.address;
  return s;
}

std::string stamped_params(const sip::Via& top, const Endpoint& source, ViaStamp stamp) {
  const std::string received = "received=" + source.address.to_string();
  const std::string rport = "rport=" + std::to_string(source.port);
  std::string out;
  auto add = [&out](std::string_view param) {
    if (!out.empty()) out += ';';
    out += param;
  };
  bool received_written = false;
  top.params.for_each([&](const sip::Param& p) {
    if (sip::charset::iequals(p.name, "received")) {
      if (stamp.add_received && !received_written) add(received);
      received_written = true;  // a stale value is replaced, never repeated
      return;
    }
    if (sip::charset::iequals(p.name, "rport") && stamp.fill_rport) {
      if (stamp.add_received && !received_written) add(received);
      received_written = true;
      add(rport);
      return;
    }
    std::string param(p.name);
    if (p.has_value) param.append("=").append(p.value);
    add(param);
  });
  if (stamp.add_received && !received_written) add(received);
  return out;
}

StampOutcome plan_top_via_stamp(const sip::Message& msg, const Endpoint& source, ViaEdit& edit) {
  // The first via-parm, parsed whole (the message keeps it for the layers above).
  const sip::Via* parsed = msg.top_via();
  if (parsed == nullptr) return StampOutcome::kMalformedVia;
  const sip::Via& top = *parsed;

  const ViaStamp stamp = needed_stamp(top, source);
  if (!stamp.add_received && !stamp.fill_rport) return StampOutcome::kUnchanged;

  // The via-parm ends where its parameters end (or its sent-by, without parameters).
  const std::string_view parm = msg.top_via_text();
  const char* parm_end = parm.data() + parm.size();
  const char* params_begin = top.params.empty() ? parm_end : top.params.raw().data();

  const std::string_view raw = msg.raw();
  const char* base = raw.data();
  if (params_begin < base || parm_end > base + raw.size()) return StampOutcome::kMalformedVia;
  edit.at = static_cast<std::size_t>(params_begin - base);
  edit.erase = static_cast<std::size_t>(parm_end - params_begin);
  edit.insert.clear();
  if (top.params.empty()) edit.insert += ';';
  edit.insert += stamped_params(top, source, stamp);
  return StampOutcome::kStamped;
}

StampOutcome stamp_top_via(const sip::Message& msg, const Endpoint& source, std::string& out) {
  ViaEdit edit;
  const StampOutcome outcome = plan_top_via_stamp(msg, source, edit);
  if (outcome != StampOutcome::kStamped) return outcome;
  const std::string_view raw = msg.raw();
  out.clear();
  out.reserve(raw.size() + edit.insert.size());
  out.append(raw.substr(0, edit.at));
  out.append(edit.insert);
  out.append(raw.substr(edit.at + edit.erase));
  return StampOutcome::kStamped;
}

}  // namespace trapezoid::transport
