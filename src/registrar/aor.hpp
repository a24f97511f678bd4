// The canonical address-of-record (RFC 3261 §10.3 step 5): the key under which the registrar
// files bindings and the proxy looks them up (§16.5), so both must derive it the same way.
//
//   AorResult r = canonical_aor("sips:%61lice@Atlanta.COM:5061;transport=tls?subject=x");
//   if (r.ok()) r.aor;              // "sip:alice@atlanta.com"
//   aor_host(r.aor);                // "atlanta.com"
//   request_uri_aor("sip:alice@atlanta.com;maddr=192.0.2.1").aor;  // "sip:alice@atlanta.com"
//
// The rules, and why:
// - sip and sips map to "sip": RFC 5630 §5.2 makes a registrar treat AoRs that differ only in
//   that scheme as equivalent (whether a contact may be reached without TLS is a property of
//   the contact, not of the user).
// - The user is unescaped (§10.3 step 5). Its characters are then written back in one fixed
//   form: those a user part may carry plainly (§25.1 user: unreserved / user-unreserved) as
//   themselves, every other octet as %XX in upper case, so "%61lice" and "alice" give one key
//   and the key is still a valid SIP URI. The user stays case-sensitive (§19.1.4).
// - A password is dropped: it is a credential, not part of who the user is (§19.1.1 calls its
//   use NOT RECOMMENDED).
// - The host is lower-cased (§19.1.4); an IPv4 or IPv6 address is rewritten from its value
//   (IPv6 in the RFC 5952 text form), so every spelling of one address gives one key.
// - The port is always dropped. §19.1.4 would call "biloxi.com" and "biloxi.com:5060"
//   different URIs, but a registrar keeps bindings per user of the domains it serves (§10.3:
//   "the set of domain(s) for which it maintains bindings"), and by step 1 the host is one of
//   ours: a port there only names where this server listens, not another user. Keeping it
//   would split one user's bindings between two keys and make a Request-URI that carries the
//   port miss them.
// - All URI parameters (user=phone included) and headers are removed (§10.3 step 5).
// - Any other scheme (tel, mailto, ...) is not an address-of-record: a To that is not a SIP or
//   SIPS URI gets 400 (§10.2: the AoR "MUST be a SIP URI or SIPS URI"; RFC 4475 §3.3.4).
#pragma once

#include <string>
#include <string_view>

#include "sip/uri.hpp"

namespace trapezoid::registrar {

struct AorResult {
  std::string aor;          // the canonical form when ok()
  int status = 0;           // 0, or the response a registrar sends for this URI (400)
  std::string_view reason;  // why it is not an AoR (static storage)
  [[nodiscard]] bool ok() const noexcept { return status == 0; }
};

// The canonical AoR of a parsed URI (the To URI of a REGISTER).
[[nodiscard]] AorResult canonical_aor(const sip::Uri& uri);

// The same for URI text, which is parsed first (400 "Malformed URI" when it does not parse).
[[nodiscard]] AorResult canonical_aor(std::string_view uri_text);

// The key a proxy looks a Request-URI up under (§16.5): the same rules as for a To URI, so a
// request for "sip:Alice@ATLANTA.com;transport=udp" finds the bindings of
// "sip:Alice@atlanta.com".
[[nodiscard]] AorResult request_uri_aor(std::string_view request_uri);

// The host of a canonical AoR: after the last '@', or after "sip:" when there is no user.
[[nodiscard]] std::string_view aor_host(std::string_view canonical) noexcept;

}  // namespace trapezoid::registrar
