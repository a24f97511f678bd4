#include "sip/message_builder.hpp"

#include <array>
#include <charconv>

#include "sip/charset.hpp"
#include "sip/find_byte.hpp"
#include "sip/media_type.hpp"
#include "sip/serializer.hpp"

namespace trapezoid::sip {
namespace {

constexpr std::string_view kCrlf = "\r\n";
constexpr std::string_view kVersion = "SIP/2.0";

// CR and LF end a header line: a value holding one could inject header fields or end the
// header section. (A fold is legal on the wire but never needed: §7.3.1 makes it one SP.)
bool single_line(std::string_view s) noexcept {
  return find_either(s.data(), s.data() + s.size(), '\r', '\n') == nullptr;
}

// Reason-Phrase = *(reserved / unreserved / escaped / UTF8-NONASCII / UTF8-CONT / SP / HTAB)
// (§25.1): no control characters but HTAB.
bool valid_reason(std::string_view s) noexcept {
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c < 0x20 && c != '\t') || c == 0x7F) return false;
  }
  return true;
}

std::string_view trim_ws(std::string_view s) noexcept {
  while (!s.empty() && charset::is_ws(s.front())) s.remove_prefix(1);
  while (!s.empty() && charset::is_ws(s.back())) s.remove_suffix(1);
  return s;
}


struct StatusReason {
  int status;
  std::string_view reason;
};

// RFC 3261 §21 and the extension codes of the IANA SIP response-code registry (each marked
// with its RFC), in code order.
constexpr StatusReason kReasons[] = {
    {100, "Trying"},
    {180, "Ringing"},
    {181, "Call Is Being Forwarded"},
    {182, "Queued"},
    {183, "Session Progress"},
    {199, "Early Dialog Terminated"},  // RFC 6228
    {200, "OK"},
    {202, "Accepted"},                 // RFC 3265 (deprecated by RFC 6665)
    {204, "No Notification"},          // RFC 5839
    {300, "Multiple Choices"},
    {301, "Moved Permanently"},
    {302, "Moved Temporarily"},
    {305, "Use Proxy"},
    {380, "Alternative Service"},
    {400, "Bad Request"},
    {401, "Unauthorized"},
    {402, "Payment Required"},
    {403, "Forbidden"},
    {404, "Not Found"},
    {405, "Method Not Allowed"},
    {406, "Not Acceptable"},
    {407, "Proxy Authentication Required"},
    {408, "Request Timeout"},
    {409, "Conflict"},                         // RFC 2543, still sent by old peers
    {410, "Gone"},
    {411, "Length Required"},                  // RFC 2543
    {412, "Conditional Request Failed"},       // RFC 3903
    {413, "Request Entity Too Large"},
    {414, "Request-URI Too Long"},
    {415, "Unsupported Media Type"},
    {416, "Unsupported URI Scheme"},
    {417, "Unknown Resource-Priority"},        // RFC 4412
    {420, "Bad Extension"},
    {421, "Extension Required"},
    {422, "Session Interval Too Small"},       // RFC 4028
    {423, "Interval Too Brief"},
    {424, "Bad Location Information"},         // RFC 6442
    {425, "Bad Alert Message"},                // RFC 8876
    {428, "Use Identity Header"},              // RFC 8224
    {429, "Provide Referrer Identity"},        // RFC 3892
    {430, "Flow Failed"},                      // RFC 5626
    {433, "Anonymity Disallowed"},             // RFC 5079
    {436, "Bad Identity Info"},                // RFC 8224
    {437, "Unsupported Credential"},           // RFC 8224
    {438, "Invalid Identity Header"},          // RFC 8224
    {439, "First Hop Lacks Outbound Support"}, // RFC 5626
    {440, "Max-Breadth Exceeded"},             // RFC 5393
    {469, "Bad Info Package"},                 // RFC 6086
    {470, "Consent Needed"},                   // RFC 5360
    {480, "Temporarily Unavailable"},
    {481, "Call/Transaction Does Not Exist"},
    {482, "Loop Detected"},
    {483, "Too Many Hops"},
    {484, "Address Incomplete"},
    {485, "Ambiguous"},
    {486, "Busy Here"},
    {487, "Request Terminated"},
    {488, "Not Acceptable Here"},
    {489, "Bad Event"},                        // RFC 6665
    {491, "Request Pending"},
    {493, "Undecipherable"},
    {494, "Security Agreement Required"},      // RFC 3329
    {500, "Server Internal Error"},
    {501, "Not Implemented"},
    {502, "Bad Gateway"},
    {503, "Service Unavailable"},
    {504, "Server Time-out"},
    {505, "Version Not Supported"},
    {513, "Message Too Large"},
    {555, "Push Notification Service Not Supported"},  // RFC 8599
    {580, "Precondition Failure"},             // RFC 3312
    {600, "Busy Everywhere"},
    {603, "Decline"},
    {604, "Does Not Exist Anywhere"},
    {606, "Not Acceptable"},
    {607, "Unwanted"},                         // RFC 8197
    {608, "Rejected"},                         // RFC 8688
};

}  // namespace

std::string_view to_string(BuildError e) noexcept {
  switch (e) {
    case BuildError::kNone: return "OK";
    case BuildError::kBadMethod: return "Bad Method";
    case BuildError::kBadRequestUri: return "Bad Request-URI";
    case BuildError::kBadStatus: return "Bad Status Code";
    case BuildError::kBadReason: return "Bad Reason Phrase";
    case BuildError::kBadHeaderName: return "Bad Header Name";
    case BuildError::kBadHeaderValue: return "Bad Header Value";
    case BuildError::kReservedHeader: return "Header Set By The Builder";
    case BuildError::kBadContentType: return "Bad Content-Type";
    case BuildError::kMissingToTag: return "Missing To Tag";
    case BuildError::kBadToTag: return "Bad To Tag";
    case BuildError::kNotARequest: return "Not A Request";
  }
  return "Unknown Error";
}

