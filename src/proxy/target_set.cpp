#include "proxy/target_set.hpp"

#include <algorithm>
#include <utility>

#include "proxy/received_address.hpp"
#include "proxy/route_set.hpp"
#include "sip/header_list.hpp"
#include "sip/uri.hpp"

namespace trapezoid::proxy {
namespace {

bool same_uri(std::string_view a, std::string_view b) {
  sip::Uri ua;
  sip::Uri ub;
  if (!sip::parse_uri(a, ua).empty() || !sip::parse_uri(b, ub).empty()) return a == b;
  return sip::uri_equal(ua, ub);
}

}  // namespace

bool TargetSet::add(Target t) {
  // §16.5: "If a target URI is already present in the set ... it MUST NOT be added again."
  for (const std::string& s : seen_)
    if (same_uri(s, t.uri)) return false;
  seen_.push_back(t.uri);
  const auto after = std::find_if(pending_.begin(), pending_.end(), [&](const Target& p) { return p.q < t.q; });
  pending_.insert(after, std::move(t));
  return true;
}

std::vector<Target> TargetSet::next_group() {
  std::vector<Target> group;
  if (pending_.empty()) return group;
  const int q = pending_.front().q;
  auto end = pending_.begin();
  while (end != pending_.end() && end->q == q) ++end;
  group.assign(std::make_move_iterator(pending_.begin()), std::make_move_iterator(end));
  pending_.erase(pending_.begin(), end);
  return group;
}

std::string as_request_uri(std::string_view uri) {
  sip::Uri u;
  if (!sip::parse_uri(uri, u).empty() || !u.is_sip_or_sips()) return std::string(uri);
  if (u.headers.empty() && !u.has_param("method")) return std::string(uri);
  u.headers = {};
  return without_uri_params(sip::to_string(u), {"method"});
}

Target target_from_binding(const registrar::Binding& binding) {
  Target t;
  t.uri = as_request_uri(binding.contact);
  t.q = binding.q < 0 ? 1000 : binding.q;
  // RFC 3327 §5.4: the Path values, in order, become the preloaded Route set.
  (void)sip::for_each_list_element(binding.path, [&](std::string_view v) {
    t.routes.emplace_back(v);
    return true;
  });
  t.received = parse_received(binding.received);
  return t;
}

}  // namespace trapezoid::proxy
