#include "sip/media_type.hpp"

#include "sip/charset.hpp"

namespace trapezoid::sip {

std::string_view parse_media_type(std::string_view text, MediaType& out) noexcept {
  constexpr std::string_view kMalformed = "Malformed Content-Type";
  out = MediaType{};
  Scanner s(text);
  s.skip_lws();
  out.type = s.token();
  if (out.type.empty() || !s.accept_separator('/')) return kMalformed;
  out.subtype = s.token();
  if (out.subtype.empty()) return kMalformed;
  if (!scan_params(s, out.params)) return kMalformed;
  s.skip_lws();
  return s.done() ? std::string_view{} : kMalformed;
}

bool MediaType::matches(std::string_view type_slash_subtype) const noexcept {
  std::size_t slash = type_slash_subtype.find('/');
  if (slash == std::string_view::npos) return false;
  std::string_view t = type_slash_subtype.substr(0, slash);
  std::string_view st = type_slash_subtype.substr(slash + 1);
  if (type == "*") return subtype == "*";
  if (!charset::iequals(type, t)) return false;
  return subtype == "*" || charset::iequals(subtype, st);
}

}  // namespace trapezoid::sip
