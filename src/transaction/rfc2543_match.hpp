// Request matching for requests whose top Via branch lacks the z9hG4bK cookie, as RFC 2543
// elements send them (RFC 3261 §17.2.3, second half; §9.2 for CANCEL).
//
//   if (matches_rfc2543(tx.request(), tx.response_to_tag(), incoming)) ...  // same transaction
//
// Request-URIs compare by §19.1.4 URI equality, tags and Call-ID exactly, top Vias by
// sent-protocol, sent-by (host case-insensitively) and parameters.
#pragma once

#include <string_view>

#include "sip/message.hpp"

namespace trapezoid::transaction {

// Whether `request` belongs to the server transaction created by `original`, which last sent
// a response with To tag `response_to_tag` ("" when none was sent). An INVITE (or any non-ACK
// method) matches on Request-URI, To tag, From tag, Call-ID, CSeq and top Via; an ACK matches
// an INVITE on Request-URI, From tag, Call-ID, CSeq number and top Via, with its To tag equal
// to the response's.
[[nodiscard]] bool matches_rfc2543(const sip::Message& original, std::string_view response_to_tag,
                                   const sip::Message& request);

// Whether `cancel` cancels the transaction of `original` per §9.2: the §17.2.3 rules with the
// CANCEL's method taken to be the original's (so the CSeq number, not the method, compares).
[[nodiscard]] bool cancels_rfc2543(const sip::Message& original, const sip::Message& cancel);

// The top Vias compare equal (sent-protocol, sent-by, parameters).
[[nodiscard]] bool same_top_via(const sip::Message& a, const sip::Message& b) noexcept;

}  // namespace trapezoid::transaction
