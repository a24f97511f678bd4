// A response from a branch as the proxy passes it upstream (RFC 3261 §16.7 items 3, 4, 7, 9):
// its top Via (ours) removed, and when asked, challenges of other branches added (§16.7
// item 7) or its Contact values replaced by those the proxy did not recurse on (item 4).
// Everything else, the body included, stays byte for byte.
//
//   std::optional<std::string> up = upstream_response(response_180);
//   if (!up) ...   // no Via left: the response was for this element (§16.7 item 3)
//
//   sip::HeaderLine more[] = {{sip::HeaderId::kProxyAuthenticate, other_407_challenge}};
//   up = upstream_response(response_401, {.extra = more});
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "sip/message.hpp"
#include "sip/response.hpp"

namespace trapezoid::proxy {

struct UpstreamEdits {
  // Fields added after the received ones (aggregated WWW-Authenticate / Proxy-Authenticate).
  std::span<const sip::HeaderLine> extra = {};
  // When set, every Contact field is replaced by one field per value given here (none: no
  // Contact at all).
  std::optional<std::span<const std::string>> contacts;
};

// nullopt when the response has no Via value besides the top one.
[[nodiscard]] std::optional<std::string> upstream_response(const sip::Message& response,
                                                           const UpstreamEdits& edits = {});

// Stateless forwarding (§16.11): the same removal of the top Via, nothing else.
[[nodiscard]] inline std::optional<std::string> without_top_via(const sip::Message& response) {
  return upstream_response(response);
}

}  // namespace trapezoid::proxy
