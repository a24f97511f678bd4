#include "transaction/ack_builder.hpp"

#include <string>
#include <string_view>

#include "sip/cseq.hpp"
#include "sip/header_list.hpp"

namespace trapezoid::transaction {

using sip::HeaderId;

sip::BuildResult build_ack_for_non_2xx(const sip::Message& invite, const sip::Message& response) {
  sip::RequestBuilder ack(sip::Method::kAck, invite.request_uri());

  // RFC 3261 §17.1.1.3: "exactly one Via header field ... equal to the top Via header field of
  // the original request".
  std::string_view top_via;
  (void)sip::for_each_element(invite, HeaderId::kVia, [&](std::string_view v) {
    top_via = v;
    return false;
  });
  const sip::HeaderField* call_id = invite.find(HeaderId::kCallId);
  const sip::HeaderField* from = invite.find(HeaderId::kFrom);
  const sip::HeaderField* to = response.find(HeaderId::kTo);
  const sip::HeaderField* cseq_field = invite.find(HeaderId::kCSeq);
  sip::CSeq cseq;
  if (top_via.empty() || !call_id || !from || !to || !cseq_field ||
      !sip::parse_cseq(cseq_field->value, cseq).empty()) {
    ack.fail(sip::BuildError::kBadHeaderValue);
    return std::move(ack).build();
  }

  ack.header(HeaderId::kVia, top_via);
  // "If the INVITE request whose response is being acknowledged had Route header fields,
  // those header fields MUST appear in the ACK."
  invite.for_each(HeaderId::kRoute, [&](const sip::HeaderField& h) { ack.header(HeaderId::kRoute, h.value); });
  ack.header(HeaderId::kMaxForwards, "70");
  ack.header(HeaderId::kFrom, from->value);
  ack.header(HeaderId::kTo, to->value);
  ack.header(HeaderId::kCallId, call_id->value);
  ack.header(HeaderId::kCSeq, std::to_string(cseq.number) + " ACK");
  return std::move(ack).build();
}

}  // namespace trapezoid::transaction
