// The CSeq header: a sequence number and a method (RFC 3261 §8.1.1.5, §20.16).
//
//   CSeq c;
//   if (parse_cseq("314159 INVITE", c).empty()) c.number;  // 314159
#pragma once

#include <cstdint>
#include <string_view>

#include "sip/method.hpp"

namespace trapezoid::sip {

struct CSeq {
  std::uint32_t number = 0;
  std::string_view method_name;
  Method method = Method::kUnknown;
};

// Returns "" on success, else "Malformed CSeq". The number must fit 32 bits (§8.1.1.5 says a
// sender keeps it below 2**31; a receiver accepts the 32-bit range and rejects the rest).
[[nodiscard]] std::string_view parse_cseq(std::string_view text, CSeq& out) noexcept;

}  // namespace trapezoid::sip
