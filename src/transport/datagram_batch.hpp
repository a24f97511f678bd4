// Private: receiving several datagrams with one system call (recvmmsg), each into its own
// buffer large enough for the largest datagram (RFC 3261 §18.1.1: 65,535 bytes).
//
//   DatagramBatch batch(8);
//   int n = batch.receive(fd);          // > 0: datagrams; 0: none ready; < 0: -errno
//   for (int i = 0; i < n; ++i) use(batch.data(i), batch.from(i));
#pragma once

#include <sys/socket.h>

#include <memory>
#include <string_view>
#include <vector>

#include "transport/endpoint.hpp"

namespace trapezoid::transport::detail {

class DatagramBatch {
 public:
  static constexpr std::size_t kSlotSize = 65536;
  // Slots start a cache line apart modulo the page: at a plain 64 KiB stride every slot's
  // first bytes, the ones parsed, would fall into the same cache set and evict each other.
  static constexpr std::size_t kSlotStride = kSlotSize + 64;

  explicit DatagramBatch(std::size_t count);

  // Non-blocking.
  [[nodiscard]] int receive(int fd) noexcept;
  [[nodiscard]] std::size_t capacity() const noexcept { return headers_.size(); }
  [[nodiscard]] std::string_view data(int i) const noexcept;
  // The sender, as a UDP endpoint.
  [[nodiscard]] Endpoint from(int i) const noexcept;

 private:
  std::unique_ptr<char[]> buffers_;
  std::vector<iovec> iovecs_;
  std::vector<sockaddr_storage> names_;
  std::vector<mmsghdr> headers_;
  std::size_t filled_ = 0;  // slots the last receive() filled
};

}  // namespace trapezoid::transport::detail
