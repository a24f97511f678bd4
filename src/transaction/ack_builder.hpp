// The ACK an INVITE client transaction sends for a 300-699 response (RFC 3261 §17.1.1.3).
//
//   sip::BuildResult ack = build_ack_for_non_2xx(invite, response_486);
//   if (ack.ok()) send(ack.bytes);
//
// Request-URI, Call-ID and From come from the INVITE; the CSeq keeps the INVITE's number with
// the method ACK; To is the response's (it carries the UAS's tag); the single Via is the
// INVITE's top Via (same branch, so the server transaction matches it); Route fields are the
// INVITE's. The ACK of a 2xx is not built here: that is the TU's (§13.2.2.4).
#pragma once

#include "sip/message.hpp"
#include "sip/message_builder.hpp"

namespace trapezoid::transaction {

// Errors (a header missing from the INVITE or the response) come back in the BuildResult.
[[nodiscard]] sip::BuildResult build_ack_for_non_2xx(const sip::Message& invite,
                                                     const sip::Message& response);

}  // namespace trapezoid::transaction
