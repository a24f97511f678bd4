#include "transport/sent_by.hpp"

#include "sip/charset.hpp"
#include "transport/endpoint.hpp"

namespace trapezoid::transport {
namespace {

bool same_host(std::string_view a, std::string_view b) noexcept {
  std::optional<IpAddress> ia = IpAddress::parse(a);
  std::optional<IpAddress> ib = IpAddress::parse(b);
  if (ia || ib) return ia && ib && *ia == *ib;  // addresses compare by value, "[::1]" == "::1"
  return sip::charset::iequals(a, b);           // host names are case-insensitive (§19.1.4)
}

}  // namespace

bool is_our_sent_by(const sip::Via& top, std::span<const SentBy> ours) noexcept {
  const std::optional<TransportKind> kind = transport_from_token(top.transport);
  const std::uint16_t fallback = kind ? default_port(*kind) : 5060;
  const std::uint16_t port = top.has_port ? top.port : fallback;
  for (const SentBy& s : ours) {
    if ((s.port != 0 ? s.port : fallback) == port && same_host(top.host, s.host)) return true;
  }
  return false;
}

}  // namespace trapezoid::transport
