// Building the response to a request as a UAS does (RFC 3261 §8.2.6): Via, From, To, Call-ID
// and CSeq copied from the request, a To-tag added when the request had none, Timestamp echoed
// in a 100 (Trying).
//
//   SystemRandomSource random;                  // see random_id.hpp
//   std::string tag = make_tag(random);         // one per request: every response reuses it
//   HeaderLine allow[] = {{HeaderId::kAllow, "INVITE, ACK, CANCEL, BYE, OPTIONS"}};
//   BuildResult r = make_response(request, 405, {}, tag, {.headers = allow});
//   if (r.ok()) send(r.bytes);
//
//   // Or continue with a builder:
//   BuildResult ok = make_response_builder(request, 200, {}, tag)
//                        .header(HeaderId::kContact, "<sip:bob@192.0.2.4>")
//                        .body("application/sdp", sdp)
//                        .build();
//
// Copied values are the request's values with folded line breaks removed (the whitespace that
// followed each break stays, which §7.3.1 makes equivalent). Each Via field of the request is
// copied as its own field, in order. A header absent from the request is absent from the
// response. Nothing else is copied unless asked (ResponseOptions::copy). Errors follow
// message_builder.hpp: nothing throws; the BuildResult says what was wrong.
#pragma once

#include <span>
#include <string_view>

#include "sip/header_id.hpp"
#include "sip/message.hpp"
#include "sip/message_builder.hpp"
#include "sip/random_id.hpp"

namespace trapezoid::sip {

// One extra header field for a response: by id (canonical name) or by name.
struct HeaderLine {
  HeaderLine(HeaderId header_id, std::string_view field_value) : id(header_id), value(field_value) {}
  HeaderLine(std::string_view field_name, std::string_view field_value)
      : name(field_name), value(field_value) {}

  HeaderId id = HeaderId::kUnknown;  // used when name is empty
  std::string_view name;
  std::string_view value;
};

struct ResponseOptions {
  // Added after the copied fields, in order: Unsupported for a 420 (§8.2.2.3), Allow for a 405
  // (§8.2.1), Min-Expires for a 423 (§10.3), WWW-Authenticate for a 401 (§22.1), Contact, ...
  std::span<const HeaderLine> headers = {};
  // Further request headers to copy, all their fields in order: Record-Route for a response
  // that creates a dialog (§12.1.1), for example. Ids make_response_builder() already copied
  // (Via, From, To, Call-ID, CSeq; Timestamp on a 100) are skipped.
  std::span<const HeaderId> copy = {};
  // An optional body; content_type is required when the body is not empty.
  std::string_view content_type = {};
  std::string_view body = {};
};

// A ResponseBuilder holding the status line and the fields copied from `request` per §8.2.6,
// to which the caller adds more fields and a body. `reason` empty means default_reason(status).
//
// To-tag (§8.2.6.2): when the request's To has a tag, To is copied as is and `to_tag` is
// ignored. Otherwise a response with status > 100 gets ";tag=<to_tag>" (kMissingToTag when
// `to_tag` is empty, kBadToTag when it is not a token); a 100 (Trying) never gets one. A To the
// address parser cannot read (the request deserves a 400) is copied as is, without a tag.
//
// Timestamp (§8.2.6.1): copied into a 100 (Trying) only.
[[nodiscard]] ResponseBuilder make_response_builder(const Message& request, int status,
                                                    std::string_view reason, std::string_view to_tag);

// The complete response: make_response_builder() plus options.copy, options.headers and the
// body, built.
[[nodiscard]] BuildResult make_response(const Message& request, int status, std::string_view reason,
                                        std::string_view to_tag, const ResponseOptions& options = {});

}  // namespace trapezoid::sip
