// A cursor over a header value for the typed header parsers (RFC 3261 §25.1 basic rules).
//
//   Scanner s(value);
//   std::string_view name = s.token();
//   if (s.skip_equal()) value = s.token_or_quoted();
//
// Header values may hold folded line breaks; as the message parser already checked that every
// line break is followed by whitespace, the scanner treats CR and LF as linear whitespace.
#pragma once

#include <cstddef>
#include <string_view>

#include "sip/charset.hpp"
#include "sip/lws.hpp"

namespace trapezoid::sip {

class Scanner {
 public:
  explicit constexpr Scanner(std::string_view text) noexcept : text_(text) {}

  [[nodiscard]] constexpr bool done() const noexcept { return pos_ >= text_.size(); }
  [[nodiscard]] constexpr char peek() const noexcept { return done() ? '\0' : text_[pos_]; }
  [[nodiscard]] constexpr std::size_t pos() const noexcept { return pos_; }
  constexpr void set_pos(std::size_t p) noexcept { pos_ = p; }
  [[nodiscard]] constexpr std::string_view rest() const noexcept { return text_.substr(pos_); }
  [[nodiscard]] constexpr std::string_view text() const noexcept { return text_; }
  [[nodiscard]] constexpr std::string_view slice(std::size_t from) const noexcept {
    return text_.substr(from, pos_ - from);
  }

  // LWS / SWS: spaces, tabs and folded line breaks. Returns whether any was skipped.
  constexpr bool skip_lws() noexcept {
    std::size_t start = pos_;
    while (pos_ < text_.size() && is_lws_char(text_[pos_])) ++pos_;
    return pos_ != start;
  }

  // Consumes `c` if it is next, with no whitespace skipped.
  constexpr bool accept(char c) noexcept {
    if (peek() != c || done()) return false;
    ++pos_;
    return true;
  }

  // SWS c SWS, as in SEMI, COMMA, EQUAL, SLASH, COLON (§25.1). Leaves the cursor unchanged if
  // `c` is not next.
  constexpr bool accept_separator(char c) noexcept {
    std::size_t save = pos_;
    skip_lws();
    if (!accept(c)) {
      pos_ = save;
      return false;
    }
    skip_lws();
    return true;
  }

  // token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~")
  constexpr std::string_view token() noexcept { return span_while(charset::is_token); }

  // quoted-string = SWS DQUOTE *(qdtext / quoted-pair) DQUOTE (lws.hpp has the rules). Returns
  // the string with its quotes; empty (and the cursor unchanged) if there is none or it is
  // unterminated or malformed.
  constexpr std::string_view quoted_string() noexcept { return lws::parse_quoted_string(text_, pos_); }

  // gen-value = token / host / quoted-string (§25.1). host is covered by a wider character
  // set: IPv6 references bring ':' '[' ']'.
  constexpr std::string_view gen_value() noexcept {
    if (peek() == '"') return quoted_string();
    return span_while([](char c) { return charset::is_token(c) || c == ':' || c == '[' || c == ']'; });
  }

  template <class Pred>
  constexpr std::string_view span_while(Pred pred) noexcept {
    std::size_t start = pos_;
    while (pos_ < text_.size() && pred(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }

  static constexpr bool is_lws_char(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

// Trims LWS (including folded line breaks) from both ends.
constexpr std::string_view trim_lws(std::string_view s) noexcept {
  while (!s.empty() && Scanner::is_lws_char(s.front())) s.remove_prefix(1);
  while (!s.empty() && Scanner::is_lws_char(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace trapezoid::sip
