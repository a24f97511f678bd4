// The three outcomes of parsing bytes, picohttpparser-style: complete (with the number of bytes
// consumed), incomplete (a stream needs more bytes), or an error that says what and where.
#pragma once

#include <cstddef>
#include <string_view>

namespace trapezoid::sip {

struct ParseError {
  // The response a server sends for this error (400, 413, 505, ...); the reason phrase names
  // the problem ("Malformed Via"). Static storage: valid for the program's lifetime.
  int status = 0;
  std::string_view reason;
  std::size_t offset = 0;  // where in the input the problem was found
};

enum class ParseStatus : unsigned char { kComplete, kIncomplete, kError };

struct [[nodiscard]] ParseResult {
  ParseStatus status = ParseStatus::kError;
  std::size_t consumed = 0;  // bytes that made up the message (kComplete only)
  ParseError error;          // kError only

  [[nodiscard]] bool ok() const noexcept { return status == ParseStatus::kComplete; }
  [[nodiscard]] bool incomplete() const noexcept { return status == ParseStatus::kIncomplete; }

  static ParseResult complete(std::size_t n) { return {ParseStatus::kComplete, n, {}}; }
  static ParseResult need_more() { return {ParseStatus::kIncomplete, 0, {}}; }
  static ParseResult fail(int status, std::string_view reason, std::size_t offset) {
    return {ParseStatus::kError, 0, {status, reason, offset}};
  }
};

}  // namespace trapezoid::sip
