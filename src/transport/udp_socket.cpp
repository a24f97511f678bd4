#include "transport/udp_socket.hpp"

#include <sys/socket.h>

#include "transport/asio_endpoint.hpp"
#include "transport/response_steering.hpp"
#include "transport/reuse_port.hpp"

namespace trapezoid::transport::detail {

using boost::asio::ip::udp;

std::error_code UdpSocket::open(const IpAddress& address, std::uint16_t port, bool reuse_port, char steer_letter) {
  boost::system::error_code ec;
  const udp::endpoint at(to_asio(address), port);
  socket_.open(at.protocol(), ec);
  if (ec) return ec;
  if (address.is_v6()) socket_.set_option(boost::asio::ip::v6_only(true), ec);
  if (!ec && reuse_port) ec = set_reuse_port(socket_.native_handle());
  if (!ec) socket_.bind(at, ec);
  if (!ec && reuse_port && steer_letter != 0) {
    // Steering saves hand-overs; without it (a kernel or sandbox that refuses the program)
    // the workers still hand responses to each other, so the socket serves anyway.
    if (const std::error_code steer = attach_branch_steering(socket_.native_handle(), steer_letter))
      sink_.logger().log(LogLevel::kWarning, "UDP responses not steered to their workers: " + steer.message());
  }
  if (!ec) socket_.non_blocking(true, ec);
  if (ec) {
    close();
    return ec;
  }
  const udp::endpoint e = socket_.local_endpoint(ec);
  local_ = Endpoint{TransportKind::kUdp, from_asio(e.address()), e.port()};
  return ec;
}

std::error_code UdpSocket::send_to(std::string_view bytes, const Endpoint& to) {
  if (!socket_.is_open()) return std::make_error_code(std::errc::bad_file_descriptor);
  return send_datagram(socket_.native_handle(), bytes, to);
}

void UdpSocket::flush(std::vector<SendFailure>& failed) {
  if (!socket_.is_open()) return pending_.clear();
  pending_.flush(socket_.native_handle(), failed);
}

void UdpSocket::close() {
  pending_.clear();
  boost::system::error_code ignored;
  socket_.close(ignored);
}

void UdpSocket::receive() {
  socket_.async_wait(udp::socket::wait_read, [this](boost::system::error_code ec) {
    if (ec == boost::asio::error::operation_aborted || !socket_.is_open()) return;
    if (ec) sink_.logger().log(LogLevel::kWarning, "udp wait: " + ec.message());
    else drain();
    receive();
  });
}

// Reads what is ready, a batch per system call; a few rounds at most, so that one busy socket
// does not starve the others of this worker.
void UdpSocket::drain() {
  constexpr int kRounds = 4;
  for (int round = 0; round < kRounds; ++round) {
    const int n = batch_.receive(socket_.native_handle());
    if (n < 0) {
      // ICMP errors of earlier sends surface here (ECONNREFUSED): note them and go on.
      sink_.logger().log(LogLevel::kDebug, "udp receive: " + std::error_code(-n, std::system_category()).message());
      continue;
    }
    // What the batch's messages send leaves together when the batch is done (sendmmsg).
    const Burst burst(sink_);
    for (int i = 0; i < n; ++i) {
      const Source from{batch_.from(i), 0, local_};
      sink_.deliver(processor_.on_datagram(batch_.data(i), from), from);
      if (!socket_.is_open()) return;  // the handler stopped the worker
    }
    if (static_cast<std::size_t>(n) < batch_.capacity()) return;
  }
}

}  // namespace trapezoid::transport::detail
