#include "sip/cseq.hpp"

#include "sip/scanner.hpp"

namespace trapezoid::sip {

std::string_view parse_cseq(std::string_view text, CSeq& out) noexcept {
  constexpr std::string_view kMalformed = "Malformed CSeq";
  out = CSeq{};
  Scanner s(text);
  s.skip_lws();
  std::string_view digits = s.span_while(charset::is_digit);
  if (digits.empty()) return kMalformed;
  std::uint64_t n = 0;
  for (char c : digits) {
    n = n * 10 + static_cast<unsigned>(c - '0');
    if (n > 0xFFFFFFFFu) return kMalformed;
  }
  // CSeq = 1*DIGIT LWS Method
  if (!s.skip_lws()) return kMalformed;
  out.method_name = s.token();
  if (out.method_name.empty()) return kMalformed;
  s.skip_lws();
  if (!s.done()) return kMalformed;
  out.number = static_cast<std::uint32_t>(n);
  out.method = lookup_method(out.method_name);
  return {};
}

}  // namespace trapezoid::sip
