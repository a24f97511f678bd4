// The SIP message parser: start line, header fields and framing (RFC 3261 §7, §18.3).
//
//   Message msg;
//   ParseResult r = parse_datagram(datagram, msg);
//   if (!r.ok()) send_error(r.error.status, r.error.reason);
//
// The parser checks the message's syntax down to header-field boundaries, interns header names
// and reads Content-Length; typed header values are parsed by the header modules and checked
// by validate.hpp. Views in `msg` point into `bytes`: keep them alive, or call msg.own().
//
// Line endings: RFC 3261 requires CRLF; like most deployed stacks the parser also accepts a
// bare LF wherever CRLF is expected (docs/PARSER.md).
#pragma once

#include <cstddef>
#include <string_view>

#include "sip/message.hpp"
#include "sip/parse_result.hpp"

namespace trapezoid::sip {

struct ParserLimits {
  std::size_t max_header_bytes = 64 * 1024;  // start line + headers; larger -> 513
  std::size_t max_body_bytes = 1024 * 1024;  // Content-Length above this -> 413
  std::size_t max_headers = 1024;            // header fields; more -> 513
};

// A message that is one whole datagram (§18.3): Content-Length may be absent (the body is the
// rest of the datagram); a Content-Length larger than what arrived is an error (400); bytes
// after the body are ignored. The header section may end at the end of the datagram.
ParseResult parse_datagram(std::string_view bytes, Message& out, const ParserLimits& limits = {});

// The next message in a byte stream (TCP/TLS/WebSocket, §18.3): CRLFs before the start line are
// keep-alives and are consumed; Content-Length is mandatory; kIncomplete asks for more bytes.
// On kComplete, `consumed` counts the keep-alives, the message and its body.
ParseResult parse_stream(std::string_view bytes, Message& out, const ParserLimits& limits = {});

}  // namespace trapezoid::sip
