// Framing SIP messages on a byte stream (RFC 3261 §18.3) with keep-alives (RFC 5626 §3.5.1):
// bytes go in as they arrive, whole messages, pings and errors come out. No sockets.
//
//   StreamFramer f(limits, max_buffer);
//   auto space = f.prepare(16384);          // read into space, then:
//   f.commit(n);
//   for (;;) {
//     sip::Message m;
//     StreamEvent e = f.next(m);
//     if (e.kind == StreamEvent::kNeedMore) break;
//     if (e.kind == StreamEvent::kPing) write("\r\n");
//     ...
//   }
//
// A message from next() points into the framer's buffer: it is valid until the next call to
// next() or prepare(). Call Message::own() to keep it longer.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "sip/message.hpp"
#include "sip/parse_result.hpp"
#include "sip/parser.hpp"

namespace trapezoid::transport {

struct StreamEvent {
  enum Kind : unsigned char {
    kNeedMore,  // wait for more bytes
    kPing,      // a CRLFCRLF keep-alive: answer with one CRLF (RFC 5626 §3.5.1)
    kMessage,   // a whole message is in the Message given to next()
    kError      // framing failed: `error` says why; the stream cannot be resynchronized
  };
  Kind kind = kNeedMore;
  sip::ParseError error;
  std::string_view bytes;  // kMessage / kError: the bytes the parser looked at
};

class StreamFramer {
 public:
  // `max_buffer` bounds the bytes held for one unfinished message; past it next() reports a
  // 513 error.
  StreamFramer(const sip::ParserLimits& limits, std::size_t max_buffer) : limits_(limits), max_buffer_(max_buffer) {}

  // Room for at least `n` more bytes at the end of the buffer.
  [[nodiscard]] std::span<char> prepare(std::size_t n);
  // `n` bytes were written into the space prepare() returned.
  void commit(std::size_t n) noexcept { end_ += n; }

  [[nodiscard]] StreamEvent next(sip::Message& out);

  [[nodiscard]] std::size_t buffered() const noexcept { return end_ - begin_; }

 private:
  void consume(std::size_t n) noexcept;
  [[nodiscard]] bool worth_parsing(std::string_view data) noexcept;
  [[nodiscard]] StreamEvent too_large(std::string_view data);

  sip::ParserLimits limits_;
  std::size_t max_buffer_;
  std::vector<char> buf_;
  std::size_t begin_ = 0;  // first unconsumed byte
  std::size_t end_ = 0;    // one past the last received byte
  // Progress on the unfinished message, as offsets from begin_ (0: not known yet).
  std::size_t scanned_ = 0;     // bytes searched for the end of the header section
  std::size_t header_end_ = 0;  // where the body starts
  std::size_t need_ = 0;        // bytes that make the whole message
  bool failed_ = false;
};

}  // namespace trapezoid::transport
