// Header parameters: *( SEMI generic-param ), generic-param = token [ EQUAL gen-value ]
// (RFC 3261 §25.1), kept as one raw view and looked up on demand.
//
//   Params p{R"(tag=1928301774;q=0.7;lr)"};
//   p.get("tag");   // "1928301774";  p.get("lr") -> ""  ;  p.get("x") -> nullopt
#pragma once

#include <optional>
#include <string_view>

#include "sip/scanner.hpp"

namespace trapezoid::sip {

struct Param {
  std::string_view name;
  std::string_view value;  // "" for a flag; a quoted-string keeps its quotes
  bool has_value = false;
};

// Raw parameters without the first ';' ("tag=x;lr"). Parsed by scan_params, which guarantees
// that iteration over a stored Params never fails.
class Params {
 public:
  constexpr Params() = default;
  explicit constexpr Params(std::string_view raw) noexcept : raw_(raw) {}

  [[nodiscard]] constexpr std::string_view raw() const noexcept { return raw_; }
  [[nodiscard]] constexpr bool empty() const noexcept { return raw_.empty(); }

  // Value of the first parameter with this (case-insensitive) name.
  [[nodiscard]] std::optional<std::string_view> get(std::string_view name) const noexcept;
  [[nodiscard]] bool has(std::string_view name) const noexcept { return get(name).has_value(); }

  // Calls f(const Param&) for each parameter in order.
  template <class F>
  void for_each(F&& f) const {
    Scanner s(raw_);
    while (!s.done()) {
      Param p;
      if (!next(s, p)) return;
      f(p);
    }
  }

  // Reads one generic-param at the cursor (after its ';') and the ';' that follows it, if any.
  static bool next(Scanner& s, Param& out) noexcept;

 private:
  std::string_view raw_;
};

// Parses *( SEMI generic-param ) at the cursor, which stands on the first ';' (or on something
// else when there are no parameters). Stops before a ',' or the end. On success `out` holds the
// parameters without the first ';' and the cursor is after them; returns false on bad syntax
// or when on_param(const Param&) returns false. One pass: typed headers read their own
// parameters (branch, tag, q, ...) through on_param instead of looking them up again.
template <class OnParam>
[[nodiscard]] bool scan_params(Scanner& s, Params& out, OnParam&& on_param) noexcept {
  out = Params{};
  if (!s.accept_separator(';')) return true;
  // The loop keeps its position in locals and hands it back to `s` when it stops.
  const std::string_view text = s.text();
  const char* const end = text.data() + text.size();
  const char* const start = text.data() + s.pos();
  const char* p = start;
  const char* last = start;  // after the last parameter
  auto stop_at = [&s, &text](const char* at) { s.set_pos(static_cast<std::size_t>(at - text.data())); };
  while (true) {
    p = cursor::skip_lws(p, end);
    Param param;
    const char* name_end = cursor::skip_token(p, end);
    if (name_end == p) return stop_at(p), false;
    param.name = std::string_view(p, static_cast<std::size_t>(name_end - p));
    p = name_end;
    // EQUAL = SWS "=" SWS
    if (const char* eq = cursor::skip_lws(p, end); eq != end && *eq == '=') {
      param.has_value = true;
      p = cursor::skip_lws(eq + 1, end);
      const char* value_end = cursor::skip_gen_value(text, p, end);
      if (value_end == p) return stop_at(p), false;
      param.value = std::string_view(p, static_cast<std::size_t>(value_end - p));
      p = value_end;
    }
    if (!on_param(param)) return stop_at(p), false;
    last = p;
    const char* semi = cursor::skip_lws(p, end);
    if (semi == end || *semi != ';') break;
    p = semi + 1;
  }
  stop_at(last);
  out = Params(std::string_view(start, static_cast<std::size_t>(last - start)));
  return true;
}

[[nodiscard]] inline bool scan_params(Scanner& s, Params& out) noexcept {
  return scan_params(s, out, [](const Param&) { return true; });
}

}  // namespace trapezoid::sip
