#include "sip/media_type.hpp"

#include "sip/charset.hpp"

namespace trapezoid::sip {

std::string_view parse_media_type(std::string_view text, MediaType& out) noexcept {
  constexpr std::string_view kMalformed = "Malformed Content-Type";
  // Nearly every SIP body is SDP, written exactly so: one compare instead of two token scans
  // and a parameter scan (which would find the same type, subtype and no parameters).
  if (constexpr std::string_view kSdp = "application/sdp"; text == kSdp) {
    out.type = text.substr(0, 11);
    out.subtype = text.substr(12);
    out.params = Params{};
    return {};
  }
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
  if (type == "*") return subtype == "*" && type_slash_subtype.find('/') != std::string_view::npos;
  // type and subtype are tokens, which never hold '/', so the pattern must continue with '/'
  // right after a type of the same length.
  const std::size_t n = type.size();
  if (type_slash_subtype.size() <= n || type_slash_subtype[n] != '/' ||
      !charset::iequals(type, type_slash_subtype.substr(0, n)))
    return false;
  return subtype == "*" || charset::iequals(subtype, type_slash_subtype.substr(n + 1));
}

bool MediaType::in_range(std::string_view range) const noexcept {
  if (is_wildcard()) return false;
  // The usual case: type '/' subtype as written, with no parameters between (so contiguous),
  // is byte for byte the range, which then matches whatever the case rules say.
  if (const std::size_t n = type.size() + 1 + subtype.size();
      range.size() == n && subtype.data() == type.data() + type.size() + 1 &&
      charset::same_text(std::string_view(type.data(), n), range))
    return true;
  std::size_t slash = 0;  // a short loop: cheaper than find's call to memchr
  while (slash < range.size() && range[slash] != '/') ++slash;
  if (slash == range.size()) return false;
  const std::string_view range_type = range.substr(0, slash);
  const std::string_view range_subtype = range.substr(slash + 1);
  if (range_type == "*") return range_subtype == "*";
  return charset::iequals(range_type, type) && (range_subtype == "*" || charset::iequals(range_subtype, subtype));
}

}  // namespace trapezoid::sip
