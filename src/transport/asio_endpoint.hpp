// Private: conversions between the transport's plain address values and Asio's.
#pragma once

#include <boost/asio/ip/address.hpp>

#include "transport/endpoint.hpp"

namespace trapezoid::transport::detail {

inline boost::asio::ip::address to_asio(const IpAddress& a) {
  const auto& b = a.bytes();
  if (a.is_v6()) return boost::asio::ip::address_v6(b);
  return boost::asio::ip::address_v4(boost::asio::ip::address_v4::bytes_type{b[0], b[1], b[2], b[3]});
}

// An IPv4-mapped IPv6 address (::ffff:192.0.2.1) becomes the IPv4 address it maps.
inline IpAddress from_asio(const boost::asio::ip::address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped()) return from_asio(a.to_v6().to_v4());
  if (a.is_v6()) return IpAddress::v6(a.to_v6().to_bytes());
  return IpAddress::v4(a.to_v4().to_bytes());
}

}  // namespace trapezoid::transport::detail
