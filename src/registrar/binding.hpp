// One registration binding (RFC 3261 §10.3): an address-of-record bound to a contact address,
// with what the registrar needs to order, expire and reach it. Plain data, shared by the
// registrar, the location service, the stores and the proxy.
//
//   Binding b;
//   b.aor = "sip:alice@atlanta.example.com";     // canonical AoR (aor.hpp)
//   b.contact = "sip:alice@192.0.2.4:5060";      // the Contact URI as the UA sent it
//   b.expires_at = now + 3600; b.q = 1000;
#pragma once

#include <cstdint>
#include <string>

namespace trapezoid::registrar {

// Wall-clock seconds since the Unix epoch: bindings outlive the process (stores, restarts).
using UnixSeconds = std::int64_t;

struct Binding {
  std::string aor;          // canonical address-of-record: "sip:user@host" (§10.3 step 5)
  std::string contact;      // Contact URI text, byte-exact as registered (compared per §19.1.4)
  std::string call_id;      // Call-ID of the REGISTER that last wrote it (§10.3 step 7)
  std::uint32_t cseq = 0;   // its CSeq number
  UnixSeconds expires_at = 0;
  int q = -1;               // thousandths 0..1000, or -1 when the UA gave none
  std::string path;         // RFC 3327 Path values, comma-joined in received order, or ""
  std::string received;     // where the REGISTER came from, "udp:192.0.2.4:5060" /
                            // "tcp:[2001:db8::1]:5061" (RFC 3581 source, for NAT), or ""
  std::string instance;     // +sip.instance (RFC 5626), or ""; without its quotes:
                            // "<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>"
  std::string user_agent;   // User-Agent header, for the operator, or ""
  UnixSeconds updated_at = 0;

  friend bool operator==(const Binding&, const Binding&) = default;
};

}  // namespace trapezoid::registrar
