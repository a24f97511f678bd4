#include "proxy/upstream_response.hpp"

#include "sip/find_byte.hpp"
#include "sip/header_list.hpp"
#include "sip/serializer.hpp"

namespace trapezoid::proxy {
namespace {

using sip::HeaderId;

// The Via values of a field after its first one ("b, c" of "a, b, c"), or "" when it has one.
std::string_view after_first_value(std::string_view value) {
  // Values are separated by commas; a field without one holds one value (the usual case).
  // Without a quoted string before the first comma, the second value starts after it (past
  // any white space); quoted strings and empty elements take the general list reader.
  // (find_first_of would call memchr once per byte of the value.)
  const char* hit = sip::find_either(value.data(), value.data() + value.size(), ',', '"');
  if (hit == nullptr) return {};
  const std::size_t mark = static_cast<std::size_t>(hit - value.data());
  if (value[mark] == ',' && mark != 0) {
    const std::size_t next = value.find_first_not_of(" \t\r\n", mark + 1);
    if (next != std::string_view::npos && value[next] != ',') return value.substr(next);
  }
  std::string_view second;
  int seen = 0;
  (void)sip::for_each_list_element(value, [&](std::string_view e) {
    if (++seen == 2) second = e;
    return seen < 2;
  });
  if (second.empty()) return {};
  return value.substr(static_cast<std::size_t>(second.data() - value.data()));
}

// With nothing to edit, the received bytes themselves with the top Via value cut out: one
// copy instead of a field-by-field rebuild. Only when the message says its own length right
// (the rebuild writes a Content-Length that matches the body); nullopt otherwise.
std::optional<std::string> cut_top_via(const sip::Message& response, bool& any_via_left) {
  if (response.count(HeaderId::kContentLength) != 1 ||
      response.content_length() != static_cast<std::int64_t>(response.body().size()))
    return std::nullopt;
  const std::string_view raw = response.raw();
  const sip::HeaderField* top = nullptr;
  for (const sip::HeaderField& h : response.headers()) {
    if (h.id != HeaderId::kVia) continue;
    if (top != nullptr) {
      any_via_left = true;
      break;
    }
    top = &h;
  }
  if (top == nullptr) return std::nullopt;
  const std::size_t value_at = static_cast<std::size_t>(top->value.data() - raw.data());
  std::string out;
  if (const std::string_view rest = after_first_value(top->value); !rest.empty()) {
    any_via_left = true;
    // "Via: a, b" becomes "Via: b".
    const std::size_t rest_at = static_cast<std::size_t>(rest.data() - raw.data());
    out.reserve(raw.size() - (rest_at - value_at));
    out.append(raw.substr(0, value_at)).append(raw.substr(rest_at));
    return out;
  }
  // The whole field line goes, up to and with the line break that ends its (last) line.
  const std::size_t line_at = static_cast<std::size_t>(top->name.data() - raw.data());
  const std::size_t eol = raw.find('\n', value_at + top->value.size());
  if (eol == std::string_view::npos) return std::nullopt;
  out.reserve(raw.size() - (eol + 1 - line_at));
  out.append(raw.substr(0, line_at)).append(raw.substr(eol + 1));
  return out;
}

}  // namespace

std::optional<std::string> upstream_response(const sip::Message& response, const UpstreamEdits& edits) {
  if (edits.extra.empty() && !edits.contacts) {
    bool any_via_left = false;
    std::optional<std::string> cut = cut_top_via(response, any_via_left);
    if (cut) {
      if (!any_via_left) return std::nullopt;  // it was meant for this element
      return cut;
    }
  }
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
