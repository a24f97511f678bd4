// Where a request for a URI is sent: transport, address and port (RFC 3261 §16.6 item 7,
// which defers to RFC 3263). An interface, because a real resolver asks DNS (NAPTR, SRV,
// A/AAAA) and that comes later; NumericResolver handles the URIs that need no DNS.
//
//   NumericResolver numeric;
//   sip::Uri u;  (void)sip::parse_uri("sip:bob@192.0.2.4:5070;transport=tcp", u);
//   numeric.resolve(u, false);   // TCP 192.0.2.4:5070
//   (void)sip::parse_uri("sip:bob@biloxi.example.com", u);
//   numeric.resolve(u, false);   // nullopt: a host name (the branch then fails with 503)
#pragma once

#include <optional>

#include "sip/uri.hpp"
#include "transport/endpoint.hpp"

namespace trapezoid::proxy {

class TargetResolver {
 public:
  virtual ~TargetResolver() = default;
  // The destination of a request whose next hop is `uri`. `sips` is set when the request's
  // Request-URI is a SIPS URI, which makes TLS the only choice whatever the next hop is
  // (§16.6 item 7, §26.2.2). nullopt when there is no way to reach it.
  [[nodiscard]] virtual std::optional<transport::Target> resolve(const sip::Uri& uri, bool sips) const = 0;
};

// RFC 3263 §4 for numeric hosts only: the maddr or host must be an IP address; the transport
// is the transport parameter, else TLS for SIPS and UDP for SIP; the port is the URI's or the
// transport's default. A host name gets nullopt until DNS resolution exists.
class NumericResolver final : public TargetResolver {
 public:
  [[nodiscard]] std::optional<transport::Target> resolve(const sip::Uri& uri, bool sips) const override;
};

}  // namespace trapezoid::proxy
