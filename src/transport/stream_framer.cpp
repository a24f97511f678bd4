#include "transport/stream_framer.hpp"

#include <algorithm>
#include <cstring>

namespace trapezoid::transport {
namespace {

constexpr std::size_t kKeepCapacity = 64 * 1024;

}  // namespace

std::span<char> StreamFramer::prepare(std::size_t n) {
  // Unconsumed bytes move to the front, so the buffer holds at most one unfinished message.
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  // A buffer grown for one large message is given back once that message is gone.
  if (end_ == 0 && buf_.size() > 4 * n && buf_.size() > kKeepCapacity) std::vector<char>().swap(buf_);
  if (buf_.size() < end_ + n) buf_.resize(end_ + n);
  return {buf_.data() + end_, n};
}

void StreamFramer::consume(std::size_t n) noexcept {
  begin_ += n;
  scanned_ = 0;
  header_end_ = 0;
  need_ = 0;
}

// Parsing again before the header section or the body can be complete only burns time (a peer
// sending one byte at a time would make every byte re-parse the headers), so wait for the
// empty line that ends the header section, then for Content-Length bytes of body.
bool StreamFramer::worth_parsing(std::string_view data) noexcept {
  if (need_ != 0) return data.size() >= need_;
  if (header_end_ != 0) return true;
  std::size_t skip = 0;
  while (skip < data.size() && (data[skip] == '\r' || data[skip] == '\n')) ++skip;
  // Past the header limit the parser has its answer (513) whatever comes next.
  if (data.size() - skip > limits_.max_header_bytes + 2) return true;
  // The empty line is "\n\n" or "\n\r\n": a header line never holds either (a fold goes on
  // with whitespace). The last two bytes searched may begin one that is still arriving.
  for (std::size_t i = std::max(skip, scanned_ >= 2 ? scanned_ - 2 : 0); i < data.size(); ++i) {
    if (data[i] != '\n') continue;
    if (i + 1 < data.size() && data[i + 1] == '\n') header_end_ = i + 2;
    else if (i + 2 < data.size() && data[i + 1] == '\r' && data[i + 2] == '\n') header_end_ = i + 3;
    if (header_end_ != 0) return true;
  }
  scanned_ = data.size();
  return false;
}

StreamEvent StreamFramer::too_large(std::string_view data) {
  failed_ = true;
  StreamEvent ev;
  ev.kind = StreamEvent::kError;
  ev.error = sip::ParseError{513, "Message Too Large", data.size()};
  ev.bytes = data;
  return ev;
}

StreamEvent StreamFramer::next(sip::Message& out) {
  StreamEvent ev;
  if (failed_) return ev;  // nothing more is read from a broken stream
  const std::string_view data(buf_.data() + begin_, end_ - begin_);
  if (data.empty()) return ev;

  // RFC 5626 §3.5.1: CRLFCRLF is a ping, a lone CRLF a pong (or a keep-alive) to discard.
  if (data.starts_with("\r\n\r\n")) {
    consume(4);
    ev.kind = StreamEvent::kPing;
    return ev;
  }
  if (data.starts_with("\r\n")) {
    if (data.size() < 4 && std::string_view("\r\n\r\n").starts_with(data)) return ev;  // maybe a ping
    consume(2);
    return next(out);
  }

  if (!worth_parsing(data)) return data.size() > max_buffer_ ? too_large(data) : ev;

  sip::ParseResult r = sip::parse_stream(data, out, limits_);
  if (r.ok()) {
    consume(r.consumed);
    ev.kind = StreamEvent::kMessage;
    ev.bytes = data.substr(0, r.consumed);
    return ev;
  }
  if (r.incomplete()) {
    if (r.consumed != 0) consume(r.consumed);  // keep-alive bytes the parser skipped
    if (data.size() > max_buffer_) return too_large(data);
    // The header section is whole: only the body is missing.
    if (header_end_ != 0 && out.content_length() >= 0)
      need_ = header_end_ + static_cast<std::size_t>(out.content_length());
    return ev;
  }
  failed_ = true;
  ev.kind = StreamEvent::kError;
  ev.error = r.error;
  ev.bytes = data;
  return ev;
}

}  // namespace trapezoid::transport
