#include "transport/tcp_transport.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "transport/asio_endpoint.hpp"
#include "transport/reuse_port.hpp"

namespace trapezoid::transport::detail {

using boost::asio::ip::tcp;

std::error_code TcpTransport::listen(const IpAddress& address, std::uint16_t port, bool reuse_port) {
  auto acceptor = std::make_unique<tcp::acceptor>(io_);
  boost::system::error_code ec;
  const tcp::endpoint at(to_asio(address), port);
  acceptor->open(at.protocol(), ec);
  if (!ec && address.is_v6()) acceptor->set_option(boost::asio::ip::v6_only(true), ec);
  if (!ec) acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec && reuse_port) ec = set_reuse_port(acceptor->native_handle());
  if (!ec) acceptor->bind(at, ec);
  if (!ec) acceptor->listen(tcp::acceptor::max_listen_connections, ec);
  if (ec) return ec;
  acceptors_.push_back(std::move(acceptor));
  return {};
}

std::vector<Endpoint> TcpTransport::local_endpoints() const {
  std::vector<Endpoint> out;
  for (const auto& a : acceptors_) {
    boost::system::error_code ec;
    const tcp::endpoint e = a->local_endpoint(ec);
    if (!ec) out.push_back(Endpoint{TransportKind::kTcp, from_asio(e.address()), e.port()});
  }
  return out;
}

void TcpTransport::start() {
  for (auto& a : acceptors_) accept(*a);
}

void TcpTransport::accept(tcp::acceptor& acceptor) {
  acceptor.async_accept([this, &acceptor](boost::system::error_code ec, tcp::socket socket) {
    if (ec == boost::asio::error::operation_aborted || !acceptor.is_open()) return;
    if (ec) {
      // Out of descriptors, for instance: pause instead of spinning on the error.
      sink_.logger().log(LogLevel::kWarning, "tcp accept: " + ec.message());
      auto pause = std::make_shared<boost::asio::steady_timer>(io_, std::chrono::milliseconds(100));
      pause->async_wait([this, &acceptor, pause](boost::system::error_code wait_ec) {
        if (!wait_ec && acceptor.is_open()) accept(acceptor);
      });
      return;
    }
    on_accepted(std::move(socket));
    accept(acceptor);
  });
}

void TcpTransport::on_accepted(tcp::socket socket) {
  boost::system::error_code ec;
  const tcp::endpoint peer = socket.remote_endpoint(ec);
  if (ec) return;  // the peer is already gone
  const Endpoint remote{TransportKind::kTcp, from_asio(peer.address()), peer.port()};
  if (count() >= max_connections_) {
    sink_.logger().log(LogLevel::kWarning, "connection limit reached: refusing " + to_string(remote));
    return;  // the socket closes as it goes out of scope
  }
  add(std::move(socket), remote)->start();
}

std::shared_ptr<TcpTransport::TcpConnection> TcpTransport::add(tcp::socket socket, const Endpoint& remote) {
  const ConnectionId id = next_id_++;
  auto c = std::make_shared<TcpConnection>(std::move(socket), Source{remote, id, {}}, settings_, processor_, sink_, *this);
  by_id_.emplace(id, Entry{c, remote});
  // RFC 3261 §18: indexed by the far end's address, port and transport (the latest wins).
  by_remote_[remote] = id;
  count_.store(by_id_.size(), std::memory_order_relaxed);
  return c;
}

void TcpTransport::send(std::string bytes, const Target& target) {
  auto it = target.connection != 0 ? by_id_.find(target.connection) : by_id_.end();
  if (it == by_id_.end()) {
    auto r = by_remote_.find(Endpoint{TransportKind::kTcp, target.remote.address, target.remote.port});
    if (r != by_remote_.end()) it = by_id_.find(r->second);
  }
  if (it != by_id_.end()) return it->second.connection->send(std::move(bytes));

  // RFC 3261 §18.1.1 / §18.2.2: no open connection: open one.
  if (target.remote.port == 0) return sink_.send_failed(target, std::make_error_code(std::errc::invalid_argument));
  if (count() >= max_connections_)
    return sink_.send_failed(target, std::make_error_code(std::errc::too_many_files_open));
  const Endpoint remote{TransportKind::kTcp, target.remote.address, target.remote.port};
  auto c = add(tcp::socket(io_), remote);
  c->send(std::move(bytes));
  c->connect(tcp::endpoint(to_asio(remote.address), remote.port));
}

void TcpTransport::on_closed(ConnectionId id) {
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return;
  // The close may run inside the connection's own call: keep it alive until that returns.
  auto keep = std::move(it->second.connection);
  auto r = by_remote_.find(it->second.remote);
  if (r != by_remote_.end() && r->second == id) by_remote_.erase(r);
  by_id_.erase(it);
  boost::asio::post(io_, [keep] {});
  count_.store(by_id_.size(), std::memory_order_relaxed);
}

void TcpTransport::close_all() {
  boost::system::error_code ignored;
  for (auto& a : acceptors_) a->close(ignored);
  auto all = by_id_;  // close() calls on_closed, which edits the table
  for (auto& [id, e] : all) e.connection->close();
}

}  // namespace trapezoid::transport::detail
