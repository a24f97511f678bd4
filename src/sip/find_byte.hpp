// Finding a byte fast in short spans (header lines of 20-80 bytes), where a library memchr
// spends more on setup than on scanning.
//
//   const char* lf = find_byte(p, end, '\n');            // nullptr when absent
//   const char* stop = find_either(p, end, ':', '\n');   // the first of the two, or nullptr
//   LineMarks m = find_colon_and_lf(p, end);            // a header line's ':' and '\n'
//   const char* sp = find_space_or_control(p, end);     // the first byte <= 0x20 or 0x7F
//   bool any = contains_any_of(p, end, ':', '[', ']');    // whether any of three bytes occurs
//
// Only whole 16-byte blocks inside [p, end) are loaded, so nothing past `end` is read.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace trapezoid::sip {

namespace find_detail {

// SWAR ("SIMD within a register") over 8 bytes of a little-endian word: 0x80 in each byte that
// equals `c`. XOR turns those bytes into zeros, and (v - 0x01..) & ~v flags zero bytes; a borrow
// can flag a byte above a real zero, never below one, so the lowest flag is always exact.
inline std::uint64_t equal_bytes(std::uint64_t word, char c) noexcept {
  constexpr std::uint64_t k01 = 0x0101010101010101u;
  const std::uint64_t v = word ^ (k01 * static_cast<unsigned char>(c));
  return (v - k01) & ~v & (k01 * 0x80);
}

inline std::uint64_t load8(const char* p) noexcept {
  std::uint64_t w;
  std::memcpy(&w, p, sizeof w);
  return w;
}

// The first `c` in a span of 8 to 16 bytes: two overlapping words.
inline const char* find_in_8_to_16(const char* p, const char* end, char c) noexcept {
  if (const std::uint64_t hits = equal_bytes(load8(p), c); hits != 0) return p + __builtin_ctzll(hits) / 8;
  const char* last = end - 8;
  if (const std::uint64_t hits = equal_bytes(load8(last), c); hits != 0) return last + __builtin_ctzll(hits) / 8;
  return nullptr;
}

}  // namespace find_detail

inline const char* find_byte(const char* p, const char* end, char c) noexcept {
  static_assert(std::endian::native == std::endian::little, "byte k of a loaded word is bits 8k..8k+7");
#if defined(__SSE2__)
  if (end - p >= 16) {
    const __m128i needle = _mm_set1_epi8(c);
    while (true) {
      __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
      if (int hits = _mm_movemask_epi8(_mm_cmpeq_epi8(chunk, needle)); hits != 0) return p + __builtin_ctz(hits);
      p += 16;
      if (end - p < 16) break;
    }
    if (p == end) return nullptr;
    // The last 16 bytes, overlapping bytes already searched (they hold no `c`).
    const char* last = end - 16;
    __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(last));
    const int hits = _mm_movemask_epi8(_mm_cmpeq_epi8(chunk, needle));
    return hits != 0 ? last + __builtin_ctz(hits) : nullptr;
  }
#endif
  if (end - p >= 8) return find_detail::find_in_8_to_16(p, end, c);
  for (; p < end; ++p)
    if (*p == c) return p;
  return nullptr;
}

inline const char* find_either(const char* p, const char* end, char a, char b) noexcept {
#if defined(__SSE2__)
  const __m128i needle_a = _mm_set1_epi8(a);
  const __m128i needle_b = _mm_set1_epi8(b);
  while (end - p >= 16) {
    __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    __m128i hit = _mm_or_si128(_mm_cmpeq_epi8(chunk, needle_a), _mm_cmpeq_epi8(chunk, needle_b));
    if (int hits = _mm_movemask_epi8(hit); hits != 0) return p + __builtin_ctz(hits);
    p += 16;
  }
#endif
  for (; p < end; ++p)
    if (*p == a || *p == b) return p;
  return nullptr;
}

// Whether any of the bytes a, b, c occurs in [p, end): eight bytes at a time. A flag of
// equal_bytes above a real match may be false, but then a real one exists below it, so "any"
// is exact.
inline bool contains_any_of(const char* p, const char* end, char a, char b, char c) noexcept {
  using find_detail::equal_bytes;
  using find_detail::load8;
  if (end - p >= 8) {
    for (; end - p >= 8; p += 8) {
      const std::uint64_t w = load8(p);
      if ((equal_bytes(w, a) | equal_bytes(w, b) | equal_bytes(w, c)) != 0) return true;
    }
    if (p == end) return false;
    const std::uint64_t w = load8(end - 8);  // the last 8, overlapping bytes already seen
    return (equal_bytes(w, a) | equal_bytes(w, b) | equal_bytes(w, c)) != 0;
  }
  for (; p < end; ++p)
    if (*p == a || *p == b || *p == c) return true;
  return false;
}

// The first space or control character (0x00-0x20, 0x7F): where a Request-URI ends.
inline const char* find_space_or_control(const char* p, const char* end) noexcept {
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(' ');
  const __m128i del = _mm_set1_epi8(0x7F);
  while (end - p >= 16) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    // Unsigned min: a byte equals min(byte, 0x20) exactly when it is 0x20 or below.
    const __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(chunk, space), chunk);
    if (int hits = _mm_movemask_epi8(_mm_or_si128(low, _mm_cmpeq_epi8(chunk, del))); hits != 0)
      return p + __builtin_ctz(hits);
    p += 16;
  }
#endif
  for (; p < end; ++p)
    if (static_cast<unsigned char>(*p) <= 0x20 || *p == 0x7F) return p;
  return nullptr;
}

// A header field line's landmarks from its start: the first '\n' (nullptr when the bytes end
// first) and the first ':' before it (nullptr when there is none). One 16-byte block usually
// holds the colon, so it is examined for both bytes before the search for '\n' goes on.
struct LineMarks {
  const char* colon;
  const char* lf;
};

inline LineMarks find_colon_and_lf(const char* p, const char* end) noexcept {
#if defined(__SSE2__)
  if (end - p >= 16) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const unsigned colons = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, _mm_set1_epi8(':'))));
    const unsigned lfs = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(chunk, _mm_set1_epi8('\n'))));
    if (colons != 0) {
      const unsigned at = static_cast<unsigned>(__builtin_ctz(colons));
      const unsigned before = lfs & ((1u << at) - 1);
      if (before != 0) return {nullptr, p + __builtin_ctz(before)};
      const unsigned after = lfs & ~((2u << at) - 1);
      return {p + at, after != 0 ? p + __builtin_ctz(after) : find_byte(p + 16, end, '\n')};
    }
    if (lfs != 0) return {nullptr, p + __builtin_ctz(lfs)};
    p += 16;
  }
#endif
  const char* stop = find_either(p, end, ':', '\n');
  if (stop == nullptr || *stop == '\n') return {nullptr, stop};
  return {stop, find_byte(stop + 1, end, '\n')};
}

}  // namespace trapezoid::sip
