// Building new SIP requests and responses as wire bytes (RFC 3261 §7), which then parse into a
// Message with parse_datagram / parse_stream.
//
//   BuildResult r = RequestBuilder(Method::kOptions, "sip:bob@biloxi.com")
//                       .header(HeaderId::kVia, "SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK74")
//                       .header("To", "<sip:bob@biloxi.com>")
//                       ...
//                       .body("text/plain", "hello")
//                       .build();
//   if (r.ok()) send(r.bytes); else log(to_string(r.error));
//
//   BuildResult ok = ResponseBuilder(200).header(...).build();   // "SIP/2.0 200 OK"
//
// Error policy: bad input never throws. Each setter checks its input cheaply: no CR or LF in a
// header value or the Content-Type (they would end the line, so a value could inject header
// fields or end the header section), names and methods are tokens, the Request-URI has no
// whitespace or control characters, the status is 100..699, the reason phrase has no control
// characters but HTAB. The first failure sticks, later calls are ignored, and build() returns
// it in BuildResult::error with empty bytes. Header values are not parsed further: their typed
// syntax is the caller's contract (validate_request / validate_response check it on the
// receiving side), so other control characters, which the grammar allows in quoted-pairs, pass.
//
// Output: the start line with "SIP/2.0", one "Name: value" CRLF line per header() call in call
// order with canonical names (header_name(id); compact and odd-case spellings of known headers
// become canonical, unknown names are kept as given), then Content-Type (when body() gave one),
// a Content-Length that always matches the body (§20.14), the empty line and the body. The
// builder adds no other field: Via, Max-Forwards, From, To, Call-ID, CSeq (§8.1.1) are the
// caller's to give (see response.hpp for responses built from a request).
#pragma once

#include <string>
#include <string_view>

#include "sip/header_id.hpp"
#include "sip/method.hpp"

namespace trapezoid::sip {

enum class BuildError : unsigned char {
  kNone,
  kBadMethod,        // not a token, or Method::kUnknown
  kBadRequestUri,    // empty, or holds whitespace / control characters
  kBadStatus,        // outside 100..699
  kBadReason,        // control characters (CR, LF, ...) in the reason phrase
  kBadHeaderName,    // not a token, or HeaderId::kUnknown
  kBadHeaderValue,   // CR or LF in a value
  kReservedHeader,   // Content-Length or Content-Type given as a header (the builder owns them)
  kBadContentType,   // malformed media type, or a non-empty body without one (§20.15)
  kMissingToTag,     // a response needs a To-tag and none was given (§8.2.6.2)
  kBadToTag,         // the To-tag is not a token (§19.3, tag-param)
  kNotARequest,      // make_response was given a response to answer
};

// A short English description ("Bad Header Value"); static storage.
[[nodiscard]] std::string_view to_string(BuildError e) noexcept;

struct [[nodiscard]] BuildResult {
  std::string bytes;                     // the message when ok(); empty otherwise
  BuildError error = BuildError::kNone;
  [[nodiscard]] bool ok() const noexcept { return error == BuildError::kNone; }
};

// The reason phrase RFC 3261 §21 (or the extension RFC defining the code) gives `status`,
// or "" for a code without one.
[[nodiscard]] std::string_view default_reason(int status) noexcept;

// The shared part of RequestBuilder and ResponseBuilder: header fields, body, build().
// Setters copy their arguments, so views need not outlive the call.
class MessageBuilder {
 public:
  // Adds a header field with the canonical name of `id`. Leading and trailing SP/HTAB of the
  // value are dropped (the parser would drop them too); an empty value is allowed.
  MessageBuilder& header(HeaderId id, std::string_view value);
  // The same by name: a known name (any case, or a compact form) becomes canonical, another
  // token is kept as written.
  MessageBuilder& header(std::string_view name, std::string_view value);
  // Adds a header field copied from a parsed message: the value as the parser gave it, whose
  // line breaks can only be folds (§7.3.1), each written as the whitespace after it.
  MessageBuilder& copy_header(HeaderId id, std::string_view value);
  // Sets the body and its Content-Type (replacing an earlier body). An empty content_type is
  // allowed only with an empty body. Bytes are copied as is (binary-safe).
  MessageBuilder& body(std::string_view content_type, std::string_view bytes);

  // The first error so far, or kNone.
  [[nodiscard]] BuildError error() const noexcept { return error_; }
  // Records an error found by code composing a message on top of the builder (the first error
  // sticks; build() will return it).
  MessageBuilder& fail(BuildError e) noexcept;

  // The wire bytes, or the first error. The builder may be built again (const) or consumed
  // (on an rvalue: reuses its buffer).
  [[nodiscard]] BuildResult build() const&;
  [[nodiscard]] BuildResult build() &&;

 protected:
  MessageBuilder();
  // The start line and header fields written so far (each ending in CRLF).
  std::string head_;

 private:
  void finish(std::string& out) const;
  // header(), the line-break scan skipped when the caller made it.
  MessageBuilder& add_header(HeaderId id, std::string_view value, bool known_single_line);

  std::string content_type_;
  std::string body_;
  BuildError error_ = BuildError::kNone;
};

class RequestBuilder : public MessageBuilder {
 public:
  // Request-Line = Method SP Request-URI SP SIP-Version (§7.1).
  RequestBuilder(Method method, std::string_view request_uri);
  // An extension method: any token (method names are case-sensitive, §7.1).
  RequestBuilder(std::string_view method, std::string_view request_uri);
};

class ResponseBuilder : public MessageBuilder {
 public:
  // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase (§7.2). An empty reason takes
  // default_reason(status).
  explicit ResponseBuilder(int status, std::string_view reason = {});
};

}  // namespace trapezoid::sip
