// The copy of a received request that a proxy sends to one target (RFC 3261 §16.6 items 1-9),
// written straight from the received bytes with the proxy's edits, and the CANCEL for a branch
// (§9.1, §16.10).
//
//   ForwardEdits e;
//   e.request_uri = "sip:bob@192.0.2.4";
//   e.via = "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKp.1f.2";
//   e.record_routes = rr;                // {"<sip:192.0.2.1:5060;lr>"}
//   e.routes = routes;                   // the whole new Route list
//   e.max_forwards = next_max_forwards(request, 70);
//   std::string bytes = forwarded_request(request, e);
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "sip/message.hpp"
#include "sip/message_builder.hpp"

namespace trapezoid::proxy {

struct ForwardEdits {
  std::string_view request_uri;
  std::string_view via;                              // inserted above the received Vias
  std::span<const std::string> record_routes = {};   // inserted above the received values, [0] on top
  std::span<const std::string> routes = {};          // replaces the received Route values
  int max_forwards = 70;
};

// §16.6 item 3: the received Max-Forwards minus one, or `absent` when the request had none;
// -1 when it is 0 (or unreadable): the request must not be forwarded (§16.3 step 3).
[[nodiscard]] int next_max_forwards(const sip::Message& request, int absent);

// The request with the edits; every other field kept byte for byte and in order, the body
// untouched (§16.6 item 1), Content-Length set to the body's size (§16.6 item 9). New fields
// go next to their kind: Via before the first Via, Record-Route before the first Record-Route,
// Route where the first Route was; when the request had none of a kind, after the last Via.
[[nodiscard]] std::string forwarded_request(const sip::Message& request, const ForwardEdits& edits);

// §9.1: the CANCEL of a request this element sent: its Request-URI, Call-ID, From, To and CSeq
// number, its top Via alone (same branch, so the next hop matches it, §9.2), its Route values;
// CSeq method CANCEL, no Require or Proxy-Require.
[[nodiscard]] sip::BuildResult cancel_for(const sip::Message& sent_request, int max_forwards = 70);

}  // namespace trapezoid::proxy
