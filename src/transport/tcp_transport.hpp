// Private: a worker's TCP side: listeners, the connection table indexed by id and by the far
// end's address (RFC 3261 §18), outgoing connections and the connection limit.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>

#include <atomic>
#include <map>
#include <memory>
#include <unordered_map>
#include <vector>

#include "transport/connection.hpp"
#include "transport/stream_connection.hpp"

namespace trapezoid::transport::detail {

class TcpTransport final : public ConnectionOwner {
 public:
  TcpTransport(boost::asio::io_context& io, const StreamSettings& settings, std::size_t max_connections,
               InboundProcessor& processor, InboundSink& sink)
      : io_(io), settings_(settings), max_connections_(max_connections), processor_(processor), sink_(sink) {}

  [[nodiscard]] std::error_code listen(const IpAddress& address, std::uint16_t port, bool reuse_port);
  [[nodiscard]] std::vector<Endpoint> local_endpoints() const;
  // Starts the accept loops.
  void start();
  // On target.connection if open, else an open connection to target.remote, else a new one.
  void send(std::string bytes, const Target& target);
  void close_all();
  [[nodiscard]] std::size_t count() const noexcept { return count_.load(std::memory_order_relaxed); }

  void on_closed(ConnectionId id) override;

 private:
  using TcpConnection = StreamConnection<boost::asio::ip::tcp::socket>;

  void accept(boost::asio::ip::tcp::acceptor& acceptor);
  void on_accepted(boost::asio::ip::tcp::socket socket);
  std::shared_ptr<TcpConnection> add(boost::asio::ip::tcp::socket socket, const Endpoint& remote);

  boost::asio::io_context& io_;
  const StreamSettings& settings_;
  std::size_t max_connections_;
  InboundProcessor& processor_;
  InboundSink& sink_;
  std::vector<std::unique_ptr<boost::asio::ip::tcp::acceptor>> acceptors_;
  struct Entry {
    std::shared_ptr<Connection> connection;  // any stream: a TLS connection fits the same table
    Endpoint remote;
  };
  std::unordered_map<ConnectionId, Entry> by_id_;
  std::map<Endpoint, ConnectionId> by_remote_;
  ConnectionId next_id_ = 1;
  std::atomic<std::size_t> count_{0};
};

}  // namespace trapezoid::transport::detail
