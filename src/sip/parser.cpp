#include "sip/parser.hpp"

#include <cstring>

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
  struct Line {
    std::string_view text;  // without the line ending
    std::size_t next = 0;   // offset of the following line
    bool ended = false;     // a line ending was found (false: the bytes ran out)
  };

  [[nodiscard]] Line next_line(std::size_t pos) const noexcept;
  ParseResult parse_start_line(std::string_view line, std::size_t at);
  ParseResult parse_request_line(std::string_view line, std::size_t at);
  ParseResult parse_status_line(std::string_view line, std::size_t at);
  ParseResult finish_header(std::size_t at);
  ParseResult parse_content_length(std::string_view value, std::size_t at);
  ParseResult frame_body(std::size_t body_start, std::size_t skipped);
  [[nodiscard]] ParseResult too_large_or_more(std::size_t start) const;

  std::string_view bytes_;
  Message& out_;
  const ParserLimits& limits_;
  bool stream_;
  HeaderField pending_;
  bool has_pending_ = false;
};

namespace {

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

MessageParser::Line MessageParser::next_line(std::size_t pos) const noexcept {
  const char* base = bytes_.data();
  const char* lf = find_byte(base + pos, base + bytes_.size(), '\n');
  if (lf == nullptr) return {bytes_.substr(pos), bytes_.size(), false};
  std::size_t end = static_cast<std::size_t>(lf - base);
  std::size_t text_end = (end > pos && base[end - 1] == '\r') ? end - 1 : end;
  return {bytes_.substr(pos, text_end - pos), end + 1, true};
}

ParseResult MessageParser::too_large_or_more(std::size_t start) const {
  if (bytes_.size() - start > limits_.max_header_bytes)
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

  Line line = next_line(pos);
  if (!line.ended && stream_) return too_large_or_more(start);
  if (line.text.size() > limits_.max_header_bytes)
    return ParseResult::fail(513, "Message Too Large", pos);
  if (ParseResult r = parse_start_line(line.text, pos); !r.ok()) return r;
  pos = line.next;

  while (true) {
    if (pos - start > limits_.max_header_bytes)
      return ParseResult::fail(513, "Message Too Large", pos);
    if (pos >= bytes_.size()) {
      // The bytes ended inside the header section. A datagram's end ends the message (§18.3);
      // a stream must wait for the empty line.
      if (stream_) return too_large_or_more(start);
      if (ParseResult r = finish_header(pos); !r.ok()) return r;
      break;
    }
    line = next_line(pos);
    if (!line.ended && stream_) return too_large_or_more(start);
    const std::size_t at = pos;
    pos = line.next;
    if (line.text.empty()) {
      if (!line.ended) continue;  // a lone CR at the very end of a datagram
      if (ParseResult r = finish_header(at); !r.ok()) return r;
      break;
    }
    if (charset::is_ws(line.text.front())) {
      // RFC 3261 §7.3.1: a line starting with whitespace continues the previous field.
      if (!has_pending_) return ParseResult::fail(400, "Malformed Header Line", at);
      std::string_view rest = trim_right(line.text);
      std::size_t lead = 0;
      while (lead < rest.size() && charset::is_ws(rest[lead])) ++lead;
      if (lead == rest.size()) continue;  // a whitespace-only continuation adds nothing
      const char* value_end = rest.data() + rest.size();
      const char* value_begin = pending_.value.empty() ? rest.data() + lead : pending_.value.data();
      pending_.value = std::string_view(value_begin, static_cast<std::size_t>(value_end - value_begin));
      continue;
    }
    if (ParseResult r = finish_header(at); !r.ok()) return r;
    // field-name: token, optional whitespace, ':' (§7.3.1, HCOLON).
    std::string_view text = line.text;
    std::size_t i = 0;
    while (i < text.size() && charset::is_token(text[i])) ++i;
    if (i == 0) return ParseResult::fail(400, "Malformed Header Name", at);
    std::string_view name = text.substr(0, i);
    while (i < text.size() && charset::is_ws(text[i])) ++i;
    if (i == text.size() || text[i] != ':') return ParseResult::fail(400, "Malformed Header Line", at + i);
    ++i;
    while (i < text.size() && charset::is_ws(text[i])) ++i;
    pending_ = {name, trim_right(text.substr(i)), lookup_header(name)};
    if (pending_.value.empty()) pending_.value = std::string_view(text.data() + text.size(), 0);
    has_pending_ = true;
  }
  return frame_body(pos, skipped);
}

ParseResult MessageParser::finish_header(std::size_t at) {
  if (!has_pending_) return ParseResult::complete(0);
  has_pending_ = false;
  if (out_.header_count_ >= limits_.max_headers)
    return ParseResult::fail(513, "Too Many Header Fields", at);
  if (pending_.id == HeaderId::kContentLength) {
    if (ParseResult r = parse_content_length(pending_.value, at); !r.ok()) return r;
  }
  out_.add_header(pending_);
  return ParseResult::complete(0);
}

ParseResult MessageParser::parse_content_length(std::string_view value, std::size_t at) {
  // Content-Length = 1*DIGIT (§20.14). Framing depends on it, so a bad or second value is
  // an error here rather than in validation.
  if (out_.count(HeaderId::kContentLength) != 0)
    return ParseResult::fail(400, "Multiple Content-Length Headers", at);
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
  std::size_t sp1 = line.find(' ');
  if (sp1 == std::string_view::npos || sp1 == 0 || !charset::all_token(line.substr(0, sp1)))
    return ParseResult::fail(400, "Malformed Request Line", at);
  std::size_t uri_start = line.find_first_not_of(' ', sp1);
  std::size_t sp2 = uri_start == std::string_view::npos ? uri_start : line.find(' ', uri_start);
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
  std::size_t sp1 = line.find(' ');
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
