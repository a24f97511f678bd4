#include "sip/serializer.hpp"

#include <array>
#include <charconv>
#include <cstring>
#include <string_view>

namespace trapezoid::sip {
namespace {

constexpr std::string_view kCrlf = "\r\n";
constexpr std::string_view kContentLengthName = "Content-Length";

// Decimal text of n in a small stack buffer.
struct Decimal {
  std::array<char, 24> buf{};
  std::size_t size = 0;
  explicit Decimal(std::size_t n) {
    auto r = std::to_chars(buf.data(), buf.data() + buf.size(), n);
    size = static_cast<std::size_t>(r.ptr - buf.data());
  }
  [[nodiscard]] std::string_view view() const { return {buf.data(), size}; }
};

std::size_t field_size(std::string_view name, std::string_view value) {
  // "Name:" [SP value] CRLF. An empty value gets no trailing space.
  return name.size() + 1 + (value.empty() ? 0 : 1 + value.size()) + kCrlf.size();
}


std::size_t start_line_size(const Message& msg) {
  if (msg.is_request())
    return msg.method_name().size() + 1 + msg.request_uri().size() + 1 + msg.version().size() + kCrlf.size();
  // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF (§7.2); the second SP is
  // written even for an empty Reason-Phrase, as the grammar asks.
  return msg.version().size() + 1 + 3 + 1 + msg.reason_phrase().size() + kCrlf.size();
}

void append_start_line(const Message& msg, std::string& out) {
  if (msg.is_request()) {
    // Request-Line = Method SP Request-URI SP SIP-Version CRLF (§7.1)
    out.append(msg.method_name());
    out.push_back(' ');
    out.append(msg.request_uri());
    out.push_back(' ');
    out.append(msg.version());
  } else {
    out.append(msg.version());
    out.push_back(' ');
    const int code = msg.status_code();  // 100..699 for any parsed response
    out.push_back(static_cast<char>('0' + code / 100 % 10));
    out.push_back(static_cast<char>('0' + code / 10 % 10));
    out.push_back(static_cast<char>('0' + code % 10));
    out.push_back(' ');
    out.append(msg.reason_phrase());
  }
  out.append(kCrlf);
}

}  // namespace

void append_field(std::string& out, std::string_view name, std::string_view value) {
  // One resize and two copies: this runs for every header of every message built, and the
  // appends one by one (each with its capacity check) cost twice as much.
  const std::size_t at = out.size();
  const std::size_t size = name.size() + 1 + (value.empty() ? 0 : 1 + value.size()) + kCrlf.size();
  out.resize(at + size);
  char* p = out.data() + at;
  std::memcpy(p, name.data(), name.size());
  p += name.size();
  *p++ = ':';
  if (!value.empty()) {
    *p++ = ' ';
    std::memcpy(p, value.data(), value.size());
    p += value.size();
  }
  p[0] = '\r';
  p[1] = '\n';
}

std::size_t serialized_size(const Message& msg, const SerializeOptions& options) {
  std::size_t n = start_line_size(msg);
  const Decimal length(msg.body().size());
  for (const HeaderField& h : msg.headers()) {
    const bool rewrite = options.ensure_content_length && h.id == HeaderId::kContentLength;
    n += field_size(h.name, rewrite ? length.view() : h.value);
  }
  if (options.ensure_content_length && msg.count(HeaderId::kContentLength) == 0)
    n += field_size(kContentLengthName, length.view());
  return n + kCrlf.size() + msg.body().size();
}

void serialize_to(const Message& msg, std::string& out, const SerializeOptions& options) {
  out.reserve(out.size() + serialized_size(msg, options));
  append_start_line(msg, out);
  // §20.14: with ensure_content_length the header always states the body's real size.
  const Decimal length(msg.body().size());
  for (const HeaderField& h : msg.headers()) {
    const bool rewrite = options.ensure_content_length && h.id == HeaderId::kContentLength;
    append_field(out, h.name, rewrite ? length.view() : h.value);
  }
  if (options.ensure_content_length && msg.count(HeaderId::kContentLength) == 0)
    append_field(out, kContentLengthName, length.view());
  out.append(kCrlf);
  out.append(msg.body());
}

std::string serialize(const Message& msg, const SerializeOptions& options) {
  std::string out;
  serialize_to(msg, out, options);
  return out;
}

}  // namespace trapezoid::sip
