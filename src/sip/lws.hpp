// Lexical helpers for header values: linear whitespace, tokens and quoted-strings
// (RFC 3261 §25.1 basic rules), strict enough to run on hostile input.
//
//   std::size_t pos = 0;
//   lws::skip_lws(value, pos);
//   std::string_view name = lws::parse_token(value, pos);            // "realm"
//   std::string_view raw = lws::parse_quoted_string(value, pos);     // "\"a\\\"b\"" (quotes kept)
//   std::string text = lws::unquote(raw);                            // a"b
//
// Every function takes the text and a cursor index; a failed parse leaves the cursor where it
// was. Nothing allocates except unquote() and append_quoted().
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "sip/charset.hpp"

namespace trapezoid::sip::lws {

// The length of the line break at `pos` when it starts a fold (CRLF or bare LF followed by
// SP/HTAB), else 0. A line break not followed by whitespace would end the header field, so it
// is never whitespace inside a value.
constexpr std::size_t fold_length(std::string_view s, std::size_t pos) noexcept {
  std::size_t p = pos;
  if (p < s.size() && s[p] == '\r') ++p;
  if (p >= s.size() || s[p] != '\n') return 0;
  ++p;
  if (p >= s.size() || !charset::is_ws(s[p])) return 0;
  return p - pos;
}

// SWS = [LWS], LWS = [*WSP CRLF] 1*WSP. Advances `pos` past any whitespace and folds; returns
// whether anything was skipped. Like the message parser, a bare LF is accepted for CRLF.
constexpr bool skip_lws(std::string_view s, std::size_t& pos) noexcept {
  const std::size_t start = pos;
  while (pos < s.size()) {
    if (charset::is_ws(s[pos])) {
      ++pos;
    } else if (std::size_t n = fold_length(s, pos); n != 0) {
      pos += n;
    } else {
      break;
    }
  }
  return pos != start;
}

// token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~").
// Returns the token at `pos` (empty when there is none) and advances past it.
constexpr std::string_view parse_token(std::string_view s, std::size_t& pos) noexcept {
  const std::size_t start = pos;
  while (pos < s.size() && charset::is_token(s[pos])) ++pos;
  return s.substr(start, pos - start);
}

// UTF8-NONASCII (§25.1): the length of the multi-byte sequence at `pos`, or 0 when malformed.
constexpr std::size_t utf8_nonascii_length(std::string_view s, std::size_t pos) noexcept {
  const auto lead = static_cast<unsigned char>(s[pos]);
  std::size_t conts = 0;
  if (lead >= 0xC0 && lead <= 0xDF) conts = 1;
  else if (lead >= 0xE0 && lead <= 0xEF) conts = 2;
  else if (lead >= 0xF0 && lead <= 0xF7) conts = 3;
  else if (lead >= 0xF8 && lead <= 0xFB) conts = 4;
  else if (lead >= 0xFC && lead <= 0xFD) conts = 5;
  else return 0;
  if (s.size() - pos <= conts) return 0;
  for (std::size_t i = 1; i <= conts; ++i) {
    const auto c = static_cast<unsigned char>(s[pos + i]);
    if (c < 0x80 || c > 0xBF) return 0;
  }
  return conts + 1;
}

// quoted-string = SWS DQUOTE *(qdtext / quoted-pair) DQUOTE, the SWS left to the caller.
// qdtext = LWS / %x21 / %x23-5B / %x5D-7E / UTF8-NONASCII;
// quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F).
// Returns the string with its quotes and advances past it; returns empty (a real quoted-string
// is never empty) and leaves `pos` alone when there is none, or it is unterminated or malformed.
constexpr std::string_view parse_quoted_string(std::string_view s, std::size_t& pos) noexcept {
  if (pos >= s.size() || s[pos] != '"') return {};
  std::size_t i = pos + 1;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '"') {
      const std::size_t start = pos;
      pos = i + 1;
      return s.substr(start, pos - start);
    }
    if (c == '\\') {
      if (i + 1 >= s.size()) return {};
      const auto q = static_cast<unsigned char>(s[i + 1]);
      // CR and LF cannot be escaped: that would hide a header boundary (§25.1).
      if (q == '\r' || q == '\n' || q > 0x7F) return {};
      i += 2;
    } else if (c == ' ' || c == '\t' || (c >= 0x21 && c <= 0x7E)) {
      ++i;
    } else if (c == '\r' || c == '\n') {
      const std::size_t n = fold_length(s, i);
      if (n == 0) return {};
      i += n;
    } else if (c >= 0x80) {
      const std::size_t n = utf8_nonascii_length(s, i);
      if (n == 0) return {};
      i += n;
    } else {
      return {};  // other control characters are only allowed as quoted-pairs
    }
  }
  return {};
}

// The text between the quotes of a quoted-string without its quotes, escapes still in place.
// A value that is not quoted comes back unchanged.
constexpr std::string_view strip_quotes(std::string_view raw) noexcept {
  if (raw.size() >= 2 && raw.front() == '"' && raw.back() == '"')
    return raw.substr(1, raw.size() - 2);
  return raw;
}

// The value a quoted-string stands for: quotes removed, quoted-pairs resolved, and the line
// break of each fold dropped (its whitespace stays, so a fold reads as a space). A value that is
// not quoted (a token) is returned as is. Expects text accepted by parse_quoted_string.
inline std::string unquote(std::string_view raw) {
  if (raw.size() < 2 || raw.front() != '"' || raw.back() != '"') return std::string(raw);
  const std::string_view inner = raw.substr(1, raw.size() - 2);
  std::string out;
  out.reserve(inner.size());
  for (std::size_t i = 0; i < inner.size(); ++i) {
    const char c = inner[i];
    if (c == '\\' && i + 1 < inner.size()) {
      out.push_back(inner[++i]);
    } else if (c != '\r' && c != '\n') {
      out.push_back(c);
    }
  }
  return out;
}

// Appends `text` to `out` as a quoted-string, escaping '"', '\\' and control characters.
// Returns false (leaving `out` as it was) when `text` holds CR, LF or malformed UTF-8, which no
// quoted-string can carry.
inline bool append_quoted(std::string& out, std::string_view text) {
  const std::size_t size_before = out.size();
  out.push_back('"');
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '\r' || c == '\n') {
      out.resize(size_before);
      return false;
    }
    if (c >= 0x80) {
      const std::size_t n = utf8_nonascii_length(text, i);
      if (n == 0) {
        out.resize(size_before);
        return false;
      }
      out.append(text.substr(i, n));
      i += n;
      continue;
    }
    if (c == '"' || c == '\\' || (c < 0x20 && c != '\t') || c == 0x7F) out.push_back('\\');
    out.push_back(static_cast<char>(c));
    ++i;
  }
  out.push_back('"');
  return true;
}

}  // namespace trapezoid::sip::lws
