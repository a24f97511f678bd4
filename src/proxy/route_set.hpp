// Route processing of a proxy (RFC 3261 §16.4 on receipt, §16.6 item 6 before sending, the
// summary in §16.12): which Route values are ours, what the Request-URI really is, and which
// URI names the next hop.
//
//   RouteSet r = preprocess_routes(request, me);   // strict-router R-URI restored, our
//                                                  // Route values popped
//   NextHop hop = postprocess_routes(target_uri, path + r.routes);
//   hop.request_uri;   // the target, or a strict router's URI (§16.6 item 6)
//   hop.next_hop;      // the URI to resolve (RFC 3263): top Route, else the Request-URI
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "proxy/proxy_identity.hpp"
#include "sip/message.hpp"

namespace trapezoid::proxy {

// Every Route value of the request in order, one element per value ("<sip:p1.example.com;lr>").
[[nodiscard]] std::vector<std::string> route_values(const sip::Message& request);

// The URI inside a route value ("<sip:p1;lr>;x=y" -> "sip:p1;lr"), nullopt when malformed.
[[nodiscard]] std::optional<std::string_view> route_uri(std::string_view value);

struct RouteSet {
  std::string request_uri;          // the Request-URI to target
  std::vector<std::string> routes;  // the Route values left, in order
};

// §16.4: a Request-URI that is one of our Record-Route values (no user part, ours, and a Route
// to take its place) came from a strict router: the last Route value becomes the Request-URI.
// A maddr naming us is stripped with the port and transport it qualified. Then every Route
// value on top that names us is removed (two, after an RFC 5658 double Record-Route).
[[nodiscard]] RouteSet preprocess_routes(const sip::Message& request, const ProxyIdentity& me);

// Parses `rs.request_uri` into `out`; false when it is malformed. When preprocessing kept the
// request's own Request-URI, the message's parse is reused (`out`'s views then point into it).
[[nodiscard]] bool parse_request_uri(const RouteSet& rs, const sip::Message& request, sip::Uri& out) noexcept;

struct NextHop {
  std::string request_uri;
  std::vector<std::string> routes;
  std::string next_hop;  // the URI the destination is resolved from
};

// §16.6 item 6 and 7: with a strict router (no lr) on top of the Route set, the Request-URI
// moves to the end of the set and that router's URI becomes the Request-URI and the next hop.
// Otherwise the next hop is the top Route value's URI, or the Request-URI when there is none.
// nullopt when a Route value is malformed.
[[nodiscard]] std::optional<NextHop> postprocess_routes(std::string request_uri, std::vector<std::string> routes);

// The URI text without the named parameters (any case) and, when `drop_port`, without its port.
// For sip/sips URIs; other text comes back unchanged.
[[nodiscard]] std::string without_uri_params(std::string_view uri_text, std::initializer_list<std::string_view> names,
                                             bool drop_port = false);

}  // namespace trapezoid::proxy
