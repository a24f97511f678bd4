#include "transaction/transport_peer.hpp"

#include <algorithm>

namespace trapezoid::transaction {

Peer to_peer(const transport::Target& target) noexcept {
  Peer p;
  p.flow = target.connection;
  p.address = target.remote.address.bytes();
  p.port = target.remote.port;
  p.transport = static_cast<std::uint8_t>(target.remote.transport);
  p.ipv6 = target.remote.address.is_v6();
  return p;
}

Peer to_peer(const transport::Source& source) noexcept {
  return to_peer(transport::Target{source.remote, source.connection});
}

transport::Target to_target(const Peer& peer) noexcept {
  transport::Target t;
  t.connection = peer.flow;
  t.remote.port = peer.port;
  t.remote.transport = static_cast<transport::TransportKind>(peer.transport);
  if (peer.ipv6) {
    t.remote.address = transport::IpAddress::v6(peer.address);
  } else {
    std::array<std::uint8_t, 4> v4{};
    std::copy_n(peer.address.begin(), v4.size(), v4.begin());
    t.remote.address = transport::IpAddress::v4(v4);
  }
  return t;
}

}  // namespace trapezoid::transaction
