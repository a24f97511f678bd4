#include "sip/name_addr.hpp"

#include <string>

#include "sip/charset.hpp"
#include "sip/find_byte.hpp"
#include "sip/lws.hpp"

namespace trapezoid::sip {
namespace {

constexpr std::string_view kMalformed = "Malformed Address";

}  // namespace

std::string_view scan_address(Scanner& s, NameAddr& out, AddrForm form) noexcept {
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
  s.skip_lws();
  // name-addr when a '<' comes after an optional display name; addr-spec otherwise.
  bool name_addr = false;
  // display-name = *(token LWS) / quoted-string (§25.1); an unquoted "Bell, Alexander" fails
  // below, as its ',' is neither.
  if (s.peek() == '"') {
    out.display_name = s.quoted_string();
    if (out.display_name.empty()) return malformed();
    name_addr = true;
  } else if (s.peek() == '<') {
    name_addr = true;
  } else {
    // A run of tokens followed by '<' is a display name; "sip:..." without '<' is an addr-spec,
    // read again from the start.
    Scanner probe = s;
    const std::size_t start = probe.pos();
    std::size_t end = start;
    while (!probe.token().empty()) {
      end = probe.pos();
      probe.skip_lws();
    }
    if (probe.peek() == '<') {
      out.display_name = probe.text().substr(start, end - start);
      s = probe;
      name_addr = true;
    }
  }

  if (name_addr) {
    s.skip_lws();
    if (!s.accept('<')) return malformed();
    // RFC 3261 §25.1 LAQUOT = SWS "<" and RAQUOT = ">" SWS: no whitespace inside the brackets
    // (parse_uri refuses it).
    const std::string_view rest = s.rest();
    const char* close = find_byte(rest.data(), rest.data() + rest.size(), '>');
    if (close == nullptr) return malformed();
    out.uri = rest.substr(0, static_cast<std::size_t>(close - rest.data()));
    s.set_pos(s.pos() + out.uri.size() + 1);
    out.angle_brackets = true;
  } else {
    if (form == AddrForm::kNameAddrOnly) return malformed();
    // §20.10: an addr-spec URI cannot hold ',', '?' or ';' (those need angle brackets), so it
    // ends at the first ';', ',' or whitespace.
    out.uri = s.span_while([](char c) { return c != ';' && c != ',' && !Scanner::is_lws_char(c); });
    if (out.uri.find('?') != std::string_view::npos) return malformed();
  }
  if (out.uri.empty()) return malformed();
  return parse_uri(out.uri, out.parsed_uri);
}

std::string_view parse_name_addr(std::string_view text, NameAddr& out, AddrForm form) noexcept {
  Scanner s(text);
  if (std::string_view err = scan_address(s, out, form); !err.empty()) return err;
  auto read_tag = [&out](const Param& p) {
    if (p.name.size() == 3 && charset::iequals(p.name, "tag")) out.tag = p.value;
    return true;
  };
  if (!scan_params(s, out.params, read_tag)) return kMalformed;
  s.skip_lws();
  return s.done() ? std::string_view{} : kMalformed;
}

std::string unquote(std::string_view quoted) { return lws::unquote(quoted); }

}  // namespace trapezoid::sip
