// Private: a worker's TCP side, plain and TLS over TCP (RFC 3261 §26.2.1): listeners, the
// connection table indexed by id and by the far end's address, port and transport (§18),
// outgoing connections and the connection limit, which both kinds share.
//
//   TcpTransport tcp(io, settings, max_connections, processor, sink);
//   tcp.enable_tls(config.tls);                       // before listening for kTls
//   tcp.listen(address, 5060, true, TransportKind::kTcp);
//   tcp.listen(address, 5061, true, TransportKind::kTls);
//   tcp.start();
//   tcp.send(bytes, target, "sip.example.com");       // the name matters for TLS only
//   tcp.send_moved(tcp_bytes, udp_bytes, udp_peer);   // RFC 3261 §18.1.1 size rule
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "transport/connection.hpp"
#include "transport/tls_config.hpp"

namespace trapezoid::transport {
class StreamDirectory;
}

namespace trapezoid::transport::detail {

class TlsContext;

class TcpTransport final : public ConnectionOwner {
 public:
  TcpTransport(boost::asio::io_context& io, const StreamSettings& settings, std::size_t max_connections,
               InboundProcessor& processor, InboundSink& sink);
  ~TcpTransport() override;
  TcpTransport(const TcpTransport&) = delete;
  TcpTransport& operator=(const TcpTransport&) = delete;

  // Loads the TLS files; an error is logged with the file's name.
  [[nodiscard]] std::error_code enable_tls(const TlsConfig& config);
  // `kind`: kTcp, or kTls once enable_tls() succeeded.
  [[nodiscard]] std::error_code listen(const IpAddress& address, std::uint16_t port, bool reuse_port,
                                       TransportKind kind);
  [[nodiscard]] std::vector<Endpoint> local_endpoints() const;
  // Starts the accept loops.
  void start();
  // Before start(): ids from StreamDirectory::first_id(index), and every connection usable by
  // address (see reusable()) published in `directory` while it is open.
  void join(StreamDirectory& directory, unsigned index);
  // On target.connection if open (for a kTls target: a TLS one), else an open connection to
  // target.remote, else a new one. TLS: `server_name` is what the server's certificate must
  // match (and the SNI); empty: the address. Only connections this side opened to the same
  // name are reused by address.
  void send(std::string bytes, const Target& target, std::string_view server_name = {});
  // send() without opening: false (and `bytes` untouched) when no open connection serves it.
  [[nodiscard]] bool send_open(std::string& bytes, const Target& target, std::string_view server_name = {});
  // The same for another worker's bytes: a failure to write them goes to `on_failure`.
  [[nodiscard]] bool send_open(std::string& bytes, const Target& target, std::string_view server_name,
                               Connection::FailureHook on_failure);
  // Whether an open connection of this worker serves `target` (plain TCP, by id or address).
  [[nodiscard]] bool has_open(const Target& target) { return find(target, {}) != nullptr; }
  // send() on a new connection (none is open for the target).
  void send_new(std::string bytes, const Target& target, std::string_view server_name = {});
  // A request the size rule moved off UDP (RFC 3261 §18.1.1): `tcp_bytes` (top Via says TCP)
  // over TCP to `udp_peer`'s address and port; `udp_bytes`, the original, over UDP instead
  // if no connection can be established (InboundSink::retry_over_udp).
  void send_moved(std::string tcp_bytes, std::string udp_bytes, const Endpoint& udp_peer);
  void close_all();
  [[nodiscard]] std::size_t count() const noexcept { return count_.load(std::memory_order_relaxed); }

  void on_closed(ConnectionId id) override;

 private:
  struct Listener {
    std::unique_ptr<boost::asio::ip::tcp::acceptor> acceptor;
    TransportKind kind;
  };
  struct Entry {
    std::shared_ptr<Connection> connection;
    Endpoint remote;
    bool opened = false;      // this side connected (and, for TLS, verified the server)
    std::string server_name;  // TLS, opened: the name the server was verified against
    bool published = false;   // in the directory
  };

  void accept(Listener& listener);
  void on_accepted(boost::asio::ip::tcp::socket socket, TransportKind kind);
  [[nodiscard]] bool reusable(const Entry& e, const Target& target, std::string_view server_name) const;
  // An open connection for `target` (see send()), or nullptr.
  [[nodiscard]] Connection* find(const Target& target, std::string_view server_name);
  // A new outgoing connection in the table, not yet connected; nullptr and `ec` when none can
  // be opened.
  [[nodiscard]] std::shared_ptr<Connection> open(const Target& target, std::string_view server_name,
                                                 std::error_code& ec);
  void add(std::shared_ptr<Connection> c, const Source& source, bool opened, std::string_view server_name);

  boost::asio::io_context& io_;
  std::size_t max_connections_;
  InboundSink& sink_;
  ConnectionServices services_;
  std::unique_ptr<TlsContext> tls_;
  std::deque<Listener> listeners_;  // accept loops hold references: no reallocation
  std::unordered_map<ConnectionId, Entry> by_id_;
  std::map<Endpoint, ConnectionId> by_remote_;
  ConnectionId next_id_ = 1;
  StreamDirectory* directory_ = nullptr;
  std::atomic<std::size_t> count_{0};
};

}  // namespace trapezoid::transport::detail
