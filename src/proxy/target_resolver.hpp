// Where a request for a URI is sent: an ordered list of transport, address and port (RFC 3261
// §16.6 item 7, which defers to RFC 3263), tried in order (RFC 3263 §4.3). Asynchronous,
// because a host name needs DNS (NAPTR, SRV, A/AAAA); NumericResolver handles the URIs that
// need none, and DnsTargetResolver (dns_target_resolver.hpp) the rest.
//
//   NumericResolver numeric;
//   sip::Uri u;  (void)sip::parse_uri("sip:bob@192.0.2.4:5070;transport=tcp", u);
//   numeric.resolve(u, false);   // TCP 192.0.2.4:5070
//   (void)sip::parse_uri("sip:bob@biloxi.example.com", u);
//   numeric.resolve(u, false);   // nullopt: a host name
//   resolver.resolve(u, false, [](std::vector<transport::Target> targets) { ... });
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "sip/uri.hpp"
#include "transport/endpoint.hpp"

namespace trapezoid::proxy {

class TargetResolver {
 public:
  using Done = std::function<void(std::vector<transport::Target> targets)>;
  virtual ~TargetResolver() = default;
  // The destinations of a request whose next hop is `uri`, best first; empty when there is no
  // way to reach it. `sips` is set when the request's Request-URI is a SIPS URI, which makes
  // TLS the only choice whatever the next hop is (§16.6 item 7, §26.2.2). `done` runs at once
  // when no DNS is needed (a numeric host), else later on the worker's thread, or never if the
  // resolver is destroyed first.
  virtual void resolve(const sip::Uri& uri, bool sips, Done done) = 0;
};

// RFC 3263 §4 for numeric hosts only: the maddr or host must be an IP address; the transport
// is the transport parameter, else TLS for SIPS and UDP for SIP; the port is the URI's or the
// transport's default. A host name has no destination.
class NumericResolver final : public TargetResolver {
 public:
  [[nodiscard]] std::optional<transport::Target> resolve(const sip::Uri& uri, bool sips) const;
  void resolve(const sip::Uri& uri, bool sips, Done done) override;
};

}  // namespace trapezoid::proxy
