// The Contact header (RFC 3261 §20.10): "*" or a list of addresses with q and expires.
//
//   Contact c;
//   if (parse_contact("<sip:alice@pc33.atlanta.com>;q=0.7;expires=3600", c).empty())
//     c.q;  // 700
#pragma once

#include <cstdint>
#include <string_view>

#include "sip/name_addr.hpp"

namespace trapezoid::sip {

struct Contact {
  bool star = false;  // "Contact: *" (REGISTER with Expires: 0 only, §10.2.2)
  NameAddr address;
  int q = -1;                  // thousandths (0..1000); -1 when absent
  std::int64_t expires = -1;   // seconds; -1 when absent
};

// Parses one element of the Contact list. Returns "" or "Malformed Contact".
[[nodiscard]] std::string_view parse_contact(std::string_view text, Contact& out) noexcept;

// The same at a cursor, stopping before the ',' of the next element (see scan_via).
[[nodiscard]] std::string_view scan_contact(Scanner& s, Contact& out) noexcept;

}  // namespace trapezoid::sip
