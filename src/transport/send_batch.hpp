// Private: UDP sends without Asio. Datagrams queued during one turn of a worker's event loop
// go out together with sendmmsg(2), in the order queued; a lone datagram goes with sendto(2).
//
//   SendBatch batch;
//   batch.add(std::move(response), to);        // ... more, to any destinations
//   std::vector<SendFailure> failed;
//   batch.flush(fd, failed);                   // empties the batch; failed: what the kernel refused
//   std::error_code ec = send_datagram(fd, bytes, to);
#pragma once

#include <sys/socket.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "transport/endpoint.hpp"

namespace trapezoid::transport::detail {

// The largest UDP payload on `address`'s family (RFC 3261 §18.1.1: 65,535 bytes including the
// IP and UDP headers; an IPv6 header is 40 bytes, an IPv4 one at least 20).
[[nodiscard]] inline std::size_t max_datagram(const IpAddress& address) noexcept {
  return address.is_v6() ? 65535 - 8 : 65535 - 20 - 8;
}

// `e` as a socket address; returns its length.
socklen_t to_sockaddr(const Endpoint& e, sockaddr_storage& out) noexcept;

// One datagram now, without blocking: a full socket buffer is an error (EAGAIN), not a wait.
[[nodiscard]] std::error_code send_datagram(int fd, std::string_view bytes, const Endpoint& to) noexcept;

struct SendFailure {
  Endpoint to;
  std::error_code error;
};

class SendBatch {
 public:
  // sendmmsg takes at most UIO_MAXIOV (1024) messages per call.
  static constexpr std::size_t kMaxPerCall = 1024;

  void add(std::string bytes, const Endpoint& to);
  [[nodiscard]] bool empty() const noexcept { return entries_.empty(); }
  [[nodiscard]] std::size_t size() const noexcept { return entries_.size(); }

  // Sends every queued datagram in order, in as few system calls as it takes, and empties the
  // batch. A datagram the kernel refuses is appended to `failed` with its error and skipped;
  // the ones after it still go.
  void flush(int fd, std::vector<SendFailure>& failed);
  // Empties the batch without sending (the socket is gone).
  void clear() noexcept { entries_.clear(); }

 private:
  struct Entry {
    std::string bytes;
    sockaddr_storage name;
    socklen_t name_len;
    Endpoint to;
  };
  std::vector<Entry> entries_;
  std::vector<mmsghdr> headers_;  // kept between flushes: no allocation once warm
  std::vector<iovec> iovecs_;
};

}  // namespace trapezoid::transport::detail
