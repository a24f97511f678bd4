#include "sip/parser.hpp"

#include <algorithm>

#include "sip/charset.hpp"
#include "sip/find_byte.hpp"
#include "sip/header_lookup.hpp"

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
  // The field name of the line at `name` whose first ':' is `colon`, in the common case of a
  // well-formed name; false when the line needs read_field_name to judge it.
  static bool known_shape_name(const char* name, const char* colon, HeaderField& field) noexcept;
  // The field name of any line and the offset after its colon, byte by byte, naming the error
  // when the name or the colon is bad.
  ParseResult read_field_name(std::size_t pos, std::size_t lf, HeaderField& field,
                              std::size_t& after_colon) const;
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
  if (v == "SIP/2.0") {  // nearly always, and one compare
    major = 2;
    minor = 0;
    return true;
  }
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

// The first byte at or after `from` that is not a space, or line.size().
std::size_t skip_spaces(std::string_view line, std::size_t from) {
  while (from < line.size() && line[from] == ' ') ++from;
  return from;
}

// SP or HTAB, by table: one load and test.
bool is_blank(char c) { return charset::has(c, charset::kWs); }

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
  // Locals, not members, in the loop: the compiler keeps them in registers.
  const char* const base = bytes_.data();
  const std::size_t size = bytes_.size();
  const std::size_t max_header_bytes = limits_.max_header_bytes;
  const std::size_t max_headers = limits_.max_headers;
  bool have_field = false;
  std::size_t at = pos;  // the start of the current line
  // Where a line may no longer start: the end of the bytes, or past the size limit. One test
  // per line for both.
  const std::size_t stop = size - start > max_header_bytes ? start + max_header_bytes + 1 : size;
  while (true) {
    if (at >= stop) {
      if (at - start > max_header_bytes) return ParseResult::fail(513, "Message Too Large", at);
      // The bytes ended inside the header section. A datagram's end ends the message (§18.3);
      // a stream must wait for the empty line.
      if (stream_) return too_large_or_more(start);
      pos = size;
      return ParseResult::complete(0);
    }
    const char c = base[at];
    if (static_cast<unsigned char>(c) <= ' ') {  // one test keeps the field lines off these paths
      if (c == '\n' || (c == '\r' && (at + 1 == size || base[at + 1] == '\n'))) {
        if (c == '\r' && at + 1 == size && stream_) return too_large_or_more(start);
        pos = std::min(at + (c == '\n' ? 1 : 2), size);  // the empty line
        return ParseResult::complete(0);
      }
      if (charset::is_ws(c)) {
        // RFC 3261 §7.3.1: a line starting with whitespace continues the previous field.
        const std::size_t lf = line_end(at);
        if (lf == size && stream_) return too_large_or_more(start);
        if (!have_field) return ParseResult::fail(400, "Malformed Header Line", at);
        std::size_t first = at;
        while (first < lf && charset::is_ws(base[first])) ++first;
        const std::size_t end = trimmed_end(first, lf);
        if (end > first) {
          HeaderField& h = out_.last_header();
          const char* begin = h.value.empty() ? base + first : h.value.data();
          h.value = std::string_view(begin, static_cast<std::size_t>(base + end - begin));
        }
        at = lf + 1;
        continue;
      }
    }
    const LineMarks marks = find_colon_and_lf(base + at, base + size);
    const std::size_t lf = marks.lf == nullptr ? size : static_cast<std::size_t>(marks.lf - base);
    if (lf == size && stream_) return too_large_or_more(start);
    HeaderField field;
    const char* value = nullptr;  // after the colon
    if (marks.colon != nullptr && known_shape_name(base + at, marks.colon, field)) {
      value = marks.colon + 1;
    } else {
      std::size_t after_colon = 0;
      if (ParseResult r = read_field_name(at, lf, field, after_colon); !r.ok()) return r;
      value = base + after_colon;
    }
    // The value without the whitespace around it and the line's CR.
    const char* const line_end = base + lf;
    while (value < line_end && is_blank(*value)) ++value;
    const char* value_end = line_end;
    if (value_end > value && value_end[-1] == '\r') --value_end;
    while (value_end > value && is_blank(value_end[-1])) --value_end;
    field.value = std::string_view(value, static_cast<std::size_t>(value_end - value));
    if (out_.header_count_ >= max_headers) return ParseResult::fail(513, "Too Many Header Fields", at);
    out_.add_header(field);
    have_field = true;
    at = lf + 1;
  }
}

bool MessageParser::known_shape_name(const char* name, const char* colon, HeaderField& field) noexcept {
  // field-name [WSP] ':' (HCOLON). A name that interns to a known header is made of its letters
  // and '-' only, so it needs no per-byte token check.
  const char* name_end = colon;
  while (name_end > name && is_blank(name_end[-1])) --name_end;
  const auto len = static_cast<std::size_t>(name_end - name);
  field.name = std::string_view(name, len);
  field.id = header_lookup::find(field.name);
  return field.id != HeaderId::kUnknown || charset::all_token(field.name);
}

ParseResult MessageParser::read_field_name(std::size_t pos, std::size_t lf, HeaderField& field,
                                           std::size_t& after_colon) const {
  // field-name: token, optional whitespace, ':' (§7.3.1, HCOLON), byte by byte to name the
  // error and where it is.
  const char* base = bytes_.data();
  std::size_t i = pos;
  while (i < lf && charset::is_token(base[i])) ++i;
  if (i == pos) return ParseResult::fail(400, "Malformed Header Name", pos);
  field.name = std::string_view(base + pos, i - pos);
  while (i < lf && charset::is_ws(base[i])) ++i;
  if (i == lf || base[i] != ':') return ParseResult::fail(400, "Malformed Header Line", i);
  field.id = lookup_header(field.name);
  after_colon = i + 1;
  return ParseResult::complete(0);
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
  const std::size_t uri_start = skip_spaces(line, sp1);
  // The URI ends at the first space; a control character before it is a bad URI, but only
  // once a space shows that the line has its parts.
  const char* uri_end = find_space_or_control(line.data() + uri_start, line.data() + line.size());
  if (uri_end == nullptr) return ParseResult::fail(400, "Malformed Request Line", at);
  if (*uri_end != ' ') {
    if (find_space(line, uri_start) == std::string_view::npos) return ParseResult::fail(400, "Malformed Request Line", at);
    return ParseResult::fail(400, "Malformed Request-URI", at + uri_start);
  }
  const auto sp2 = static_cast<std::size_t>(uri_end - line.data());
  std::string_view uri = line.substr(uri_start, sp2 - uri_start);
  std::size_t version_start = skip_spaces(line, sp2);
  if (version_start == line.size()) return ParseResult::fail(400, "Malformed Request Line", at + sp2);
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
