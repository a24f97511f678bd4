// Writing a parsed Message back to wire bytes (RFC 3261 §7): start line, header fields, the
// empty line, the body.
//
//   Message msg;
//   if (parse_datagram(bytes, msg).ok()) {
//     std::string wire = serialize(msg);                                   // as parsed
//     std::string framed = serialize(msg, {.ensure_content_length = true}); // for TCP/TLS
//   }
//
// The start line and every header field are written byte-exact as parsed: names keep their
// case and compact forms, values keep folded lines as written, unknown headers are re-emitted
// unchanged. Each field becomes "Name: value" CRLF (one line per field as it was received), so
// the output parses (parse_datagram, and parse_stream when Content-Length is present) to a
// Message with the same start line, the same header names and values in order, and the same
// body. Line endings outside folds are normalized to CRLF. `msg` is one the parser filled (a
// default-constructed Message has no start line to write).
#pragma once

#include <cstddef>
#include <string>

#include "sip/message.hpp"

namespace trapezoid::sip {

struct SerializeOptions {
  // A message parsed from a datagram may carry a body without Content-Length (§18.3), which a
  // stream transport cannot frame. When set, the Content-Length field is rewritten to the body's
  // size (keeping its name and position) or, when absent, appended after the last header field.
  bool ensure_content_length = false;
};

// The message as wire bytes.
[[nodiscard]] std::string serialize(const Message& msg, const SerializeOptions& options = {});

// Appends the message's wire bytes to `out` (reserving once), so a caller can reuse a buffer
// or write several messages back to back.
void serialize_to(const Message& msg, std::string& out, const SerializeOptions& options = {});

// Appends one header field as "Name: value" CRLF ("Name:" CRLF for an empty value).
void append_field(std::string& out, std::string_view name, std::string_view value);

// The exact number of bytes serialize() produces for these options.
[[nodiscard]] std::size_t serialized_size(const Message& msg, const SerializeOptions& options = {});

}  // namespace trapezoid::sip
