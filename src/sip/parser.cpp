#include "sip/parser.hpp"

#include <algorithm>

#include "sip/charset.hpp"
#include "sip/find_byte.hpp"

namespace trapezoid::sip {

// Builds a Message from bytes; a friend of Message so it can fill it without setters.
class MessageParser {
 public:
  MessageParser(std::string_view bytes, Message& out, const ParserLimits& limits, bool stream)
      : bytes_(bytes), out_(out), limits_(limits), stream_(stream) {}

  ParseResult run();

 private:
  // Where the line starting at `pos` ends: the offset of its '\n', or bytes_.size() when the
  // bytes end first.
  [[nodiscard]] std::size_t line_end(std::size_t pos) const noexcept;
  // The line's text end: before a "\r\n" or "\n", and before trailing whitespace.
  [[nodiscard]] std::size_t trimmed_end(std::size_t from, std::size_t lf) const noexcept;
  ParseResult parse_headers(std::size_t& pos, std::size_t start);
  ParseResult parse_start_line(std::string_view line, std::size_t at);
  ParseResult parse_request_line(std::string_view line, std::size_t at);
  ParseResult parse_status_line(std::string_view line, std::size_t at);
  ParseResult read_content_length();
  ParseResult frame_body(std::size_t body_start, std::size_t skipped);
  [[nodiscard]] ParseResult too_large_or_more(std::size_t start) const;

