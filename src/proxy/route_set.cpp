#include "proxy/route_set.hpp"

#include <utility>

#include "sip/charset.hpp"
#include "sip/header_list.hpp"
#include "sip/name_addr.hpp"

namespace trapezoid::proxy {
namespace {

std::optional<sip::Uri> parsed_route(std::string_view value) {
  sip::NameAddr a;
  if (!sip::parse_name_addr(value, a, sip::AddrForm::kNameAddrOnly).empty()) return std::nullopt;
  return a.parsed_uri;
}

bool names_us(std::string_view route_value, const ProxyIdentity& me) {
  const std::optional<sip::Uri> uri = parsed_route(route_value);
  return uri && me.names_us(*uri);
}

}  // namespace

std::vector<std::string> route_values(const sip::Message& request) {
  std::vector<std::string> out;
  (void)sip::for_each_element(request, sip::HeaderId::kRoute, [&](std::string_view v) {
    out.emplace_back(v);
    return true;
  });
  return out;
}

std::optional<std::string_view> route_uri(std::string_view value) {
  sip::NameAddr a;
  if (!sip::parse_name_addr(value, a, sip::AddrForm::kNameAddrOnly).empty()) return std::nullopt;
  return a.uri;
}

std::string without_uri_params(std::string_view uri_text, std::initializer_list<std::string_view> names,
                               bool drop_port) {
  sip::Uri u;
  if (!sip::parse_uri(uri_text, u).empty() || !u.is_sip_or_sips()) return std::string(uri_text);
  std::string kept;
  if (!u.params.empty()) {
    std::size_t start = 0;
    while (start <= u.params.size()) {
      std::size_t end = u.params.find(';', start);
      if (end == std::string_view::npos) end = u.params.size();
      const std::string_view item = u.params.substr(start, end - start);
      const std::string_view name = item.substr(0, item.find('='));
      bool drop = false;
      for (std::string_view n : names) drop = drop || sip::charset::iequals(name, n);
      if (!drop && !item.empty()) {
        if (!kept.empty()) kept.push_back(';');
        kept.append(item);
      }
      start = end + 1;
    }
  }
  u.params = kept;
  if (drop_port) {
    u.has_port = false;
    u.port = 0;
  }
  return sip::to_string(u);
}

RouteSet preprocess_routes(const sip::Message& request, const ProxyIdentity& me) {
  RouteSet r;
  r.request_uri.assign(request.request_uri());
  r.routes = route_values(request);

  sip::Uri ruri;
  if (const sip::Uri* parsed = request.parsed_request_uri()) {
    ruri = *parsed;
    // §16.4: our Record-Route URI (it never has a user part) in the Request-URI means a strict
    // router sent this: the real Request-URI is the last Route value.
    if (!r.routes.empty() && !ruri.has_user && me.names_us(ruri)) {
      if (std::optional<std::string_view> last = route_uri(r.routes.back())) {
        r.request_uri.assign(*last);
        r.routes.pop_back();
        if (!sip::parse_uri(r.request_uri, ruri).empty()) ruri = sip::Uri{};
      }
    }
    // §16.4: a maddr naming us is dropped with the port and transport it came with.
    if (const std::optional<std::string_view> maddr = ruri.param("maddr")) {
      sip::Uri at;
      std::string probe = "sip:";
      probe.append(*maddr);
      if (ruri.has_port) probe.append(":").append(std::to_string(ruri.port));
      if (sip::parse_uri(probe, at).empty() && me.names_us(at))
        r.request_uri = without_uri_params(r.request_uri, {"maddr", "transport"}, true);
    }
  }
  // §16.4, §16.12 step 2: "If the first value in the Route header field indicates this proxy,
  // the proxy MUST remove that value". Repeated for the second value of a double Record-Route
  // (RFC 5658 §3.4).
  std::size_t ours = 0;
  while (ours < r.routes.size() && names_us(r.routes[ours], me)) ++ours;
  r.routes.erase(r.routes.begin(), r.routes.begin() + static_cast<std::ptrdiff_t>(ours));
  return r;
}

std::optional<NextHop> postprocess_routes(std::string request_uri, std::vector<std::string> routes) {
  NextHop hop;
  hop.request_uri = std::move(request_uri);
  hop.routes = std::move(routes);
  if (hop.routes.empty()) {
    hop.next_hop = hop.request_uri;
    return hop;
  }
  const std::optional<sip::Uri> top = parsed_route(hop.routes.front());
  if (!top) return std::nullopt;
  if (top->has_param("lr")) {
    hop.next_hop.assign(*route_uri(hop.routes.front()));
    return hop;
  }
  // §16.6 item 6: a strict router expects its own URI in the Request-URI and the rest of the
  // path in Route, with the real Request-URI last.
  std::string strict(*route_uri(hop.routes.front()));
  hop.routes.erase(hop.routes.begin());
  hop.routes.push_back("<" + hop.request_uri + ">");
  hop.request_uri = strict;
  hop.next_hop = std::move(strict);
  return hop;
}

bool parse_request_uri(const RouteSet& rs, const sip::Message& request, sip::Uri& out) noexcept {
  if (rs.request_uri == request.request_uri()) {
    const sip::Uri* parsed = request.parsed_request_uri();
    if (parsed != nullptr) out = *parsed;
    return parsed != nullptr;
  }
  return sip::parse_uri(rs.request_uri, out).empty();
}

}  // namespace trapezoid::proxy
