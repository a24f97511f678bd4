#include "transport/send_batch.hpp"

#include <netinet/in.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace trapezoid::transport::detail {

socklen_t to_sockaddr(const Endpoint& e, sockaddr_storage& out) noexcept {
  std::memset(&out, 0, sizeof out);
  if (e.address.is_v6()) {
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_port = htons(e.port);
    std::memcpy(&a.sin6_addr, e.address.bytes().data(), 16);
    std::memcpy(&out, &a, sizeof a);
    return sizeof a;
  }
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(e.port);
  std::memcpy(&a.sin_addr, e.address.bytes().data(), 4);
  std::memcpy(&out, &a, sizeof a);
  return sizeof a;
}

namespace {

std::error_code send_to_name(int fd, std::string_view bytes, const sockaddr_storage& name, socklen_t len) noexcept {
  for (;;) {
    if (::sendto(fd, bytes.data(), bytes.size(), MSG_DONTWAIT | MSG_NOSIGNAL,
                 reinterpret_cast<const sockaddr*>(&name), len) >= 0)
      return {};
    if (errno != EINTR) return {errno, std::system_category()};
  }
}

}  // namespace

std::error_code send_datagram(int fd, std::string_view bytes, const Endpoint& to) noexcept {
  sockaddr_storage name;
  const socklen_t len = to_sockaddr(to, name);
  return send_to_name(fd, bytes, name, len);
}

void SendBatch::add(std::string bytes, const Endpoint& to) {
  Entry& e = entries_.emplace_back();
  e.bytes = std::move(bytes);
  e.name_len = to_sockaddr(to, e.name);
  e.to = to;
}

void SendBatch::flush(int fd, std::vector<SendFailure>& failed) {
  const std::size_t n = entries_.size();
  if (n == 0) return;
  if (n == 1) {
    // Nothing to batch: sendto is the cheaper call.
    Entry& e = entries_.front();
    if (std::error_code ec = send_to_name(fd, e.bytes, e.name, e.name_len)) failed.push_back({e.to, ec});
    entries_.clear();
    return;
  }
  headers_.resize(n);
  iovecs_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    Entry& e = entries_[i];
    iovecs_[i] = iovec{e.bytes.data(), e.bytes.size()};
    std::memset(&headers_[i], 0, sizeof headers_[i]);
    headers_[i].msg_hdr.msg_name = &e.name;
    headers_[i].msg_hdr.msg_namelen = e.name_len;
    headers_[i].msg_hdr.msg_iov = &iovecs_[i];
    headers_[i].msg_hdr.msg_iovlen = 1;
  }
  std::size_t next = 0;
  while (next < n) {
    const auto chunk = static_cast<unsigned>(std::min(n - next, kMaxPerCall));
    const int sent = ::sendmmsg(fd, headers_.data() + next, chunk, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (sent > 0) {
      next += static_cast<std::size_t>(sent);
      continue;
    }
    if (sent < 0 && errno == EINTR) continue;
    // sendmmsg(2) stops at the first datagram the kernel refuses and returns the count before
    // it; the call that starts at the refused one returns its error. Report it, skip it.
    failed.push_back({entries_[next].to, std::error_code(sent < 0 ? errno : EIO, std::system_category())});
    ++next;
  }
  entries_.clear();
}

}  // namespace trapezoid::transport::detail
