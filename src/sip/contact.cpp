#include "sip/contact.hpp"

#include "sip/charset.hpp"
#include "sip/delta_seconds.hpp"

namespace trapezoid::sip {

std::string_view parse_contact(std::string_view text, Contact& out) noexcept {
  constexpr std::string_view kMalformed = "Malformed Contact";
  out = Contact{};
  if (trim_lws(text) == "*") {
    out.star = true;
    return {};
  }
  if (!parse_name_addr(text, out.address).empty()) return kMalformed;
  bool ok = true;
  out.address.params.for_each([&](const Param& p) {
    if (charset::iequals(p.name, "q")) {
      ok = ok && p.has_value && parse_qvalue(p.value, out.q);
    } else if (charset::iequals(p.name, "expires")) {
      std::uint32_t secs = 0;
      ok = ok && p.has_value && parse_delta_seconds(p.value, secs);
      out.expires = secs;
    }
  });
  return ok ? std::string_view{} : kMalformed;
}

}  // namespace trapezoid::sip
