#include "sip/cseq.hpp"

#include "sip/scanner.hpp"

namespace trapezoid::sip {

std::string_view parse_cseq(std::string_view text, CSeq& out) noexcept {
  constexpr std::string_view kMalformed = "Malformed CSeq";
  out = CSeq{};
  // A pointer walk (scanner.hpp's cursor steps): the position stays in a register.
  const char* const end = text.data() + text.size();
  const char* p = cursor::skip_lws(text.data(), end);
  const char* const digits = p;
  // The digits first and the range after: no test per digit. n wraps only beyond 19 digits,
  // and a number that long is out of range unless it is mostly leading zeros.
  std::uint64_t n = 0;
  for (unsigned d; p != end && (d = static_cast<unsigned char>(*p) - unsigned{'0'}) <= 9; ++p) n = n * 10 + d;
  if (p == digits) return kMalformed;
  if (p - digits > 10) {
    const char* significant = digits;
    while (*significant == '0' && significant + 1 != p) ++significant;
    if (p - significant > 10) return kMalformed;
  }
  if (n > 0xFFFFFFFFu) return kMalformed;
  // CSeq = 1*DIGIT LWS Method
  const char* const method = cursor::skip_lws(p, end);
  if (method == p) return kMalformed;
  p = cursor::skip_token(method, end);
  out.method_name = std::string_view(method, static_cast<std::size_t>(p - method));
  if (out.method_name.empty()) return kMalformed;
  if (cursor::skip_lws(p, end) != end) return kMalformed;
  out.number = static_cast<std::uint32_t>(n);
  out.method = lookup_method(out.method_name);
  return {};
}

}  // namespace trapezoid::sip