std::string_view default_reason(int status) noexcept {
  for (const StatusReason& r : kReasons)
    if (r.status == status) return r.reason;
  return {};
}

MessageBuilder::MessageBuilder() { head_.reserve(512); }

MessageBuilder& MessageBuilder::fail(BuildError e) noexcept {
  if (error_ == BuildError::kNone) error_ = e;
  return *this;
}

MessageBuilder& MessageBuilder::header(HeaderId id, std::string_view value) {
  return add_header(id, value, false);
}

MessageBuilder& MessageBuilder::add_header(HeaderId id, std::string_view value, bool known_single_line) {
  if (error_ != BuildError::kNone) return *this;
  if (id == HeaderId::kUnknown || static_cast<std::size_t>(id) >= kHeaderIdCount)
    return fail(BuildError::kBadHeaderName);
  // §20.14: the builder always writes Content-Length itself; Content-Type comes with body().
  if (id == HeaderId::kContentLength || id == HeaderId::kContentType)
    return fail(BuildError::kReservedHeader);
  if (!known_single_line && !single_line(value)) return fail(BuildError::kBadHeaderValue);
  append_field(head_, header_name(id), trim_ws(value));
  return *this;
}

MessageBuilder& MessageBuilder::copy_header(HeaderId id, std::string_view value) {
  // The usual value has no fold: one scan decides, and it goes in as it is.
  if (single_line(value)) return add_header(id, value, true);
  std::string unfolded;
  unfolded.reserve(value.size());
  for (char c : value)
    if (c != '\r' && c != '\n') unfolded.push_back(c);
  return add_header(id, unfolded, true);
}

MessageBuilder& MessageBuilder::header(std::string_view name, std::string_view value) {
  if (error_ != BuildError::kNone) return *this;
  // field-name = token (§7.3.1, §25.1 extension-header = header-name HCOLON header-value).
  if (!charset::all_token(name)) return fail(BuildError::kBadHeaderName);
  if (HeaderId id = lookup_header(name); id != HeaderId::kUnknown) return header(id, value);
  if (!single_line(value)) return fail(BuildError::kBadHeaderValue);
  append_field(head_, name, trim_ws(value));
  return *this;
}

MessageBuilder& MessageBuilder::body(std::string_view content_type, std::string_view bytes) {
  if (error_ != BuildError::kNone) return *this;
  content_type = trim_ws(content_type);
  if (content_type.empty()) {
    // §20.15: a non-empty body needs a Content-Type.
    if (!bytes.empty()) return fail(BuildError::kBadContentType);
  } else {
    MediaType parsed;
    if (!single_line(content_type) || !parse_media_type(content_type, parsed).empty())
      return fail(BuildError::kBadContentType);
  }
  content_type_.assign(content_type);
  body_.assign(bytes);
  return *this;
}

void MessageBuilder::finish(std::string& out) const {
  if (!content_type_.empty()) append_field(out, header_name(HeaderId::kContentType), content_type_);
  std::array<char, 24> digits{};
  auto r = std::to_chars(digits.data(), digits.data() + digits.size(), body_.size());
  append_field(out, header_name(HeaderId::kContentLength),
               std::string_view(digits.data(), static_cast<std::size_t>(r.ptr - digits.data())));
  out.append(kCrlf);
  out.append(body_);
}

BuildResult MessageBuilder::build() const& {
  if (error_ != BuildError::kNone) return {{}, error_};
  BuildResult result;
  result.bytes.reserve(head_.size() + content_type_.size() + body_.size() + 64);
  result.bytes.append(head_);
  finish(result.bytes);
  return result;
}

BuildResult MessageBuilder::build() && {
  if (error_ != BuildError::kNone) return {{}, error_};
  BuildResult result{std::move(head_), BuildError::kNone};
  finish(result.bytes);
  return result;
}

RequestBuilder::RequestBuilder(Method method, std::string_view request_uri)
    : RequestBuilder(method == Method::kUnknown ? std::string_view{} : method_name(method), request_uri) {}

RequestBuilder::RequestBuilder(std::string_view method, std::string_view request_uri) {
  // Method = token (§7.1, §25.1).
  if (!charset::all_token(method)) {
    fail(BuildError::kBadMethod);
    return;
  }
  // The Request-URI is delimited by single spaces (§7.1): no whitespace, no control characters.
  bool uri_ok = !request_uri.empty();
  for (char ch : request_uri) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == 0x7F) uri_ok = false;
  }
  if (!uri_ok) {
    fail(BuildError::kBadRequestUri);
    return;
  }
  head_.append(method);
  head_.push_back(' ');
  head_.append(request_uri);
  head_.push_back(' ');
  head_.append(kVersion);
  head_.append(kCrlf);
}

ResponseBuilder::ResponseBuilder(int status, std::string_view reason) {
  // Status-Code = 3DIGIT with a class digit of 1..6 (§7.2, §21).
  if (status < 100 || status > 699) {
    fail(BuildError::kBadStatus);
    return;
  }
  if (reason.empty()) reason = default_reason(status);
  if (!valid_reason(reason)) {
    fail(BuildError::kBadReason);
    return;
  }
  head_.append(kVersion);
  head_.push_back(' ');
  std::array<char, 4> code{};
  auto r = std::to_chars(code.data(), code.data() + code.size(), status);
  head_.append(code.data(), static_cast<std::size_t>(r.ptr - code.data()));
  head_.push_back(' ');
  head_.append(reason);
  head_.append(kCrlf);
}

}  // namespace trapezoid::sip
