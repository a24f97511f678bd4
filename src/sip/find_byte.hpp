// Finding a byte fast in short spans (header lines of 20-80 bytes), where a library memchr
// spends more on setup than on scanning.
//
//   const char* lf = find_byte(p, end, '\n');   // nullptr when absent
#pragma once

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace trapezoid::sip {

inline const char* find_byte(const char* p, const char* end, char c) noexcept {
#if defined(__SSE2__)
  const __m128i needle = _mm_set1_epi8(c);
  while (end - p >= 16) {
    __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    if (int hits = _mm_movemask_epi8(_mm_cmpeq_epi8(chunk, needle)); hits != 0) return p + __builtin_ctz(hits);
    p += 16;
  }
#endif
  for (; p < end; ++p)
    if (*p == c) return p;
  return nullptr;
}

}  // namespace trapezoid::sip
