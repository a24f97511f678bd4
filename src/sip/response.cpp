#include "sip/response.hpp"

#include <string>

#include "sip/charset.hpp"
#include "sip/find_byte.hpp"
#include "sip/name_addr.hpp"

namespace trapezoid::sip {
namespace {

// The value with each folded line break removed; the whitespace after it stays (§7.3.1: a
// fold is equivalent to the whitespace). The parser only keeps a line break inside a value
// when whitespace follows it, so dropping CR and LF is enough. `scratch` holds the result when
// there was something to remove.
std::string_view unfold(std::string_view value, std::string& scratch) {
  if (find_either(value.data(), value.data() + value.size(), '\r', '\n') == nullptr) return value;
  scratch.clear();
  for (char c : value)
    if (c != '\r' && c != '\n') scratch.push_back(c);
  return scratch;
}

void copy_fields(const Message& request, HeaderId id, MessageBuilder& out) {
  request.for_each(id, [&](const HeaderField& h) { out.copy_header(id, h.value); });
}

// Whether make_response_builder() already copied this header for this status.
bool already_copied(HeaderId id, int status) {
  return id == HeaderId::kVia || id == HeaderId::kFrom || id == HeaderId::kTo ||
         id == HeaderId::kCallId || id == HeaderId::kCSeq ||
         (id == HeaderId::kTimestamp && status == 100);
}

// RFC 3261 §8.2.6.2: To is copied; a tag is added when the request had none (not to a 100).
void copy_to(const Message& request, int status, std::string_view to_tag, MessageBuilder& out) {
  const HeaderField* to = request.find(HeaderId::kTo);
  if (to == nullptr) return;
  std::string scratch;
  std::string_view value = unfold(to->value, scratch);
  bool parsed = true;
  bool has_tag = false;
  if (request.syntax_valid()) {
    // Validation parsed the address already: only its parameters are read again.
    std::string_view tag;
    has_tag = find_address_tag(value, tag);
  } else {
    NameAddr addr;
    parsed = parse_name_addr(value, addr).empty();
    has_tag = parsed && addr.params.has("tag");
  }
  if (status == 100 || !parsed || has_tag) {
    out.header(HeaderId::kTo, value);
    return;
  }
  if (to_tag.empty()) {
    out.fail(BuildError::kMissingToTag);
    return;
  }
  std::string tagged(value);
  tagged.append(";tag=").append(to_tag);  // after the address and its parameters (§20.39)
  out.header(HeaderId::kTo, tagged);
}

}  // namespace

ResponseBuilder make_response_builder(const Message& request, int status, std::string_view reason,
                                      std::string_view to_tag) {
  ResponseBuilder out(status, reason);
  if (!request.is_request()) {
    out.fail(BuildError::kNotARequest);
    return out;
  }
  // tag-param = "tag" EQUAL token (§25.1). Checked even when unused, so a bad tag never hides.
  if (!to_tag.empty() && !charset::all_token(to_tag)) {
    out.fail(BuildError::kBadToTag);
    return out;
  }
  // RFC 3261 §8.2.6.2: every Via in order, then From, To, Call-ID and CSeq.
  copy_fields(request, HeaderId::kVia, out);
  copy_fields(request, HeaderId::kFrom, out);
  copy_to(request, status, to_tag, out);
  copy_fields(request, HeaderId::kCallId, out);
  copy_fields(request, HeaderId::kCSeq, out);
  // RFC 3261 §8.2.6.1: a 100 (Trying) echoes the request's Timestamp.
  if (status == 100) copy_fields(request, HeaderId::kTimestamp, out);
  return out;
}

BuildResult make_response(const Message& request, int status, std::string_view reason,
                          std::string_view to_tag, const ResponseOptions& options) {
  ResponseBuilder out = make_response_builder(request, status, reason, to_tag);
  for (HeaderId id : options.copy)
    if (!already_copied(id, status)) copy_fields(request, id, out);
  for (const HeaderLine& h : options.headers) {
    if (h.name.empty()) out.header(h.id, h.value);
    else out.header(h.name, h.value);
  }
  if (!options.body.empty() || !options.content_type.empty()) out.body(options.content_type, options.body);
  return std::move(out).build();
}

}  // namespace trapezoid::sip
