#include "transport/datagram_batch.hpp"

#include <netinet/in.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace trapezoid::transport::detail {

DatagramBatch::DatagramBatch(std::size_t count)
    : buffers_(std::make_unique_for_overwrite<char[]>(std::max<std::size_t>(count, 1) * kSlotStride)),
      iovecs_(std::max<std::size_t>(count, 1)),
      names_(iovecs_.size()),
      headers_(iovecs_.size()) {
  for (std::size_t i = 0; i < headers_.size(); ++i) {
    iovecs_[i] = iovec{buffers_.get() + i * kSlotStride, kSlotSize};
    std::memset(&headers_[i], 0, sizeof headers_[i]);
    headers_[i].msg_hdr.msg_name = &names_[i];
    headers_[i].msg_hdr.msg_namelen = sizeof names_[i];
    headers_[i].msg_hdr.msg_iov = &iovecs_[i];
    headers_[i].msg_hdr.msg_iovlen = 1;
  }
}

int DatagramBatch::receive(int fd) noexcept {
  // The kernel wrote the address lengths (and lengths and flags, which it sets anyway) of the
  // slots the last call filled; the rest of each header stays as the constructor set it.
  for (std::size_t i = 0; i < filled_; ++i) headers_[i].msg_hdr.msg_namelen = sizeof names_[i];
  const int n = ::recvmmsg(fd, headers_.data(), static_cast<unsigned>(headers_.size()), MSG_DONTWAIT, nullptr);
  filled_ = n > 0 ? static_cast<std::size_t>(n) : 0;
  if (n >= 0) return n;
  return (errno == EAGAIN || errno == EWOULDBLOCK) ? 0 : -errno;
}

std::string_view DatagramBatch::data(int i) const noexcept {
  const auto k = static_cast<std::size_t>(i);
  return {buffers_.get() + k * kSlotStride, headers_[k].msg_len};
}

Endpoint DatagramBatch::from(int i) const noexcept {
  const sockaddr_storage& ss = names_[static_cast<std::size_t>(i)];
  Endpoint e;
  if (ss.ss_family == AF_INET6) {
    sockaddr_in6 a;
    std::memcpy(&a, &ss, sizeof a);
    std::array<std::uint8_t, 16> bytes;
    std::memcpy(bytes.data(), &a.sin6_addr, 16);
    e.address = IpAddress::v6(bytes);
    e.port = ntohs(a.sin6_port);
  } else {
    sockaddr_in a;
    std::memcpy(&a, &ss, sizeof a);
    std::array<std::uint8_t, 4> bytes;
    std::memcpy(bytes.data(), &a.sin_addr, 4);
    e.address = IpAddress::v4(bytes);
    e.port = ntohs(a.sin_port);
  }
  return e;
}

}  // namespace trapezoid::transport::detail
