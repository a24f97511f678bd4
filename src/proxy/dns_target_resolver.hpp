// The proxy's TargetResolver on RFC 3263 DNS resolution (src/dns): one per worker, created on
// the worker's event loop once it exists. Numeric hosts are answered at once without DNS.
//
//   DnsTargetResolver resolver;                      // given to the ProxyCore
//   if (!resolver.attach(io, dns_config, error)) die(error);
//   resolver.set_local_transports({.udp = true, .tcp = true});
//   ...
//   resolver.detach();                               // before the io_context goes
#pragma once

#include <memory>
#include <string>

#include "dns/resolver_config.hpp"
#include "dns/sip_resolver.hpp"
#include "proxy/target_resolver.hpp"

namespace trapezoid::proxy {

class DnsTargetResolver final : public TargetResolver {
 public:
  // false and `error` when c-ares cannot be set up with `config`.
  [[nodiscard]] bool attach(boost::asio::io_context& io, const dns::ResolverConfig& config, std::string& error) {
    resolver_ = dns::SipResolver::create(io, config, error);
    return resolver_ != nullptr;
  }
  // Drops the DNS client; its queries still out are forgotten (their callbacks never run).
  void detach() noexcept { resolver_.reset(); }
  void set_local_transports(const dns::LocalTransports& local) noexcept {
    if (resolver_) resolver_->set_local_transports(local);
  }

  void resolve(const sip::Uri& uri, bool sips, Done done) override {
    if (resolver_) return resolver_->resolve(uri, sips, std::move(done));
    numeric_.resolve(uri, sips, std::move(done));
  }

 private:
  NumericResolver numeric_;
  std::unique_ptr<dns::SipResolver> resolver_;
};

}  // namespace trapezoid::proxy
