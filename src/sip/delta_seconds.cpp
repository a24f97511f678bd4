#include "sip/delta_seconds.hpp"

#include "sip/scanner.hpp"

namespace trapezoid::sip {

bool parse_delta_seconds(std::string_view text, std::uint32_t& out) noexcept {
  text = trim_lws(text);
  if (text.empty()) return false;
  std::uint64_t n = 0;
  for (char c : text) {
    if (!charset::is_digit(c)) return false;
    n = n * 10 + static_cast<unsigned>(c - '0');
    if (n > 0xFFFFFFFFu) n = 0xFFFFFFFFu + std::uint64_t{1};  // saturate, keep scanning digits
  }
  out = n > 0xFFFFFFFFu ? 0xFFFFFFFFu : static_cast<std::uint32_t>(n);
  return true;
}

bool parse_max_forwards(std::string_view text, int& out) noexcept {
  text = trim_lws(text);
  if (text.empty()) return false;
  int n = 0;
  for (char c : text) {
    if (!charset::is_digit(c)) return false;
    n = n * 10 + (c - '0');
    if (n > 255) return false;
  }
  out = n;
  return true;
}

bool parse_qvalue(std::string_view text, int& thousandths) noexcept {
  if (text.empty() || (text[0] != '0' && text[0] != '1')) return false;
  int whole = text[0] - '0';
  int frac = 0;
  if (text.size() > 1) {
    if (text[1] != '.' || text.size() > 5) return false;
    int scale = 100;
    for (std::size_t i = 2; i < text.size(); ++i, scale /= 10) {
      if (!charset::is_digit(text[i])) return false;
      frac += (text[i] - '0') * scale;
    }
  }
  if (whole == 1 && frac != 0) return false;
  thousandths = whole * 1000 + frac;
  return true;
}

}  // namespace trapezoid::sip
