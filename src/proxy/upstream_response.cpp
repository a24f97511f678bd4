#include "proxy/upstream_response.hpp"

#include "sip/header_list.hpp"
#include "sip/serializer.hpp"

namespace trapezoid::proxy {
namespace {

using sip::HeaderId;

// The Via values of a field after its first one ("b, c" of "a, b, c"), or "" when it has one.
std::string_view after_first_value(std::string_view value) {
  std::string_view second;
  int seen = 0;
  (void)sip::for_each_list_element(value, [&](std::string_view e) {
    if (++seen == 2) second = e;
    return seen < 2;
  });
  if (second.empty()) return {};
  return value.substr(static_cast<std::size_t>(second.data() - value.data()));
}

}  // namespace

std::optional<std::string> upstream_response(const sip::Message& response, const UpstreamEdits& edits) {
  std::string out;
  out.reserve(response.raw().size() + 64);
  out.append(response.version()).append(" ").append(std::to_string(response.status_code()));
  out.append(" ").append(response.reason_phrase()).append("\r\n");

  bool top_removed = false;
  bool any_via_left = false;
  bool contacts_done = false;
  for (const sip::HeaderField& h : response.headers()) {
    if (h.id == HeaderId::kVia && !top_removed) {
      // §16.7 item 3: "The proxy removes the topmost Via header field value".
      top_removed = true;
      const std::string_view rest = after_first_value(h.value);
      if (rest.empty()) continue;
      any_via_left = true;
      sip::append_field(out, h.name, rest);
      continue;
    }
    if (h.id == HeaderId::kVia) any_via_left = true;
    if (h.id == HeaderId::kContact && edits.contacts) {
      if (!contacts_done)
        for (const std::string& c : *edits.contacts) sip::append_field(out, sip::header_name(HeaderId::kContact), c);
      contacts_done = true;
      continue;
    }
    if (h.id == HeaderId::kContentLength) {
      sip::append_field(out, h.name, std::to_string(response.body().size()));
      continue;
    }
    sip::append_field(out, h.name, h.value);
  }
  if (!any_via_left) return std::nullopt;  // it was meant for this element
  for (const sip::HeaderLine& f : edits.extra)
    sip::append_field(out, f.name.empty() ? sip::header_name(f.id) : f.name, f.value);
  if (response.count(HeaderId::kContentLength) == 0)
    sip::append_field(out, sip::header_name(HeaderId::kContentLength), std::to_string(response.body().size()));
  out.append("\r\n");
  out.append(response.body());  // §16.7 item 9: the body is never changed
  return out;
}

}  // namespace trapezoid::proxy
