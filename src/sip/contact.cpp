#include "sip/contact.hpp"

#include "sip/charset.hpp"
#include "sip/delta_seconds.hpp"

namespace trapezoid::sip {

namespace {
constexpr std::string_view kMalformed = "Malformed Contact";
}

std::string_view scan_contact(Scanner& s, Contact& out) noexcept {
  // scan_address resets the address; the rest is reset here (the Uri inside is large).
  out.star = false;
  out.q = -1;
  out.expires = -1;
  s.skip_lws();
  if (s.accept('*')) {
    out.star = true;
    s.skip_lws();
    return {};
  }
  if (!scan_address(s, out.address, AddrForm::kNameAddrOrAddrSpec).empty()) return kMalformed;
  auto read_param = [&out](const Param& p) {
    if (p.name.size() == 1 && (p.name[0] | 0x20) == 'q') return p.has_value && parse_qvalue(p.value, out.q);
    if (p.name.size() == 7 && charset::iequals(p.name, "expires")) {
      std::uint32_t secs = 0;
      if (!p.has_value || !parse_delta_seconds(p.value, secs)) return false;
      out.expires = secs;
    }
    return true;
  };
  if (!scan_params(s, out.address.params, read_param)) return kMalformed;
  s.skip_lws();
  return {};
}

std::string_view parse_contact(std::string_view text, Contact& out) noexcept {
  Scanner s(text);
  if (std::string_view err = scan_contact(s, out); !err.empty()) return err;
  return s.done() ? std::string_view{} : kMalformed;
}

}  // namespace trapezoid::sip
