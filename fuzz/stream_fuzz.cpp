// libFuzzer target: the input is a byte stream read by a TCP transport.
//
// The stream arrives in chunks. After each chunk the transport appends it to its buffer and
// calls parse_stream until it needs more bytes: a complete message is taken off the front of
// the buffer (`consumed` bytes), keep-alive CRLFs too (kIncomplete with consumed > 0), and an
// error ends the connection. The same stream is also parsed in one piece; both runs must see
// the same messages, since where TCP splits a stream must not change what it carries.
//
// Input layout. When the first byte has its high bit set it is a control byte and not part of
// the stream:
//   bits 0-2  how many chunk-size bytes follow it (0: the stream arrives in one piece)
//   bit 3     parse with tight ParserLimits (reaches the 413/513 paths with small inputs)
// and each chunk-size byte b gives a chunk of b + 1 bytes, used in turn, cyclically.
// Any other input is all stream (so plain SIP messages work as seeds), cut into chunks of
// 1..64 bytes by a small generator seeded from the input's length.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "sip/message.hpp"
#include "sip/parser.hpp"

namespace {

using namespace trapezoid::sip;
using trapezoid::fuzz::within;

// One message seen in the stream: where its raw() starts (an offset into the whole stream)
// and how long it is.
struct Seen {
  std::size_t offset = 0;
  std::size_t size = 0;
  bool operator==(const Seen&) const = default;
};

// What a connection saw: its messages in order, and whether it ended on a parse error.
struct Outcome {
  std::vector<Seen> messages;
  bool failed = false;
};

bool all_crlf(std::string_view s) {
  for (char c : s)
    if (c != '\r' && c != '\n') return false;
  return true;
}

// The checks on one parse_stream result over `buffer` (the connection's unread bytes).
void check_result(const ParseResult& r, const Message& msg, std::string_view buffer,
                  const ParserLimits& limits) {
  FUZZ_CHECK(r.consumed <= buffer.size());
  if (r.status == ParseStatus::kIncomplete) {
    // Only keep-alive CRLFs are consumed without a message.
    FUZZ_CHECK(all_crlf(buffer.substr(0, r.consumed)));
    return;
  }
  if (r.status == ParseStatus::kError) {
    FUZZ_CHECK(r.error.status >= 400 && r.error.status <= 599);
    return;
  }
  FUZZ_CHECK(r.consumed > 0);
  const std::string_view raw = msg.raw();
  FUZZ_CHECK(!raw.empty() && within(raw, buffer));
  // raw() ends where the consumed bytes end; what comes before it is keep-alives.
  FUZZ_CHECK(raw.data() + raw.size() == buffer.data() + r.consumed);
  FUZZ_CHECK(all_crlf(buffer.substr(0, r.consumed - raw.size())));
  // A stream message always has a Content-Length, and the body is exactly that long.
  FUZZ_CHECK(msg.content_length() >= 0);
  FUZZ_CHECK(msg.body().size() == static_cast<std::uint64_t>(msg.content_length()));
  FUZZ_CHECK(msg.body().size() <= limits.max_body_bytes);
  FUZZ_CHECK(within(msg.body(), raw));
  FUZZ_CHECK(msg.body().data() + msg.body().size() == raw.data() + raw.size());
  FUZZ_CHECK(msg.headers().size() <= limits.max_headers);
  for (const HeaderField& h : msg.headers()) FUZZ_CHECK(within(h.name, raw) && within(h.value, raw));

  // The same bytes as a datagram: a framed message reads the same on either transport.
  Message datagram;
  const ParseResult d = parse_datagram(raw, datagram, limits);
  FUZZ_CHECK(d.ok());
  FUZZ_CHECK(d.consumed == raw.size());
  FUZZ_CHECK(datagram.headers().size() == msg.headers().size());
  FUZZ_CHECK(datagram.is_request() == msg.is_request());
  FUZZ_CHECK(datagram.body() == msg.body());
}

// Reads the stream as a transport would, `chunks` giving the size of each read (cyclically;
// empty: one read of everything).
Outcome run_connection(std::string_view stream, std::span<const std::uint8_t> chunks,
                       const ParserLimits& limits) {
  Outcome out;
  std::string buffer;
  std::size_t base = 0;  // offset in the stream of buffer[0]
  std::size_t fed = 0;   // bytes of the stream appended so far
  std::size_t next_chunk = 0;
  Message msg;  // reused, as a connection would
  while (fed < stream.size()) {
    std::size_t n = stream.size() - fed;
    if (!chunks.empty()) {
      n = std::min<std::size_t>(n, std::size_t{chunks[next_chunk]} + 1);
      next_chunk = (next_chunk + 1) % chunks.size();
    }
    buffer.append(stream.substr(fed, n));
    fed += n;

    while (true) {
      const ParseResult r = parse_stream(buffer, msg, limits);
      check_result(r, msg, buffer, limits);
      if (r.status == ParseStatus::kError) {
        out.failed = true;
        return out;
      }
      if (r.status == ParseStatus::kIncomplete) {
        buffer.erase(0, r.consumed);
        base += r.consumed;
        break;
      }
      const auto at = static_cast<std::size_t>(msg.raw().data() - buffer.data());
      out.messages.push_back({base + at, msg.raw().size()});
      // A transport hands the message on after own(): it must read the same afterwards.
      const std::size_t header_count = msg.headers().size();
      msg.own();
      FUZZ_CHECK(msg.headers().size() == header_count);
      FUZZ_CHECK(msg.raw() == std::string_view(buffer).substr(at, msg.raw().size()));
      buffer.erase(0, r.consumed);
      base += r.consumed;
      if (buffer.empty()) break;
    }
  }
  return out;
}

// A tiny deterministic generator (xorshift32) for the default chunk sizes.
std::vector<std::uint8_t> default_chunks(std::size_t size) {
  std::uint32_t state = static_cast<std::uint32_t>(size) * 2654435761u + 1;
  std::vector<std::uint8_t> chunks(16);
  for (std::uint8_t& c : chunks) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    c = static_cast<std::uint8_t>(state % 64);
  }
  return chunks;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::span<const std::uint8_t> input(data, size);
  ParserLimits limits;
  std::vector<std::uint8_t> chunks;

  if (!input.empty() && (input[0] & 0x80) != 0) {
    const std::uint8_t control = input[0];
    const std::size_t count = std::min<std::size_t>(control & 0x07, input.size() - 1);
    if ((control & 0x08) != 0) limits = {.max_header_bytes = 256, .max_body_bytes = 128, .max_headers = 8};
    chunks.assign(input.begin() + 1, input.begin() + 1 + static_cast<std::ptrdiff_t>(count));
    input = input.subspan(1 + count);
  } else {
    chunks = default_chunks(size);
  }
  const std::string_view stream(reinterpret_cast<const char*>(input.data()), input.size());

  const Outcome split = run_connection(stream, chunks, limits);
  const Outcome whole = run_connection(stream, {}, limits);
  // Where the stream was split must not change which messages it carried.
  FUZZ_CHECK(split.messages == whole.messages);
  FUZZ_CHECK(split.failed == whole.failed);
  return 0;
}
