#include "transaction/message_fields.hpp"

#include "sip/header_list.hpp"
#include "sip/name_addr.hpp"

namespace trapezoid::transaction {
namespace {

std::string_view tag_of(const sip::Message& msg, sip::HeaderId id) noexcept {
  const sip::HeaderField* h = msg.find(id);
  if (h == nullptr) return {};
  if (msg.syntax_valid()) {
    // Validation parsed the address already: only the parameters are read again.
    std::string_view tag;
    (void)sip::find_address_tag(h->value, tag);
    return tag;
  }
  sip::NameAddr addr;
  if (!sip::parse_name_addr(h->value, addr).empty()) return {};
  return addr.tag;
}

}  // namespace

std::string_view top_via_text(const sip::Message& msg) noexcept { return msg.top_via_text(); }

bool top_via(const sip::Message& msg, sip::Via& out) noexcept {
  const sip::Via* via = msg.top_via();
  if (via == nullptr) return false;
  out = *via;
  return true;
}

bool cseq_of(const sip::Message& msg, sip::CSeq& out) noexcept {
  const sip::HeaderField* h = msg.find(sip::HeaderId::kCSeq);
  return h != nullptr && sip::parse_cseq(h->value, out).empty();
}

std::string_view from_tag(const sip::Message& msg) noexcept { return tag_of(msg, sip::HeaderId::kFrom); }
std::string_view to_tag(const sip::Message& msg) noexcept { return tag_of(msg, sip::HeaderId::kTo); }

std::string_view call_id(const sip::Message& msg) noexcept {
  const sip::HeaderField* h = msg.find(sip::HeaderId::kCallId);
  return h == nullptr ? std::string_view{} : h->value;
}

}  // namespace trapezoid::transaction
