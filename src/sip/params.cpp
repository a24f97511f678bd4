#include "sip/params.hpp"

namespace trapezoid::sip {

bool Params::next(Scanner& s, Param& out) noexcept {
  s.skip_lws();
  out.name = s.token();
  if (out.name.empty()) return false;
  out.has_value = s.accept_separator('=');
  if (out.has_value) {
    out.value = s.gen_value();
    if (out.value.empty()) return false;
  } else {
    out.value = {};
  }
  if (s.accept_separator(';')) return true;
  s.skip_lws();
  return true;
}

std::optional<std::string_view> Params::get(std::string_view name) const noexcept {
  Scanner s(raw_);
  Param p;
  while (!s.done() && next(s, p))
    if (charset::iequals(p.name, name)) return p.value;
  return std::nullopt;
}

}  // namespace trapezoid::sip
