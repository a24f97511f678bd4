// What the proxy and the redirect server ask the location service (RFC 3261 §10, §16.5):
// whether a domain is ours and which contacts an address-of-record is bound to now.
// An interface so that the proxy does not depend on how bindings are stored.
#pragma once

#include <string_view>
#include <vector>

#include "registrar/binding.hpp"

namespace trapezoid::registrar {

class Locator {
 public:
  virtual ~Locator() = default;
  // Whether this server is responsible for `host` (a domain or one of its own addresses).
  [[nodiscard]] virtual bool is_local_domain(std::string_view host) const = 0;
  // Whether `aor` (canonical, aor.hpp) is a user this server knows of, bound or not (so
  // that the proxy answers 480 rather than 404, §16.5 / §21.4.18).
  [[nodiscard]] virtual bool is_known(std::string_view aor) const = 0;
  // The live bindings of `aor` at `now`, highest q first.
  [[nodiscard]] virtual std::vector<Binding> lookup(std::string_view aor, UnixSeconds now) const = 0;
};

}  // namespace trapezoid::registrar
