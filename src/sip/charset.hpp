// Character classes of the RFC 3261 §25.1 grammar, as constexpr lookup tables.
//
//   if (charset::is_token(c)) ...
//
// One 256-entry table of bit flags keeps every test a single load and mask.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace trapezoid::sip::charset {

enum : std::uint16_t {
  kAlnum = 1 << 0,
  kTokenExtra = 1 << 1,      // - . ! % * _ + ` ' ~
  kMark = 1 << 2,            // - _ . ! ~ * ' ( )
  kUserUnreserved = 1 << 3,  // & = + $ , ; ? /
  kParamUnreserved = 1 << 4, // [ ] / : & + $
  kHnvUnreserved = 1 << 5,   // [ ] / ? : + $
  kWordExtra = 1 << 6,       // ( ) < > : \ " / [ ] ? { }
  kWs = 1 << 7,              // SP HTAB
  kHex = 1 << 8,
  kPasswordExtra = 1 << 9,   // & = + $ ,
  kReserved = 1 << 10,       // ; / ? : @ & = + $ ,
};

namespace detail {
constexpr std::array<std::uint16_t, 256> make_table() {
  std::array<std::uint16_t, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] |= kAlnum | kHex;
  for (int c = 'a'; c <= 'z'; ++c) t[c] |= kAlnum;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] |= kAlnum;
  for (int c = 'a'; c <= 'f'; ++c) t[c] |= kHex;
  for (int c = 'A'; c <= 'F'; ++c) t[c] |= kHex;
  auto add = [&t](std::string_view chars, std::uint16_t flag) {
    for (char c : chars) t[static_cast<unsigned char>(c)] |= flag;
  };
  add("-.!%*_+`'~", kTokenExtra);
  add("-_.!~*'()", kMark);
  add("&=+$,;?/", kUserUnreserved);
  add("[]/:&+$", kParamUnreserved);
  add("[]/?:+$", kHnvUnreserved);
  add("()<>:\\\"/[]?{}", kWordExtra);
  add(" \t", kWs);
  add("&=+$,", kPasswordExtra);
  add(";/?:@&=+$,", kReserved);
  return t;
}
inline constexpr std::array<std::uint16_t, 256> kTable = make_table();
}  // namespace detail

constexpr bool has(char c, std::uint16_t flags) {
  return (detail::kTable[static_cast<unsigned char>(c)] & flags) != 0;
}
constexpr bool is_alnum(char c) { return has(c, kAlnum); }
constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_hex(char c) { return has(c, kHex); }
constexpr bool is_ws(char c) { return c == ' ' || c == '\t'; }
constexpr bool is_token(char c) { return has(c, kAlnum | kTokenExtra); }
constexpr bool is_word(char c) { return has(c, kAlnum | kTokenExtra | kWordExtra); }
constexpr bool is_unreserved(char c) { return has(c, kAlnum | kMark); }
constexpr bool is_user_char(char c) { return has(c, kAlnum | kMark | kUserUnreserved); }
constexpr bool is_password_char(char c) { return has(c, kAlnum | kMark | kPasswordExtra); }
constexpr bool is_param_char(char c) { return has(c, kAlnum | kMark | kParamUnreserved); }
constexpr bool is_hnv_char(char c) { return has(c, kAlnum | kMark | kHnvUnreserved); }
// uric = reserved / unreserved / escaped (the % is checked by the caller).
constexpr bool is_uric(char c) { return has(c, kAlnum | kMark | kReserved); }

constexpr bool all_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!is_token(c)) return false;
  return true;
}

// a == b, by 8-byte words for the lengths SIP's texts have (URIs, media types): a memcmp call
// costs more than the compare itself there. The last word overlaps the one before it.
inline bool same_text(std::string_view a, std::string_view b) noexcept {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  if (n < 8 || n > 64) return a == b;
  auto word = [](const char* p) {
    std::uint64_t w;
    std::memcpy(&w, p, sizeof w);
    return w;
  };
  for (std::size_t i = 0; i + 8 < n; i += 8)
    if (word(a.data() + i) != word(b.data() + i)) return false;
  return word(a.data() + n - 8) == word(b.data() + n - 8);
}

constexpr char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

constexpr bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a == b) return true;  // the usual case, and a plain compare is cheaper than folding
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

constexpr int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace trapezoid::sip::charset
