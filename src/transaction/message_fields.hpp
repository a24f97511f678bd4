// The few header values the transaction layer reads from a message (RFC 3261 §17.1.3,
// §17.2.3): top Via, CSeq, From and To tags. None allocates or throws; views point into the
// message.
//
//   sip::Via via;
//   if (top_via(msg, via)) via.branch;   // "z9hG4bK776asdhds"
//   std::string_view tag = to_tag(msg);   // "" when To has no tag (or cannot be read)
#pragma once

#include <string_view>

#include "sip/cseq.hpp"
#include "sip/message.hpp"
#include "sip/via.hpp"

namespace trapezoid::transaction {

// The first via-parm of the first Via field; false when absent or malformed.
[[nodiscard]] bool top_via(const sip::Message& msg, sip::Via& out) noexcept;
// The text of that via-parm ("SIP/2.0/UDP host;branch=..."), or "".
[[nodiscard]] std::string_view top_via_text(const sip::Message& msg) noexcept;
// The CSeq header; false when absent or malformed.
[[nodiscard]] bool cseq_of(const sip::Message& msg, sip::CSeq& out) noexcept;
// The tag parameter of From / To; "" when absent or unreadable.
[[nodiscard]] std::string_view from_tag(const sip::Message& msg) noexcept;
[[nodiscard]] std::string_view to_tag(const sip::Message& msg) noexcept;
[[nodiscard]] std::string_view call_id(const sip::Message& msg) noexcept;

}  // namespace trapezoid::transaction
