#include "proxy/redirect_contacts.hpp"

#include <algorithm>

#include "sip/uri.hpp"

namespace trapezoid::proxy {

std::string format_q(int thousandths) {
  thousandths = std::clamp(thousandths, 0, 1000);
  if (thousandths == 1000) return "1";
  std::string digits = std::to_string(thousandths);
  digits.insert(0, 3 - digits.size(), '0');
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  return digits.empty() ? "0" : "0." + digits;
}

std::vector<std::string> redirect_contacts(std::span<const registrar::Binding> bindings, registrar::UnixSeconds now,
                                           std::string_view request_uri) {
  sip::Uri target;
  const bool target_parsed = sip::parse_uri(request_uri, target).empty();
  std::vector<std::string> out;
  out.reserve(bindings.size());
  for (const registrar::Binding& b : bindings) {
    sip::Uri contact;
    if (target_parsed && sip::parse_uri(b.contact, contact).empty() && sip::uri_equal(contact, target)) continue;
    std::string v = "<" + b.contact + ">";
    if (b.q >= 0) v += ";q=" + format_q(b.q);
    // §8.3: "An "expires" parameter ... may also be supplied to indicate the lifetime".
    v += ";expires=" + std::to_string(std::max<registrar::UnixSeconds>(0, b.expires_at - now));
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace trapezoid::proxy
