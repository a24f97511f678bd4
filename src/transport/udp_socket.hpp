// Private: one bound UDP socket of a worker: the receive loop (recvmmsg) and datagram sends,
// at once or queued for one sendmmsg at the end of the worker's burst.
//
// The receive loop is an operation of Asio's reactor whose work is the recvmmsg itself (see
// udp_socket.cpp), so that waiting again after a drained read costs no system call.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/ip/v6_only.hpp>

#include <system_error>

#include "transport/connection.hpp"
#include "transport/datagram_batch.hpp"
#include "transport/send_batch.hpp"

namespace trapezoid::transport::detail {

// Asio's UDP socket, with its registration in the reactor reachable by the receive operation.
class ReactorUdpSocket : public boost::asio::ip::udp::socket {
 public:
  using boost::asio::ip::udp::socket::basic_datagram_socket;
  auto& implementation() noexcept { return impl_.get_implementation(); }
};

class UdpSocket {
 public:
  // `batch`: datagrams read per system call (recvmmsg), each slot 64 KiB.
  UdpSocket(boost::asio::io_context& io, InboundProcessor& processor, InboundSink& sink, std::size_t batch)
      : socket_(io), processor_(processor), sink_(sink), batch_(batch) {}
  ~UdpSocket();
  UdpSocket(const UdpSocket&) = delete;
  UdpSocket& operator=(const UdpSocket&) = delete;

  // `steer_letter` (with `reuse_port`): the group's response steering (response_steering.hpp).
  [[nodiscard]] std::error_code open(const IpAddress& address, std::uint16_t port, bool reuse_port,
                                     char steer_letter = 0);
  [[nodiscard]] const Endpoint& local() const noexcept { return local_; }
  // Starts the receive loop; it ends when the socket closes.
  void start();
  // Non-blocking: a datagram the kernel cannot take now is an error, not a wait.
  [[nodiscard]] std::error_code send_to(std::string_view bytes, const Endpoint& to);
  // Queues a datagram for the next flush() (the worker's burst of sends).
  void queue(std::string bytes, const Endpoint& to) { pending_.add(std::move(bytes), to); }
  [[nodiscard]] bool has_queued() const noexcept { return !pending_.empty(); }
  // Sends what is queued (sendmmsg), in order; what the kernel refused goes to `failed`. On a
  // closed socket the queue is dropped.
  void flush(std::vector<SendFailure>& failed);
  void close();

 private:
  class ReceiveOp;
  void arm();
  void on_received(int n);

  ReactorUdpSocket socket_;
  ReceiveOp* receive_op_ = nullptr;  // ours while not armed; the reactor's while armed
  bool armed_ = false;
  InboundProcessor& processor_;
  InboundSink& sink_;
  DatagramBatch batch_;
  SendBatch pending_;
  Endpoint local_;
};

}  // namespace trapezoid::transport::detail
