#include "transaction/rfc2543_match.hpp"

#include "sip/charset.hpp"
#include "sip/uri.hpp"
#include "transaction/message_fields.hpp"

namespace trapezoid::transaction {
namespace {

using sip::charset::iequals;

bool same_request_uri(const sip::Message& a, const sip::Message& b) {
  if (a.request_uri() == b.request_uri()) return true;
  sip::Uri ua;
  sip::Uri ub;
  if (!sip::parse_uri(a.request_uri(), ua).empty() || !sip::parse_uri(b.request_uri(), ub).empty())
    return false;
  return sip::uri_equal(ua, ub);
}

// Request-URI, From tag, Call-ID, CSeq number and top Via: what every rule shares.
bool same_common(const sip::Message& original, const sip::Message& request, sip::CSeq& original_cseq,
                 sip::CSeq& request_cseq) {
  if (!cseq_of(original, original_cseq) || !cseq_of(request, request_cseq)) return false;
  return original_cseq.number == request_cseq.number && call_id(original) == call_id(request) &&
         from_tag(original) == from_tag(request) && same_top_via(original, request) &&
         same_request_uri(original, request);
}

}  // namespace

bool same_top_via(const sip::Message& a, const sip::Message& b) noexcept {
  sip::Via va;
  sip::Via vb;
  if (!top_via(a, va) || !top_via(b, vb)) return false;
  return iequals(va.protocol_name, vb.protocol_name) &&
         va.protocol_version == vb.protocol_version && iequals(va.transport, vb.transport) &&
         iequals(va.host, vb.host) && va.has_port == vb.has_port && va.port == vb.port &&
         va.params.raw() == vb.params.raw();
}

bool matches_rfc2543(const sip::Message& original, std::string_view response_to_tag,
                     const sip::Message& request) {
  sip::CSeq oc;
  sip::CSeq rc;
  if (!same_common(original, request, oc, rc)) return false;
  if (request.method() == sip::Method::kAck) {
    return original.method() == sip::Method::kInvite && !response_to_tag.empty() &&
           to_tag(request) == response_to_tag;
  }
  return oc.method_name == rc.method_name && original.method_name() == request.method_name() &&
         to_tag(original) == to_tag(request);
}

bool cancels_rfc2543(const sip::Message& original, const sip::Message& cancel) {
  if (original.method() == sip::Method::kCancel || original.method() == sip::Method::kAck)
    return false;
  sip::CSeq oc;
  sip::CSeq cc;
  return same_common(original, cancel, oc, cc) && to_tag(original) == to_tag(cancel);
}

}  // namespace trapezoid::transaction
