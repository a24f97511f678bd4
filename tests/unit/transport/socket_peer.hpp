// Test helpers for the socket tests: plain POSIX peers on loopback with bounded waits, and the
// running worker they talk to (test_worker.hpp).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <optional>
#include <string>

#include "test_worker.hpp"
#include "transport/endpoint.hpp"

namespace trapezoid::transport::testing {

// A socket address for a loopback endpoint.
inline socklen_t to_sockaddr(const Endpoint& e, sockaddr_storage& ss) {
  std::memset(&ss, 0, sizeof ss);
  if (e.address.is_v6()) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&ss);
    a->sin6_family = AF_INET6;
    a->sin6_port = htons(e.port);
    std::memcpy(&a->sin6_addr, e.address.bytes().data(), 16);
    return sizeof(sockaddr_in6);
  }
  auto* a = reinterpret_cast<sockaddr_in*>(&ss);
  a->sin_family = AF_INET;
  a->sin_port = htons(e.port);
  std::memcpy(&a->sin_addr, e.address.bytes().data(), 4);
  return sizeof(sockaddr_in);
}

inline std::uint16_t local_port(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
  return ss.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port)
                                  : ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
}

inline bool wait_readable(int fd, std::chrono::milliseconds timeout) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, static_cast<int>(timeout.count())) == 1;
}

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { if (fd_ >= 0) ::close(fd_); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// A port on the address of `like` that was free a moment ago (bound, never listened on,
// closed): connecting to it is refused.
inline std::uint16_t free_port(const Endpoint& like, int type = SOCK_STREAM) {
  Fd fd(::socket(like.address.is_v6() ? AF_INET6 : AF_INET, type, 0));
  Endpoint any = like;
  any.port = 0;
  sockaddr_storage ss;
  socklen_t len = to_sockaddr(any, ss);
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0) return 0;
  return local_port(fd.get());
}

class UdpPeer {
 public:
  // Bound to loopback on `port` (0: an ephemeral one); bound() says whether that worked.
  explicit UdpPeer(bool v6, std::uint16_t port = 0) : fd_(::socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM, 0)) {
    Endpoint self{TransportKind::kUdp, *IpAddress::parse(v6 ? "::1" : "127.0.0.1"), port};
    sockaddr_storage ss;
    socklen_t len = to_sockaddr(self, ss);
    bound = ::bind(fd_.get(), reinterpret_cast<sockaddr*>(&ss), len) == 0;
  }
  std::uint16_t port() const { return local_port(fd_.get()); }
  // Whether a datagram is waiting, without reading it.
  bool readable(std::chrono::milliseconds timeout) { return wait_readable(fd_.get(), timeout); }
  bool bound = false;
  // Returns errno of the send, 0 on success.
  int send(const Endpoint& to, std::string_view bytes) {
    sockaddr_storage ss;
    socklen_t len = to_sockaddr(to, ss);
    return ::sendto(fd_.get(), bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&ss), len) < 0 ? errno : 0;
  }
  std::optional<std::string> receive(std::chrono::milliseconds timeout = 3s) {
    if (!wait_readable(fd_.get(), timeout)) return std::nullopt;
    std::string buf(65536, '\0');
    ssize_t n = ::recv(fd_.get(), buf.data(), buf.size(), 0);
    if (n < 0) return std::nullopt;
    buf.resize(static_cast<std::size_t>(n));
    return buf;
  }

 private:
  Fd fd_;
};

class TcpPeer {
 public:
  explicit TcpPeer(const Endpoint& to) : fd_(::socket(to.address.is_v6() ? AF_INET6 : AF_INET, SOCK_STREAM, 0)) {
    int one = 1;
    ::setsockopt(fd_.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_storage ss;
    socklen_t len = to_sockaddr(to, ss);
    connected = ::connect(fd_.get(), reinterpret_cast<sockaddr*>(&ss), len) == 0;
  }
  std::uint16_t port() const { return local_port(fd_.get()); }
  bool send(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd_.get(), bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }
  // Reads until `buffer` holds `text` or the deadline passes; returns whether it did.
  bool read_until(std::string_view text, std::chrono::milliseconds timeout = 3s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (buffer.find(text) == std::string::npos) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !wait_readable(fd_.get(), left)) return false;
      char chunk[4096];
      ssize_t n = ::recv(fd_.get(), chunk, sizeof chunk, 0);
      if (n <= 0) return false;
      buffer.append(chunk, static_cast<std::size_t>(n));
    }
    return true;
  }
  // Whether the server closes within the timeout (reads and keeps what arrives before).
  bool wait_closed(std::chrono::milliseconds timeout = 3s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !wait_readable(fd_.get(), left)) return false;
      char chunk[4096];
      ssize_t n = ::recv(fd_.get(), chunk, sizeof chunk, 0);
      if (n <= 0) return true;
      buffer.append(chunk, static_cast<std::size_t>(n));
    }
  }
  // Whether the server sent something (or closed) within the timeout; reads nothing.
  bool readable(std::chrono::milliseconds timeout) { return wait_readable(fd_.get(), timeout); }
  // How many times `text` occurs in what was read.
  std::size_t count(std::string_view text) const {
    std::size_t n = 0;
    for (auto p = buffer.find(text); p != std::string::npos; p = buffer.find(text, p + 1)) ++n;
    return n;
  }

  bool connected = false;
  std::string buffer;

 private:
  Fd fd_;
};


}  // namespace trapezoid::transport::testing
