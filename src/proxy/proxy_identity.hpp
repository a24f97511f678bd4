// Who this proxy is on the wire: the sockets it listens on plus the names it is known by.
// It recognises URIs and Via sent-bys that name this element (RFC 3261 §16.3 step 4, §16.4,
// §16.11) and writes the Via and Record-Route values it inserts (§16.6 items 4 and 8).
//
//   ProxyIdentity me(config);
//   me.set_endpoints(env.local_endpoints());         // UDP/TCP 127.0.0.1:5060, ...
//   me.names_us(route_uri);                          // "sip:127.0.0.1:5060;lr" -> true
//   auto out = me.endpoint_for(TransportKind::kTcp, /*ipv6=*/false);
//   me.record_route(*out, false);                    // "<sip:127.0.0.1:5060;transport=tcp;lr>"
//   me.via(*out, "z9hG4bKp.1f.2");                   // "SIP/2.0/TCP 127.0.0.1:5060;branch=..."
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "proxy/proxy_config.hpp"
#include "sip/uri.hpp"
#include "sip/via.hpp"
#include "transport/endpoint.hpp"

namespace trapezoid::proxy {

class ProxyIdentity {
 public:
  explicit ProxyIdentity(const ProxyConfig& config);

  void set_endpoints(std::vector<transport::Endpoint> endpoints);
  [[nodiscard]] const std::vector<transport::Endpoint>& endpoints() const noexcept { return endpoints_; }

  // Whether a sip/sips URI names this element: its host is one of our addresses or names,
  // and its port (or the default of its scheme and transport) one we listen on.
  [[nodiscard]] bool names_us(const sip::Uri& uri) const;
  // Whether a Via's sent-by is one this element writes (host and port, or the default port
  // of the Via's transport).
  [[nodiscard]] bool is_our_sent_by(const sip::Via& via) const;

  // The socket to send on towards a peer of this transport and address family, if we have one.
  [[nodiscard]] std::optional<transport::Endpoint> endpoint_for(transport::TransportKind kind, bool ipv6) const;

  // "<sip:HOST:PORT;lr>" for this socket (";transport=tcp" for TCP, sips for a SIPS URI).
  [[nodiscard]] std::string record_route(const transport::Endpoint& ep, bool sips) const;
  // "SIP/2.0/UDP HOST:PORT;branch=BRANCH".
  [[nodiscard]] std::string via(const transport::Endpoint& ep, std::string_view branch) const;

 private:
  [[nodiscard]] bool is_our_host(std::string_view host) const;
  [[nodiscard]] bool is_our_port(std::uint16_t port) const;
  [[nodiscard]] std::string host_of(const transport::Endpoint& ep) const;
  // "HOST:PORT" of `ep`: kept per endpoint, since an address's text comes from inet_ntop
  // (a printf underneath) and is written into every request forwarded.
  [[nodiscard]] std::string_view host_port(const transport::Endpoint& ep) const;

  const ProxyConfig& config_;
  std::vector<transport::Endpoint> endpoints_;
  mutable std::vector<std::string> host_ports_;  // per endpoint, filled on first use
  mutable std::string host_ports_for_;           // the advertised host they were made with
  mutable std::string scratch_;                  // host_port() of an endpoint not in the list
};

}  // namespace trapezoid::proxy
