// delta-seconds values (Expires, Min-Expires, Contact;expires, Max-Forwards) (RFC 3261 §25.1).
//
//   std::uint32_t secs;
//   parse_delta_seconds("3600", secs);   // true, 3600
#pragma once

#include <cstdint>
#include <string_view>

namespace trapezoid::sip {

// delta-seconds = 1*DIGIT. Values past 2**32-1 are taken as 2**32-1, as §20.19 allows.
[[nodiscard]] bool parse_delta_seconds(std::string_view text, std::uint32_t& out) noexcept;

// Max-Forwards = 1*DIGIT, 0..255 (§20.22). Leading zeros are allowed ("0068").
[[nodiscard]] bool parse_max_forwards(std::string_view text, int& out) noexcept;

// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), as thousandths (0..1000).
[[nodiscard]] bool parse_qvalue(std::string_view text, int& thousandths) noexcept;

}  // namespace trapezoid::sip
