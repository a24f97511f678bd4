// media-type values of Content-Type and Accept (RFC 3261 §20.1, §20.15, §25.1).
//
//   MediaType t;
//   if (parse_media_type("application/sdp;charset=utf-8", t).empty()) t.type;  // "application"
#pragma once

#include <string_view>

#include "sip/params.hpp"

namespace trapezoid::sip {

struct MediaType {
  std::string_view type;     // "application"; "*" in an Accept range
  std::string_view subtype;  // "sdp"
  Params params;

  // Case-insensitive match of "type/subtype" against this type or range ("*/*", "text/*").
  [[nodiscard]] bool matches(std::string_view type_slash_subtype) const noexcept;
  // The other way round: whether this (concrete) type lies in `range` ("application/sdp",
  // "text/*", "*/*"). A type that is itself a wildcard lies in no range.
  [[nodiscard]] bool in_range(std::string_view range) const noexcept;
  [[nodiscard]] bool is_wildcard() const noexcept { return type == "*" || subtype == "*"; }
};

// Returns "" on success, else "Malformed Content-Type".
[[nodiscard]] std::string_view parse_media_type(std::string_view text, MediaType& out) noexcept;

}  // namespace trapezoid::sip
