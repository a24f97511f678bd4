#include "transport/tcp_transport.hpp"

#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "sip/charset.hpp"
#include "transport/asio_endpoint.hpp"
#include "transport/reuse_port.hpp"
#include "transport/stream_directory.hpp"
#include "transport/stream_connection.hpp"
#include "transport/tls_connection.hpp"
#include "transport/tls_context.hpp"

namespace trapezoid::transport::detail {

using boost::asio::ip::tcp;
using TcpConnection = StreamConnection<tcp::socket>;

TcpTransport::TcpTransport(boost::asio::io_context& io, const StreamSettings& settings, std::size_t max_connections,
                           InboundProcessor& processor, InboundSink& sink)
    : io_(io), max_connections_(max_connections), sink_(sink), services_{settings, processor, sink, *this} {}

TcpTransport::~TcpTransport() = default;

std::error_code TcpTransport::enable_tls(const TlsConfig& config) {
  std::error_code ec;
  tls_ = TlsContext::create(config, sink_.logger(), ec);
  return ec;
}

std::error_code TcpTransport::listen(const IpAddress& address, std::uint16_t port, bool reuse_port,
                                     TransportKind kind) {
  if (kind == TransportKind::kUdp) return std::make_error_code(std::errc::invalid_argument);
  if (kind == TransportKind::kTls && !tls_) return make_error_code(TlsErrc::kNotEnabled);
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
  listeners_.push_back(Listener{std::move(acceptor), kind});
  return {};
}

std::vector<Endpoint> TcpTransport::local_endpoints() const {
  std::vector<Endpoint> out;
  for (const Listener& l : listeners_) {
    boost::system::error_code ec;
    const tcp::endpoint e = l.acceptor->local_endpoint(ec);
    if (!ec) out.push_back(Endpoint{l.kind, from_asio(e.address()), e.port()});
  }
  return out;
}

void TcpTransport::start() {
  for (Listener& l : listeners_) accept(l);
}

void TcpTransport::join(StreamDirectory& directory, unsigned index) {
  directory_ = &directory;
  next_id_ = StreamDirectory::first_id(index);
}

void TcpTransport::accept(Listener& listener) {
  tcp::acceptor& acceptor = *listener.acceptor;
  acceptor.async_accept([this, &listener](boost::system::error_code ec, tcp::socket socket) {
    tcp::acceptor& a = *listener.acceptor;
    if (ec == boost::asio::error::operation_aborted || !a.is_open()) return;
    if (ec) {
      // Out of descriptors, for instance: pause instead of spinning on the error.
      sink_.logger().log(LogLevel::kWarning, "tcp accept: " + ec.message());
      auto pause = std::make_shared<boost::asio::steady_timer>(io_, std::chrono::milliseconds(100));
      pause->async_wait([this, &listener, pause](boost::system::error_code wait_ec) {
        if (!wait_ec && listener.acceptor->is_open()) accept(listener);
      });
      return;
    }
    on_accepted(std::move(socket), listener.kind);
    accept(listener);
  });
}

void TcpTransport::on_accepted(tcp::socket socket, TransportKind kind) {
  boost::system::error_code ec;
  const tcp::endpoint peer = socket.remote_endpoint(ec);
  if (ec) return;  // the peer is already gone
  const Endpoint remote{kind, from_asio(peer.address()), peer.port()};
  if (count() >= max_connections_) {
    sink_.logger().log(LogLevel::kWarning, "connection limit reached: refusing " + to_string(remote));
    return;  // the socket closes as it goes out of scope
  }
  const Source source{remote, next_id_++, {}};
  std::shared_ptr<Connection> c = kind == TransportKind::kTls
                                      ? accept_tls(*tls_, std::move(socket), source, services_)
                                      : std::make_shared<TcpConnection>(std::move(socket), source, services_);
  add(c, source, false, {});
  c->start();
}

void TcpTransport::add(std::shared_ptr<Connection> c, const Source& source, bool opened,
                       std::string_view server_name) {
  Entry e{std::move(c), source.remote, opened, std::string(server_name)};
  // Other workers reuse by address what this one would reuse for a request without a name: a
  // plain connection, or a TLS one this side opened and verified against the address.
  const Target by_address{source.remote, 0};
  if (directory_ != nullptr && reusable(e, by_address, {})) {
    directory_->publish(source.remote, source.connection);
    e.published = true;
  }
  by_id_.emplace(source.connection, std::move(e));
  // RFC 3261 §18: indexed by the far end's address, port and transport (the latest wins).
  by_remote_[source.remote] = source.connection;
  count_.store(by_id_.size(), std::memory_order_relaxed);
}

// A plain connection serves any message to its far end. A TLS one serves a request only when
// this side opened it and verified the server as the name now asked for: a connection a peer
// opened to us proves nothing about who that peer is.
bool TcpTransport::reusable(const Entry& e, const Target& target, std::string_view server_name) const {
  if (e.remote.transport != target.remote.transport) return false;
  if (target.remote.transport != TransportKind::kTls) return true;
  return e.opened && sip::charset::iequals(e.server_name, server_name);
}

Connection* TcpTransport::find(const Target& target, std::string_view server_name) {
  // RFC 3261 §18.2.2: the connection the layer above names (the request's), while it is open;
  // never a plain one for a message meant for TLS.
  auto it = target.connection != 0 ? by_id_.find(target.connection) : by_id_.end();
  if (it != by_id_.end() && target.remote.transport == TransportKind::kTls &&
      it->second.remote.transport != TransportKind::kTls)
    it = by_id_.end();
  if (it == by_id_.end()) {
    auto r = by_remote_.find(Endpoint{target.remote.transport, target.remote.address, target.remote.port});
    if (r != by_remote_.end()) it = by_id_.find(r->second);
    if (it != by_id_.end() && !reusable(it->second, target, server_name)) it = by_id_.end();
  }
  return it != by_id_.end() ? it->second.connection.get() : nullptr;
}

std::shared_ptr<Connection> TcpTransport::open(const Target& target, std::string_view server_name,
                                               std::error_code& ec) {
  // RFC 3261 §18.1.1 / §18.2.2: no open connection: open one.
  if (target.remote.port == 0) {
    ec = std::make_error_code(std::errc::invalid_argument);
    return nullptr;
  }
  if (target.remote.transport == TransportKind::kTls && !tls_) {
    ec = make_error_code(TlsErrc::kNotEnabled);
    return nullptr;
  }
  if (count() >= max_connections_) {
    ec = std::make_error_code(std::errc::too_many_files_open);
    return nullptr;
  }
  const Source source{Endpoint{target.remote.transport, target.remote.address, target.remote.port}, next_id_++, {}};
  std::shared_ptr<Connection> c;
  if (source.remote.transport == TransportKind::kTls) {
    c = open_tls(*tls_, io_, source, server_name, services_, ec);
    if (!c) return nullptr;
  } else {
    c = std::make_shared<TcpConnection>(tcp::socket(io_), source, services_);
  }
  add(c, source, true, server_name);
  return c;
}

void TcpTransport::send(std::string bytes, const Target& target, std::string_view server_name) {
  if (!send_open(bytes, target, server_name)) send_new(std::move(bytes), target, server_name);
}

bool TcpTransport::send_open(std::string& bytes, const Target& target, std::string_view server_name) {
  return send_open(bytes, target, server_name, {});
}

bool TcpTransport::send_open(std::string& bytes, const Target& target, std::string_view server_name,
                             Connection::FailureHook on_failure) {
  Connection* open_one = find(target, server_name);
  if (open_one == nullptr) return false;
  open_one->send(std::move(bytes), std::move(on_failure));  // no hook: this worker reports
  return true;
}

void TcpTransport::send_new(std::string bytes, const Target& target, std::string_view server_name) {
  std::error_code ec;
  std::shared_ptr<Connection> c = open(target, server_name, ec);
  if (!c) return sink_.send_failed(target, ec);
  c->send(std::move(bytes));
  c->connect(target.remote);
}

void TcpTransport::send_moved(std::string tcp_bytes, std::string udp_bytes, const Endpoint& udp_peer) {
  const Target target{Endpoint{TransportKind::kTcp, udp_peer.address, udp_peer.port}, 0};
  if (Connection* open_one = find(target, {})) return open_one->send_moved(std::move(tcp_bytes), std::move(udp_bytes));
  std::error_code ec;
  std::shared_ptr<Connection> c = open(target, {}, ec);
  if (!c) {
    // No connection can be opened here (the limit): the connection "cannot be established",
    // so the original goes over UDP (RFC 3261 §18.1.1).
    return sink_.retry_over_udp(std::move(udp_bytes), udp_peer, ec);
  }
  c->send_moved(std::move(tcp_bytes), std::move(udp_bytes));
  c->connect(target.remote);
}

void TcpTransport::on_closed(ConnectionId id) {
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return;
  // The close may run inside the connection's own call: keep it alive until that returns.
  auto keep = std::move(it->second.connection);
  auto r = by_remote_.find(it->second.remote);
  if (r != by_remote_.end() && r->second == id) by_remote_.erase(r);
  if (it->second.published) directory_->withdraw(it->second.remote, id);
  by_id_.erase(it);
  boost::asio::post(io_, [keep] {});
  count_.store(by_id_.size(), std::memory_order_relaxed);
}

void TcpTransport::close_all() {
  boost::system::error_code ignored;
  for (Listener& l : listeners_) l.acceptor->close(ignored);
  auto all = by_id_;  // close() calls on_closed, which edits the table
  for (auto& [id, e] : all) e.connection->close();
}

}  // namespace trapezoid::transport::detail
