#include "proxy/target_resolver.hpp"

#include "dns/uri_target.hpp"

namespace trapezoid::proxy {

std::optional<transport::Target> NumericResolver::resolve(const sip::Uri& uri, bool sips) const {
  return dns::numeric_target(uri, sips);
}

void NumericResolver::resolve(const sip::Uri& uri, bool sips, Done done) {
  std::vector<transport::Target> targets;
  if (const std::optional<transport::Target> t = dns::numeric_target(uri, sips)) targets.push_back(*t);
  done(std::move(targets));
}

}  // namespace trapezoid::proxy
