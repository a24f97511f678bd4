// Splitting list headers into their elements (RFC 3261 §7.3.1): "Via: a, b" and two "Via"
// lines are the same list. Commas inside quoted strings and <...> do not split.
//
//   for_each_element(msg, HeaderId::kVia, [](std::string_view via) { ...; return true; });
#pragma once

#include <string_view>

#include "sip/message.hpp"
#include "sip/scanner.hpp"

namespace trapezoid::sip {

// Calls f(element) for each comma-separated element of `value`, trimmed of LWS. f returns
// false to stop. Returns false if an element is empty (",," or a trailing comma) or a quote
// or '<' is left open.
template <class F>
bool for_each_list_element(std::string_view value, F&& f) {
  std::size_t start = 0;
  bool in_quote = false;
  bool in_angle = false;
  for (std::size_t i = 0; i <= value.size(); ++i) {
    if (i < value.size()) {
      char c = value[i];
      if (in_quote) {
        // A quoted-pair needs a character after its '\' (RFC 3261 §25.1): a '\' that ends the
        // value escapes nothing, and the quote it leaves open is reported below.
        if (c == '\\' && i + 1 < value.size()) ++i;
        else if (c == '"') in_quote = false;
        continue;
      }
      if (c == '"') { in_quote = true; continue; }
      if (c == '<') { in_angle = true; continue; }
      if (c == '>') { in_angle = false; continue; }
      if (c != ',' || in_angle) continue;
    }
    if (in_quote || in_angle) return false;
    std::string_view element = trim_lws(value.substr(start, i - start));
    if (element.empty()) return false;
    if (!f(element)) return true;
    start = i + 1;
  }
  return true;
}

// The same over every field with this id, in message order.
template <class F>
bool for_each_element(const Message& msg, HeaderId id, F&& f) {
  bool ok = true;
  bool stop = false;
  msg.for_each(id, [&](const HeaderField& h) {
    if (!ok || stop) return;
    ok = for_each_list_element(h.value, [&](std::string_view e) {
      if (!f(e)) stop = true;
      return !stop;
    });
  });
  return ok;
}

// Walks a list whose elements are parsed at a cursor by scan(Scanner&, T&) -> error, such as
// scan_via and scan_contact, without splitting the value first. Calls f(const T&) for each
// element; returns false on a malformed element or separator.
template <class T, class Scan, class F>
bool for_each_scanned(const Message& msg, HeaderId id, Scan&& scan, F&& f) {
  bool ok = true;
  msg.for_each(id, [&](const HeaderField& h) {
    if (!ok) return;
    Scanner s(h.value);
    while (ok) {
      T item;
      ok = scan(s, item).empty();
      if (!ok) return;
      f(item);
      if (s.done()) return;
      ok = s.accept(',');
    }
  });
  return ok;
}

// Whether the list is well formed and pred(element) holds for every element.
template <class Pred>
bool all_elements(const Message& msg, HeaderId id, Pred&& pred) {
  bool all = true;
  bool ok = for_each_element(msg, id, [&](std::string_view e) { return all = pred(e); });
  return ok && all;
}

// Whether a token list header (Require, Supported, Allow, ...) names `token` (case-insensitive).
[[nodiscard]] bool list_contains(const Message& msg, HeaderId id, std::string_view token);

}  // namespace trapezoid::sip
