// Private: SO_REUSEPORT on a native socket, so several workers bind one port and the kernel
// spreads datagrams and connections across them.
#pragma once

#include <sys/socket.h>

#include <boost/system/error_code.hpp>

#include <cerrno>

namespace trapezoid::transport::detail {

inline boost::system::error_code set_reuse_port(int fd) {
  int one = 1;
  if (::setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) == 0) return {};
  return boost::system::error_code(errno, boost::system::system_category());
}

}  // namespace trapezoid::transport::detail
