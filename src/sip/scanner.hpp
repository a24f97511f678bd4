// A cursor over a header value for the typed header parsers (RFC 3261 §25.1 basic rules).
//
//   Scanner s(value);
//   std::string_view name = s.token();
//   if (s.skip_equal()) value = s.token_or_quoted();
//
//   const char* p = cursor::skip_lws(begin, end);    // the same steps on a bare pointer
//   const char* name_end = cursor::skip_token(p, end);
//
// Header values may hold folded line breaks; as the message parser already checked that every
// line break is followed by whitespace, the scanner treats CR and LF as linear whitespace.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sip/charset.hpp"
#include "sip/lws.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace trapezoid::sip {

// Pointer-level forms of the scanner's steps, for parsers that keep their position in a local
// (a register) rather than in a Scanner that every store to an output might alias. Each takes
// the position and the end of the text and returns the position after what it skipped.
namespace cursor {

// SP, HTAB, CR, LF: one shift and mask instead of four compares.
constexpr bool is_lws_char(char c) noexcept {
  const auto u = static_cast<unsigned char>(c);
  return u <= ' ' && ((std::uint64_t{1} << ' ' | 1u << '\t' | 1u << '\r' | 1u << '\n') >> u & 1) != 0;
}

namespace detail {
// One byte per character: 1 when it belongs to the class.
using ClassTable = std::array<std::uint8_t, 256>;

template <class Pred>
constexpr ClassTable make_class(Pred pred) {
  ClassTable t{};
  for (int c = 0; c < 256; ++c) t[static_cast<std::size_t>(c)] = pred(static_cast<char>(c)) ? 1 : 0;
  return t;
}

inline constexpr ClassTable kTokenChars = make_class(charset::is_token);
inline constexpr ClassTable kWordChars = make_class(charset::is_word);
// gen-value = token / host / quoted-string (§25.1): outside quotes, host brings ':' '[' ']'
// (IPv6 references) to the token characters.
inline constexpr ClassTable kGenValueChars =
    make_class([](char c) { return charset::is_token(c) || c == ':' || c == '[' || c == ']'; });

constexpr std::uint8_t in(const ClassTable& t, char c) noexcept { return t[static_cast<unsigned char>(c)]; }

// The run of class characters at p: four bytes per branch while four are left (the AND of
// their table bytes is 1 only when all four belong), then byte by byte.
constexpr const char* skip_class(const char* p, const char* end, const ClassTable& t) noexcept {
  while (end - p >= 4 && (in(t, p[0]) & in(t, p[1]) & in(t, p[2]) & in(t, p[3])) != 0) p += 4;
  while (p != end && in(t, *p) != 0) ++p;
  return p;
}
}  // namespace detail

constexpr bool is_gen_value_char(char c) noexcept { return detail::in(detail::kGenValueChars, c) != 0; }

constexpr const char* skip_lws(const char* p, const char* end) noexcept {
  while (p != end && is_lws_char(*p)) ++p;
  return p;
}

template <class Pred>
constexpr const char* skip_while(const char* p, const char* end, Pred pred) noexcept {
  while (p != end && pred(*p)) ++p;
  return p;
}

constexpr const char* skip_token(const char* p, const char* end) noexcept {
  return detail::skip_class(p, end, detail::kTokenChars);
}

namespace detail {
// word = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~" / "(" / ")" /
// "<" / ">" / ":" / "\" / DQUOTE / "/" / "[" / "]" / "?" / "{" / "}") (§25.1): every visible
// character but these nine.
inline constexpr std::string_view kNonWordVisible = "#$&,;=@^|";
static_assert([] {
  for (int c = 0; c < 256; ++c) {
    const bool visible = c > 0x20 && c < 0x7F;
    const bool word = visible && kNonWordVisible.find(static_cast<char>(c)) == std::string_view::npos;
    if (word != (kWordChars[static_cast<std::size_t>(c)] != 0)) return false;
  }
  return true;
}());

#if defined(__SSE2__)
// Bit k set when byte k of the 16 at p is a word character.
inline unsigned word_bits(const char* p) noexcept {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  // Signed compares: bytes of 0x80 and above are negative, so not above 0x20.
  const __m128i visible = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(0x20)), _mm_cmplt_epi8(v, _mm_set1_epi8(0x7F)));
  __m128i other = _mm_setzero_si128();
  for (char c : kNonWordVisible) other = _mm_or_si128(other, _mm_cmpeq_epi8(v, _mm_set1_epi8(c)));
  return static_cast<unsigned>(_mm_movemask_epi8(_mm_andnot_si128(other, visible)));
}
#endif
}  // namespace detail

// word (§25.1): the characters of a Call-ID. Call-IDs run to 20-40 characters, so 16 bytes
// are classified at once where there are 16; the last partial block is read as the 16 bytes
// that end at `end`, ignoring the ones before p.
inline const char* skip_word(const char* p, const char* end) noexcept {
#if defined(__SSE2__)
  if (end - p >= 16) {
    while (true) {
      if (const unsigned bits = detail::word_bits(p); bits != 0xFFFF) return p + __builtin_ctz(~bits);
      p += 16;
      if (end - p < 16) break;
    }
    if (p == end) return p;
    const char* const last = end - 16;
    const unsigned bits = detail::word_bits(last) | ((1u << (p - last)) - 1);
    return bits == 0xFFFF ? end : last + __builtin_ctz(~bits);
  }
#endif
  return detail::skip_class(p, end, detail::kWordChars);
}

// gen-value at p (`text` holds p..end): a quoted-string with its quotes or a run of token and
// host characters. Returns p itself when there is none or the quoted-string is malformed.
constexpr const char* skip_gen_value(std::string_view text, const char* p, const char* end) noexcept {
  if (p != end && *p == '"') {
    std::size_t pos = static_cast<std::size_t>(p - text.data());
    return p + lws::parse_quoted_string(text, pos).size();
  }
  return detail::skip_class(p, end, detail::kGenValueChars);
}

}  // namespace cursor

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
    // Most calls find no whitespace at all: one test decides them.
    if (done() || !is_lws_char(text_[pos_])) return false;
    std::size_t i = pos_ + 1;
    while (i < text_.size() && is_lws_char(text_[i])) ++i;
    pos_ = i;
    return true;
  }

  // Consumes `c` if it is next, with no whitespace skipped.
  constexpr bool accept(char c) noexcept {
    if (done() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }

  // SWS c SWS, as in SEMI, COMMA, EQUAL, SLASH, COLON (§25.1). Leaves the cursor unchanged if
  // `c` is not next.
  constexpr bool accept_separator(char c) noexcept {
    if (accept(c)) {  // the usual case: no whitespace before it
      skip_lws();
      return true;
    }
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
    return span_while(is_gen_value_char);
  }

  template <class Pred>
  constexpr std::string_view span_while(Pred pred) noexcept {
    // Locals rather than members in the loop: the compiler keeps them in registers.
    const char* const data = text_.data();
    const std::size_t size = text_.size();
    const std::size_t start = pos_;
    std::size_t i = start;
    while (i < size && pred(data[i])) ++i;
    pos_ = i;
    return {data + start, i - start};
  }

  static constexpr bool is_lws_char(char c) noexcept { return cursor::is_lws_char(c); }
  static constexpr bool is_gen_value_char(char c) noexcept { return cursor::is_gen_value_char(c); }

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
