// Private to uri*.cpp: the text helpers that URI parsing and comparison share. Parameter and
// header lists ("a=1;b;c=2", "x=1&y=2"), their items and names, and escaped text (%XX).
//
//   uri_detail::lookup("transport=tcp;lr", ';', "LR");    // "" (present, no value)
//   uri_detail::equivalent("%61bc", "ABC", true);          // true
//   uri_detail::equivalent("a%3Bb", "a;b", false);         // false: ';' is reserved
//
// Inline, as the parser runs them on every URI.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "sip/charset.hpp"

namespace trapezoid::sip::uri_detail {

// ---------------------------------------------------------------------------------------------
// Lists.

struct NameValue {
  std::string_view name;
  std::string_view value;  // "" when there is no '='
  bool has_value = false;
};

inline NameValue split_name_value(std::string_view item) noexcept {
  const std::size_t eq = item.find('=');
  if (eq == std::string_view::npos) return {item, {}, false};
  return {item.substr(0, eq), item.substr(eq + 1), true};
}

// Calls f(item) for each `sep`-separated item of `list` (an empty list is one empty item);
// stops early and returns false as soon as f does.
template <class F>
bool for_each_item(std::string_view list, char sep, F&& f) {
  constexpr auto npos = std::string_view::npos;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = list.find(sep, start);
    if (!f(list.substr(start, end == npos ? npos : end - start))) return false;
    if (end == npos) return true;
    start = end + 1;
  }
}

// ---------------------------------------------------------------------------------------------
// Escaped text.

// The octet a valid "%" HEX HEX escape stands for.
inline char decode_escape(char hi, char lo) noexcept {
  return static_cast<char>(charset::hex_value(hi) * 16 + charset::hex_value(lo));
}

// One character of an escaped component: its decoded value, and whether it was an escaped
// reserved character. RFC 3261 §19.1.4 (after RFC 2396): only characters outside the
// "reserved" set are equivalent to their %XX form, so "%3B" and ";" stay different.
struct Unit {
  char c;
  bool escaped_reserved;
};

inline Unit read_unit(std::string_view s, std::size_t& i) noexcept {
  if (s[i] == '%' && i + 2 < s.size() && charset::is_hex(s[i + 1]) && charset::is_hex(s[i + 2])) {
    const char c = decode_escape(s[i + 1], s[i + 2]);
    i += 3;
    return {c, charset::has(c, charset::kReserved)};
  }
  return {s[i++], false};
}

// Compares two escaped strings character by character after decoding; `fold` makes the
// comparison case-insensitive.
inline bool equivalent(std::string_view a, std::string_view b, bool fold) noexcept {
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() && j < b.size()) {
    const Unit x = read_unit(a, i);
    const Unit y = read_unit(b, j);
    if (x.escaped_reserved != y.escaped_reserved) return false;
    if ((fold ? charset::lower(x.c) : x.c) != (fold ? charset::lower(y.c) : y.c)) return false;
  }
  return i == a.size() && j == b.size();
}

// ---------------------------------------------------------------------------------------------
// Lookup by name.

// The first item of `list` whose (escaped) name matches `name`.
inline std::optional<std::string_view> find_item(std::string_view list, char sep,
                                                 std::string_view name) noexcept {
  if (list.empty()) return std::nullopt;
  std::optional<std::string_view> found;
  for_each_item(list, sep, [&](std::string_view item) {
    if (!equivalent(split_name_value(item).name, name, true)) return true;
    found = item;
    return false;
  });
  return found;
}

// The value of the first item named `name`: "" for a bare name, std::nullopt when absent.
inline std::optional<std::string_view> lookup(std::string_view list, char sep,
                                              std::string_view name) noexcept {
  const auto item = find_item(list, sep, name);
  if (!item) return std::nullopt;
  return split_name_value(*item).value;
}

// ---------------------------------------------------------------------------------------------
// tel (RFC 3966 §3).

// visual-separator = "-" / "." / "(" / ")": written for readability, ignored in comparison.
constexpr bool is_visual_separator(char c) { return c == '-' || c == '.' || c == '(' || c == ')'; }

}  // namespace trapezoid::sip::uri_detail
