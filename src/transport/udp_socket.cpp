#include "transport/udp_socket.hpp"

#include <sys/socket.h>

#include <boost/asio/detail/reactor.hpp>
#include <boost/asio/detail/reactor_op.hpp>

#include <type_traits>

#include "transport/asio_endpoint.hpp"
#include "transport/response_steering.hpp"
#include "transport/reuse_port.hpp"

namespace trapezoid::transport::detail {

using boost::asio::ip::udp;
namespace asio_detail = boost::asio::detail;

// The receive loop rides on Asio's reactor internals (Boost 1.74 and later, epoll): a reactor
// operation whose perform step is the recvmmsg. Asio's own async_wait re-arms the descriptor with
// epoll_ctl on every wait, a system call per wake-up that costs as much as the read (about a
// microsecond on a virtual machine). A reactor operation that reports a short batch as
// "done_and_exhausted" instead lets the reactor skip both the re-arm and the next speculative
// read until epoll reports new datagrams, as Asio does for stream sockets.
static_assert(std::is_same_v<asio_detail::reactor, asio_detail::epoll_reactor>,
              "UdpSocket's receive operation is written for Asio's epoll reactor");

class UdpSocket::ReceiveOp final : public asio_detail::reactor_op {
 public:
  explicit ReceiveOp(UdpSocket* owner)
      : reactor_op(boost::system::error_code(), &ReceiveOp::perform, &ReceiveOp::complete),
        reactor_(boost::asio::use_service<asio_detail::reactor>(owner->socket_.get_executor().context())),
        owner_(owner) {}

  // Hands the operation to the reactor. Speculative: the reactor runs the recvmmsg at once
  // unless the last one drained the socket, and otherwise queues the operation (no epoll_ctl:
  // the registration is edge-triggered).
  void start(ReactorUdpSocket& socket) {
    ec_ = boost::system::error_code();
    received_ = 0;
    auto& impl = socket.implementation();
    reactor_.start_op(asio_detail::reactor::read_op, impl.socket_, impl.reactor_data_, this,
                      /*is_continuation=*/true, /*allow_speculative=*/true);
  }
  // The socket is going away: whatever brings the operation back only deletes it.
  void detach() { owner_ = nullptr; }

 private:
  // Runs on the worker's thread when the socket is readable (or speculatively in arm()).
  static status perform(reactor_op* base) {
    auto* op = static_cast<ReceiveOp*>(base);
    if (op->owner_ == nullptr) return done;
    DatagramBatch& batch = op->owner_->batch_;
    const int n = batch.receive(op->owner_->socket_.native_handle());
    if (n == 0) return not_done;  // nothing there: wait for epoll
    op->received_ = n;
    // A short batch drained the socket: no read until epoll reports more.
    return n > 0 && static_cast<std::size_t>(n) < batch.capacity() ? done_and_exhausted : done;
  }

  // `io` is null when the io_context abandons the operation (its destruction).
  static void complete(void* io, asio_detail::operation* base, const boost::system::error_code&, std::size_t) {
    auto* op = static_cast<ReceiveOp*>(base);
    UdpSocket* socket = op->owner_;
    if (socket == nullptr) {
      delete op;
      return;
    }
    socket->armed_ = false;
    if (io == nullptr || op->ec_) {
      // Abandoned, or aborted by a close that did not go through UdpSocket::close(): the socket
      // takes the operation back and stops receiving.
      if (io != nullptr && op->ec_ != boost::asio::error::operation_aborted && socket->socket_.is_open())
        socket->sink_.logger().log(LogLevel::kWarning, "udp wait: " + op->ec_.message());
      socket->receive_op_ = nullptr;
      delete op;
      return;
    }
    socket->on_received(op->received_);
  }

  asio_detail::reactor& reactor_;
  UdpSocket* owner_;
  int received_ = 0;
};

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
  if (receive_op_ != nullptr) {
    // An armed operation belongs to the reactor until it comes back (aborted by the close
    // below, or abandoned with the io_context); it then deletes itself.
    if (armed_) receive_op_->detach();
    else delete receive_op_;
    receive_op_ = nullptr;
    armed_ = false;
  }
  boost::system::error_code ignored;
  socket_.close(ignored);
}

UdpSocket::~UdpSocket() { close(); }

void UdpSocket::start() {
  if (receive_op_ == nullptr) receive_op_ = new ReceiveOp(this);
  arm();
}

void UdpSocket::arm() {
  if (!socket_.is_open() || receive_op_ == nullptr) return;
  armed_ = true;
  receive_op_->start(socket_);
}

// The datagrams the operation read are in batch_; a few rounds of them per wake-up are left to
// the reactor, which runs the next read after whatever else is ready (a busy socket does not
// starve the others of this worker).
void UdpSocket::on_received(int n) {
  if (!socket_.is_open()) return;
  if (n < 0) {
    // ICMP errors of earlier sends surface here (ECONNREFUSED): note them and go on.
    sink_.logger().log(LogLevel::kDebug, "udp receive: " + std::error_code(-n, std::system_category()).message());
  } else {
    // What the batch's messages send leaves together when the batch is done (sendmmsg).
    const Burst burst(sink_);
    for (int i = 0; i < n; ++i) {
      const Source from{batch_.from(i), 0, local_};
      sink_.deliver(processor_.on_datagram(batch_.data(i), from), from);
      if (!socket_.is_open()) return;  // the handler stopped the worker
    }
  }
  arm();
}

}  // namespace trapezoid::transport::detail
