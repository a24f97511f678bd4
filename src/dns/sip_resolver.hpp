// RFC 3263 §4 "Locating a SIP Server": from the next hop's SIP or SIPS URI to an ordered list
// of transport, address and port, tried in order (§4.3). A numeric host needs no DNS; a port
// in the URI means A/AAAA only; otherwise NAPTR for the transport, SRV for the servers
// (RFC 2782 order), A/AAAA for their addresses, with the fallbacks of §4.1 and §4.2.
//
//   std::string error;
//   auto resolver = SipResolver::create(io, config, error);   // on the worker's io_context
//   resolver->set_local_transports({.udp = true, .tcp = true});
//   resolver->resolve(uri, false, [](std::vector<transport::Target> targets) { ... });
//
// One per worker, used on its thread. `done` runs at once for a numeric host or when every
// record needed is cached, else later from the event loop; never after the resolver is
// destroyed. An empty list: nothing to try (no such name, no records, DNS not answering).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "dns/record_lookup.hpp"
#include "dns/resolver_config.hpp"
#include "sip/uri.hpp"
#include "transport/endpoint.hpp"

namespace boost::asio {
class io_context;
}

namespace trapezoid::dns {

// What this element can send on: NAPTR and SRV results for other transports or address
// families are skipped (RFC 3263 §4.1: "the client discards any records whose services
// fields are not supported").
struct LocalTransports {
  bool udp = true;
  bool tcp = true;
  bool tls = false;
  bool ipv4 = true;
  bool ipv6 = false;
};

class SipResolver {
 public:
  using Done = std::function<void(std::vector<transport::Target> targets)>;

  // nullptr and `error` when c-ares cannot be set up (a bad server address).
  static std::unique_ptr<SipResolver> create(boost::asio::io_context& io, const ResolverConfig& config,
                                             std::string& error, RecordLookup::Clock clock = {});
  ~SipResolver();
  SipResolver(const SipResolver&) = delete;
  SipResolver& operator=(const SipResolver&) = delete;

  void set_local_transports(const LocalTransports& local) noexcept;
  // `sips`: the request has a SIPS Request-URI (TLS only, RFC 3261 §26.2.2).
  void resolve(const sip::Uri& uri, bool sips, Done done);

  // DNS queries sent so far (cache hits send none).
  [[nodiscard]] std::uint64_t queries_sent() const noexcept;

  // The most targets one resolution yields.
  static constexpr std::size_t kMaxTargets = 16;

 private:
  struct Impl;
  explicit SipResolver(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace trapezoid::dns