  std::string_view bytes_;
  Message& out_;
  const ParserLimits& limits_;
  bool stream_;
};

namespace {

// The first ' ' of `line` at or after `from`, or npos: short spans, where find_byte beats
// std::string_view::find.
std::size_t find_space(std::string_view line, std::size_t from) {
  if (from >= line.size()) return std::string_view::npos;
  const char* sp = find_byte(line.data() + from, line.data() + line.size(), ' ');
  return sp == nullptr ? std::string_view::npos : static_cast<std::size_t>(sp - line.data());
}

// Parses "SIP/x.y" (case-insensitive literal, §7.1); false if malformed.
bool parse_version(std::string_view v, int& major, int& minor) {
  if (v.size() < 7 || !charset::iequals(v.substr(0, 4), "SIP/")) return false;
  std::size_t i = 4;
  auto number = [&](int& n) {
    std::size_t start = i;
    n = 0;
    while (i < v.size() && charset::is_digit(v[i]) && i - start < 4) n = n * 10 + (v[i++] - '0');
    return i > start && (i == v.size() || !charset::is_digit(v[i]));
  };
  if (!number(major) || i >= v.size() || v[i++] != '.' || !number(minor)) return false;
  return i == v.size();
}

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && charset::is_ws(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

std::size_t MessageParser::line_end(std::size_t pos) const noexcept {
  const char* base = bytes_.data();
  const char* lf = find_byte(base + pos, base + bytes_.size(), '\n');
  return lf == nullptr ? bytes_.size() : static_cast<std::size_t>(lf - base);
}

std::size_t MessageParser::trimmed_end(std::size_t from, std::size_t lf) const noexcept {
  std::size_t end = lf;
  if (end > from && bytes_[end - 1] == '\r') --end;
  while (end > from && charset::is_ws(bytes_[end - 1])) --end;
  return end;
}

ParseResult MessageParser::too_large_or_more(std::size_t start) const {
  // The header section may take max_header_bytes before its closing empty line, as a whole
  // message is judged; so bytes past that and the CRLF are too many whatever comes next, and
  // fewer may still complete (the verdict must not depend on where a stream was split).
  if (bytes_.size() - start > limits_.max_header_bytes + 2)
    return ParseResult::fail(513, "Message Too Large", start + limits_.max_header_bytes);
  return ParseResult::need_more();
}

ParseResult MessageParser::run() {
  out_.clear();
  // RFC 3261 §7.5: CRLFs before the start line are ignored (stream keep-alives, §18.3).
  std::size_t pos = 0;
  while (pos < bytes_.size() && (bytes_[pos] == '\r' || bytes_[pos] == '\n')) ++pos;
  const std::size_t skipped = pos;
  if (pos == bytes_.size()) {
    if (stream_) {
      ParseResult r = ParseResult::need_more();
      r.consumed = skipped;  // keep-alive bytes the caller may discard
      return r;
    }
    return ParseResult::fail(400, "Empty Message", pos);
  }
  const std::size_t start = pos;

  std::size_t lf = line_end(pos);
  if (lf == bytes_.size() && stream_) return too_large_or_more(start);
  if (lf - pos > limits_.max_header_bytes) return ParseResult::fail(513, "Message Too Large", pos);
  std::size_t text_end = (lf > pos && bytes_[lf - 1] == '\r') ? lf - 1 : lf;
  if (ParseResult r = parse_start_line(bytes_.substr(pos, text_end - pos), pos); !r.ok()) return r;
  pos = lf + 1;

  if (ParseResult r = parse_headers(pos, start); !r.ok()) return r;
  if (ParseResult r = read_content_length(); !r.ok()) return r;
  return frame_body(pos, skipped);
}

// Reads header lines from `pos` up to and including the empty line that closes them; on
// success `pos` is where the body starts.
ParseResult MessageParser::parse_headers(std::size_t& pos, std::size_t start) {
  const char* base = bytes_.data();
  const std::size_t size = bytes_.size();
  bool have_field = false;
  while (true) {
    if (pos - start > limits_.max_header_bytes) return ParseResult::fail(513, "Message Too Large", pos);
    if (pos >= size) {
      // The bytes ended inside the header section. A datagram's end ends the message (§18.3);
      // a stream must wait for the empty line.
      if (stream_) return too_large_or_more(start);
      pos = size;
      return ParseResult::complete(0);
    }
    const char c = base[pos];
    if (c == '\n' || (c == '\r' && (pos + 1 == size || base[pos + 1] == '\n'))) {
      if (c == '\r' && pos + 1 == size && stream_) return too_large_or_more(start);
      pos = std::min(pos + (c == '\n' ? 1 : 2), size);  // the empty line
      return ParseResult::complete(0);
    }
    const std::size_t lf = line_end(pos);
    if (lf == size && stream_) return too_large_or_more(start);
    if (charset::is_ws(c)) {
      // RFC 3261 §7.3.1: a line starting with whitespace continues the previous field.
      if (!have_field) return ParseResult::fail(400, "Malformed Header Line", pos);
      std::size_t first = pos;
      while (first < lf && charset::is_ws(base[first])) ++first;
      const std::size_t end = trimmed_end(first, lf);
      if (end > first) {
        HeaderField& h = out_.last_header();
        const char* begin = h.value.empty() ? base + first : h.value.data();
        h.value = std::string_view(begin, static_cast<std::size_t>(base + end - begin));
      }
      pos = lf + 1;
      continue;
    }
    // field-name: token, optional whitespace, ':' (§7.3.1, HCOLON).
    std::size_t i = pos;
    if (lf < size) {
      while (charset::is_token(base[i])) ++i;  // the '\n' at lf stops it
    } else {
      while (i < lf && charset::is_token(base[i])) ++i;
    }
    if (i == pos) return ParseResult::fail(400, "Malformed Header Name", pos);
    const std::string_view name(base + pos, i - pos);
    while (i < lf && charset::is_ws(base[i])) ++i;
    if (i == lf || base[i] != ':') return ParseResult::fail(400, "Malformed Header Line", i);
    ++i;
    while (i < lf && charset::is_ws(base[i])) ++i;
    const std::size_t end = trimmed_end(i, lf);
    if (out_.header_count_ >= limits_.max_headers)
      return ParseResult::fail(513, "Too Many Header Fields", pos);
    out_.add_header({name, std::string_view(base + i, end - i), lookup_header(name)});
    have_field = true;
    pos = lf + 1;
  }
}

ParseResult MessageParser::read_content_length() {
  // Content-Length = 1*DIGIT (§20.14). Framing depends on it, so a bad or second value is an
  // error here rather than in validation.
  const HeaderField* h = out_.find(HeaderId::kContentLength);
  if (h == nullptr) return ParseResult::complete(0);
  const auto at = static_cast<std::size_t>(h->name.data() - bytes_.data());
  if (out_.count(HeaderId::kContentLength) > 1)
    return ParseResult::fail(400, "Multiple Content-Length Headers", at);
  std::string_view value = h->value;
  if (value.empty()) return ParseResult::fail(400, "Malformed Content-Length", at);
  std::uint64_t n = 0;
  for (char c : value) {
    if (!charset::is_digit(c)) return ParseResult::fail(400, "Malformed Content-Length", at);
    n = n * 10 + static_cast<unsigned>(c - '0');
    if (n > (std::uint64_t{1} << 40)) return ParseResult::fail(400, "Content-Length Too Large", at);
  }
  out_.content_length_ = static_cast<std::int64_t>(n);
  return ParseResult::complete(0);
}

ParseResult MessageParser::frame_body(std::size_t body_start, std::size_t skipped) {
  const std::size_t available = bytes_.size() - body_start;
  std::size_t length = available;
  if (out_.content_length_ >= 0) {
    const auto declared = static_cast<std::uint64_t>(out_.content_length_);
    // §18.3: a datagram shorter than its Content-Length is rejected.
    if (!stream_ && declared > available)
      return ParseResult::fail(400, "Content-Length Exceeds Message", body_start);
    if (declared > limits_.max_body_bytes)
      return ParseResult::fail(413, "Message Body Too Large", body_start);
    if (declared > available) return ParseResult::need_more();
    length = static_cast<std::size_t>(declared);
  } else if (stream_) {
    // §18.3: Content-Length MUST be present on a stream transport.
    return ParseResult::fail(400, "Missing Content-Length", body_start);
  }
  out_.body_ = bytes_.substr(body_start, length);
  out_.raw_ = bytes_.substr(skipped, body_start + length - skipped);
  return ParseResult::complete(body_start + length);
}

ParseResult MessageParser::parse_start_line(std::string_view line, std::size_t at) {
  if (line.size() >= 4 && charset::iequals(line.substr(0, 4), "SIP/")) return parse_status_line(line, at);
  return parse_request_line(line, at);
}

ParseResult MessageParser::parse_request_line(std::string_view line, std::size_t at) {
  // Request-Line = Method SP Request-URI SP SIP-Version CRLF (§7.1). RFC 4475 §3.1.2.9 and
  // §3.1.2.10 let a receiver accept extra spaces between the parts and after the version, as
  // deployed stacks do; a space inside the Request-URI still splits it into too many parts.
  std::size_t sp1 = find_space(line, 0);
  if (sp1 == std::string_view::npos || sp1 == 0 || !charset::all_token(line.substr(0, sp1)))
    return ParseResult::fail(400, "Malformed Request Line", at);
  std::size_t uri_start = line.find_first_not_of(' ', sp1);
  std::size_t sp2 = uri_start == std::string_view::npos ? uri_start : find_space(line, uri_start);
  if (sp2 == std::string_view::npos) return ParseResult::fail(400, "Malformed Request Line", at);
  std::string_view uri = line.substr(uri_start, sp2 - uri_start);
  for (char c : uri)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return ParseResult::fail(400, "Malformed Request-URI", at + uri_start);
  std::size_t version_start = line.find_first_not_of(' ', sp2);
  if (version_start == std::string_view::npos)
    return ParseResult::fail(400, "Malformed Request Line", at + sp2);
  std::string_view version = trim_right(line.substr(version_start));
  if (!parse_version(version, out_.version_major_, out_.version_minor_))
    return ParseResult::fail(400, "Malformed SIP Version", at + version_start);
  out_.is_request_ = true;
  out_.method_name_ = line.substr(0, sp1);
  out_.method_ = lookup_method(out_.method_name_);
  out_.request_uri_ = uri;
  out_.version_ = version;
  return ParseResult::complete(0);
}

ParseResult MessageParser::parse_status_line(std::string_view line, std::size_t at) {
  // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF (§7.2).
  std::size_t sp1 = find_space(line, 0);
  if (sp1 == std::string_view::npos) return ParseResult::fail(400, "Malformed Status Line", at);
  std::string_view version = line.substr(0, sp1);
  if (!parse_version(version, out_.version_major_, out_.version_minor_))
    return ParseResult::fail(400, "Malformed SIP Version", at);
  std::string_view rest = line.substr(sp1 + 1);
  // Status-Code = 3DIGIT, and the first digit is the class 1..6 (§7.2, §21).
  if (rest.size() < 3 || !charset::is_digit(rest[0]) || !charset::is_digit(rest[1]) ||
      !charset::is_digit(rest[2]) || (rest.size() > 3 && rest[3] != ' '))
    return ParseResult::fail(400, "Malformed Status Code", at + sp1 + 1);
  int code = (rest[0] - '0') * 100 + (rest[1] - '0') * 10 + (rest[2] - '0');
  if (code < 100 || code > 699) return ParseResult::fail(400, "Status Code Out Of Range", at + sp1 + 1);
  out_.is_request_ = false;
  out_.status_code_ = code;
  out_.version_ = version;
  out_.reason_ = rest.size() > 4 ? rest.substr(4) : rest.substr(rest.size());
  return ParseResult::complete(0);
}

ParseResult parse_datagram(std::string_view bytes, Message& out, const ParserLimits& limits) {
  return MessageParser(bytes, out, limits, false).run();
}

ParseResult parse_stream(std::string_view bytes, Message& out, const ParserLimits& limits) {
  return MessageParser(bytes, out, limits, true).run();
}

}  // namespace trapezoid::sip
