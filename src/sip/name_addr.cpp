#include "sip/name_addr.hpp"

#include <initializer_list>
#include <string>

#include "sip/charset.hpp"
#include "sip/find_byte.hpp"
#include "sip/lws.hpp"

namespace trapezoid::sip {
namespace {

constexpr std::string_view kMalformed = "Malformed Address";

// `v`, a view into the text at `from`, moved to the same offset of an equal text at `to`.
std::string_view moved(std::string_view v, const char* from, const char* to) noexcept {
  return v.data() == nullptr ? v : std::string_view(to + (v.data() - from), v.size());
}

// The parse of `text` when the known URI has that very text: a copy with its views moved,
// which is what parse_uri would produce. False otherwise.
bool copy_known(std::string_view text, const KnownUri* known, Uri& out) noexcept {
  if (known == nullptr || known->parsed == nullptr || !charset::same_text(known->text, text)) return false;
  const char* const from = known->text.data();
  const char* const to = text.data();
  out = *known->parsed;
  for (std::string_view* v : {&out.scheme_name, &out.user, &out.password, &out.host, &out.params,
                              &out.headers, &out.opaque})
    *v = moved(*v, from, to);
  return true;
}

// scan_address up to the URI's text: out.uri is found, out.parsed_uri not yet touched.
std::string_view scan_address_text(Scanner& s, NameAddr& out, AddrForm form) noexcept {
  // Field by field: parse_uri resets parsed_uri itself, and it is the bulk of the struct.
  out.display_name = {};
  out.uri = {};
  out.angle_brackets = false;
  out.params = Params{};
  out.tag = {};
  // On an early error parsed_uri must not keep a previous value.
  auto malformed = [&out] {
    out.parsed_uri = Uri{};
    return kMalformed;
  };
  // A pointer walk (scanner.hpp's cursor steps); `s` learns the position at the end.
  const std::string_view text = s.text();
  const char* const begin = text.data();
  const char* const end = begin + text.size();
  const char* p = cursor::skip_lws(begin + s.pos(), end);
  // name-addr when a '<' comes after an optional display name; addr-spec otherwise.
  bool name_addr = false;
  // display-name = *(token LWS) / quoted-string (§25.1); an unquoted "Bell, Alexander" fails
  // below, as its ',' is neither.
  if (p != end && *p == '"') {
    std::size_t pos = static_cast<std::size_t>(p - begin);
    out.display_name = lws::parse_quoted_string(text, pos);
    if (out.display_name.empty()) return malformed();
    p = begin + pos;
    name_addr = true;
  } else if (p != end && *p == '<') {
    name_addr = true;
  } else {
    // A run of tokens followed by '<' is a display name; "sip:..." without '<' is an addr-spec,
    // read again from the start.
    const char* q = p;
    const char* name_end = p;
    while (true) {
      const char* const t = cursor::skip_token(q, end);
      if (t == q) break;
      name_end = t;
      q = cursor::skip_lws(t, end);
      if (q == end || *q == '<') break;  // where a display name ends: no token step to learn it
    }
    if (q != end && *q == '<') {
      out.display_name = std::string_view(p, static_cast<std::size_t>(name_end - p));
      p = q;
      name_addr = true;
    }
  }

  if (name_addr) {
    p = cursor::skip_lws(p, end);
    if (p == end || *p != '<') return malformed();
    ++p;
    // RFC 3261 §25.1 LAQUOT = SWS "<" and RAQUOT = ">" SWS: no whitespace inside the brackets
    // (parse_uri refuses it).
    const char* close = find_byte(p, end, '>');
    if (close == nullptr) return malformed();
    out.uri = std::string_view(p, static_cast<std::size_t>(close - p));
    p = close + 1;
    out.angle_brackets = true;
  } else {
    if (form == AddrForm::kNameAddrOnly) return malformed();
    // §20.10: an addr-spec URI cannot hold ',', '?' or ';' (those need angle brackets), so it
    // ends at the first ';', ',' or whitespace.
    const char* uri_end = cursor::skip_while(p, end, [](char c) { return c != ';' && c != ',' && !cursor::is_lws_char(c); });
    out.uri = std::string_view(p, static_cast<std::size_t>(uri_end - p));
    p = uri_end;
    if (find_byte(out.uri.data(), uri_end, '?') != nullptr) return malformed();
  }
  s.set_pos(static_cast<std::size_t>(p - begin));
  if (out.uri.empty()) return malformed();
  return {};
}

}  // namespace

std::string_view scan_address(Scanner& s, NameAddr& out, AddrForm form) noexcept {
  if (std::string_view err = scan_address_text(s, out, form); !err.empty()) return err;
  return parse_uri(out.uri, out.parsed_uri);
}

std::string_view parse_name_addr(std::string_view text, NameAddr& out, AddrForm form,
                                 const KnownUri* known) noexcept {
  Scanner s(text);
  if (std::string_view err = scan_address_text(s, out, form); !err.empty()) return err;
  if (!copy_known(out.uri, known, out.parsed_uri)) {
    if (std::string_view err = parse_uri(out.uri, out.parsed_uri); !err.empty()) return err;
  }
  auto read_tag = [&out](const Param& p) {
    if (p.name.size() == 3 && charset::iequals(p.name, "tag")) out.tag = p.value;
    return true;
  };
  if (!scan_params(s, out.params, read_tag)) return kMalformed;
  s.skip_lws();
  return s.done() ? std::string_view{} : kMalformed;
}

bool find_address_tag(std::string_view text, std::string_view& tag) noexcept {
  tag = {};
  Scanner s(text);
  NameAddr out;
  if (!scan_address_text(s, out, AddrForm::kNameAddrOrAddrSpec).empty()) return false;
  bool found = false;
  auto read_tag = [&](const Param& p) {
    if (p.name.size() == 3 && charset::iequals(p.name, "tag")) {
      tag = p.value;
      found = true;
    }
    return true;
  };
  if (!scan_params(s, out.params, read_tag)) {
    tag = {};
    return false;
  }
  return found;
}

std::string unquote(std::string_view quoted) { return lws::unquote(quoted); }

}  // namespace trapezoid::sip
