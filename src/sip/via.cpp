#include "sip/via.hpp"

#include "sip/charset.hpp"
#include "sip/find_byte.hpp"

namespace trapezoid::sip {
namespace {

constexpr std::string_view kMalformed = "Malformed Via";

bool parse_small_int(std::string_view s, int max, std::size_t max_digits, int& out) {
  if (s.empty() || s.size() > max_digits) return false;
  int v = 0;
  for (char c : s) {
    if (!charset::is_digit(c)) return false;
    v = v * 10 + (c - '0');
  }
  if (v > max) return false;
  out = v;
  return true;
}

// via-received = "received" EQUAL (IPv4address / IPv6address). RFC 5118 §4.5 asks receivers
// to tolerate a bracketed IPv6reference too, and RFC 2543-era stacks wrote a host name here;
// only the top Via's received is ever used, and that one this element writes itself, so any
// host form is tolerated.
bool valid_received(std::string_view v) {
  return classify_host(v) != HostKind::kNone || is_ipv6_address(v);  // IPv4 first: the usual case
}

// A token, for a value scan_params accepted: a gen-value is a quoted-string or token and host
// characters, and the host characters beyond the token ones are ':' '[' ']' (§25.1).
bool is_token_value(std::string_view v) {
  return !v.empty() && v[0] != '"' && !contains_any_of(v.data(), v.data() + v.size(), ':', '[', ']');
}

// Reads the parameters §18 and RFC 3581 give meaning to; others are kept in Via::params.
bool read_param(const Param& p, Via& out) {
  switch (p.name.size()) {
    case 6:
      if (charset::iequals(p.name, "branch")) {
        out.branch = p.value;
        return p.has_value && is_token_value(p.value);
      }
      break;
    case 8:
      if (charset::iequals(p.name, "received")) {
        out.received = p.value;
        return p.has_value && valid_received(p.value);
      }
      break;
    case 5:
      if (charset::iequals(p.name, "maddr")) {
        out.maddr = p.value;
        return p.has_value && classify_host(p.value) != HostKind::kNone;
      }
      if (charset::iequals(p.name, "rport")) {
        out.rport = true;
        return !p.has_value || parse_small_int(p.value, 65535, 5, out.rport_value);
      }
      break;
    case 3:
      // ttl = 1*3DIGIT ; 0 to 255 (RFC 3261 §25.1): "0255" has one digit too many.
      if (charset::iequals(p.name, "ttl")) return p.has_value && parse_small_int(p.value, 255, 3, out.ttl);
      break;
    default: break;
  }
  return true;
}

// scan_via without its cleanup on failure: the fields it may not reach are reset here, not
// the whole Via (as large as the rest of the work on a typical Via).
std::string_view scan_via_fields(Scanner& s, Via& out) noexcept {
  out.host = {};
  out.port = 0;
  out.has_port = false;
  out.branch = out.received = out.maddr = {};
  out.ttl = -1;
  out.rport = false;
  out.rport_value = -1;
  // sent-protocol = protocol-name SLASH protocol-version SLASH transport
  s.skip_lws();
  if (s.rest().starts_with("SIP/2.0/")) {
    // Nearly every Via is written this way: no need for the general separators.
    out.protocol_name = s.rest().substr(0, 3);
    out.protocol_version = s.rest().substr(4, 3);
    s.set_pos(s.pos() + 8);
  } else {
    out.protocol_name = s.token();
    if (out.protocol_name.empty() || !s.accept_separator('/')) return kMalformed;
    out.protocol_version = s.token();
    if (out.protocol_version.empty() || !s.accept_separator('/')) return kMalformed;
  }
  out.transport = s.token();
  if (out.transport.empty() || !s.skip_lws()) return kMalformed;
  // sent-by = host [ COLON port ]
  const std::size_t host_len = scan_host(s.rest(), out.host_kind);
  if (host_len == 0) return kMalformed;
  out.host = s.rest().substr(0, host_len);
  s.set_pos(s.pos() + host_len);
  if (s.accept_separator(':')) {
    out.has_port = true;
    if (!parse_port(s.span_while(charset::is_digit), out.port)) return kMalformed;
  }
  if (!scan_params(s, out.params, [&out](const Param& p) { return read_param(p, out); })) return kMalformed;
  s.skip_lws();
  return {};
}

}  // namespace

std::string_view scan_via(Scanner& s, Via& out) noexcept {
  const std::string_view err = scan_via_fields(s, out);
  if (!err.empty()) out = Via{};  // nothing half-parsed is left behind
  return err;
}

std::string_view parse_via(std::string_view text, Via& out) noexcept {
  Scanner s(text);
  if (std::string_view err = scan_via(s, out); !err.empty()) return err;
  return s.done() ? std::string_view{} : kMalformed;
}

}  // namespace trapezoid::sip
