// The target set of one request (RFC 3261 §16.5) and the order it is tried in (§16.6): the
// highest q first, targets of equal q in parallel, lower q only after every target of the
// group before has failed. A URI enters the set once (§19.1.4 equality), so a 3xx that names
// a target again is not recursed into twice.
//
//   TargetSet set;
//   set.add(target_from_binding(b1));          // q 1.0
//   set.add(target_from_binding(b2));          // q 0.5
//   std::vector<Target> now = set.next_group();   // b1's contact
//   std::vector<Target> later = set.next_group(); // b2's, after b1 failed
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "registrar/binding.hpp"
#include "transport/endpoint.hpp"

namespace trapezoid::proxy {

struct Target {
  std::string uri;                            // the Request-URI for this target
  int q = 1000;                               // thousandths; a contact without q counts as 1.0
  std::vector<std::string> routes;            // Route values to preload (RFC 3327 §5.4 Path)
  std::optional<transport::Target> received;  // where the UA is reached from here (NAT)
};

class TargetSet {
 public:
  // Adds `t` unless a target with an equal URI was ever added; returns whether it was.
  bool add(Target t);
  // Removes and returns the not yet tried targets of the highest q, in the order added.
  [[nodiscard]] std::vector<Target> next_group();
  [[nodiscard]] bool has_pending() const noexcept { return !pending_.empty(); }
  // How many targets were ever added.
  [[nodiscard]] std::size_t size() const noexcept { return seen_.size(); }

 private:
  std::vector<Target> pending_;   // by q, highest first; equal q in the order added
  std::vector<std::string> seen_;
};

// §16.6 item 2: a URI as a Request-URI, without what a Request-URI may not carry (the method
// parameter and headers, §19.1.1 table).
[[nodiscard]] std::string as_request_uri(std::string_view uri);

// The target for one binding: its contact as the Request-URI, its q, its Path as preloaded
// Route values, its `received` as the address to send to.
[[nodiscard]] Target target_from_binding(const registrar::Binding& binding);

}  // namespace trapezoid::proxy
