// A transport worker: one thread's sockets (UDP, TCP and TLS on IPv4 and IPv6, SO_REUSEPORT so
// that several workers share a port), its connections and its event loop. Shared-nothing: nothing
// of a worker is touched by another thread except through post(), send() and stop().
//
//   WorkerConfig cfg;                       // 127.0.0.1 and ::1, port 5060, UDP + TCP
//   TransportWorker w(cfg, handler, logger);
//   if (std::error_code ec = w.start()) die(ec.message());   // binds the sockets
//   std::thread t([&] { w.run(); });        // the worker's thread
//   w.send(bytes, Target{{TransportKind::kTcp, addr, 5060}, from.connection});
//   w.send(bytes, Target{{TransportKind::kTls, addr, 5061}, 0}, "sip.example.com");  // verified
//   w.wake_at(steady_clock::now() + 50ms, [&] { ... });   // one re-armable timer
//   w.stop(); t.join();
//
// Received messages go to MessageHandler::on_message on the worker's thread; requests that fail
// to parse or fail the syntax checks are answered by the worker with the error response
// (RFC 3261 §8.2, §18.3) and never reach the handler.
//
// UDP datagrams sent while the worker handles one batch of received datagrams (or one TCP
// read, or one wake-up) leave together with one sendmmsg when that handling ends; other sends
// leave at once.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "sip/parser.hpp"
#include "transport/endpoint.hpp"
#include "transport/handler.hpp"
#include "transport/sent_by.hpp"
#include "transport/tls_config.hpp"

namespace boost::asio {
class io_context;
}

namespace trapezoid::transport {

class StreamDirectory;

struct WorkerConfig {
  // Each address gets a UDP socket and a TCP listener on the same port (RFC 3261 §18.2.1),
  // and a TLS listener on tls.port when TLS is enabled.
  std::vector<std::string> addresses = {"127.0.0.1", "::1"};
  // 0: an ephemeral port per address (see local_endpoints()), never shared (no SO_REUSEPORT).
  std::uint16_t port = 5060;
  bool udp = true;
  bool tcp = true;
  bool reuse_port = true;  // SO_REUSEPORT: workers share the port, the kernel spreads the load
  // With reuse_port: a UDP response whose top Via branch starts "z9hG4bK" + this letter + N +
  // "." goes to the N-th socket to have bound the shared port (the kernel reads the branch; see
  // response_steering.hpp), so the worker whose client transaction made that branch receives it
  // without a hand-over. Bind the workers in index order. 0: the kernel's hash alone (also
  // what a kernel that refuses the program gives: a warning is logged, nothing fails).
  char steer_branch_letter = 0;
  // RFC 3261 §18.1.2: the sent-by values this element puts in its Vias; a response whose top
  // Via names another is discarded. Empty: no check.
  std::vector<SentBy> sent_by;

  // Datagrams read per system call (recvmmsg); each takes a 64 KiB buffer per UDP socket.
  std::size_t udp_batch = 32;

  sip::ParserLimits limits;
  // Bytes held for one unfinished stream message; 0: header and body limits plus a little.
  std::size_t max_stream_buffer = 0;
  std::size_t max_connections = 1024;
  // A connection that has sent no message yet is closed after this.
  std::chrono::milliseconds first_message_timeout{10'000};
  // RFC 3261 §18: keep connections at least 64*T1 after the last message.
  std::chrono::milliseconds idle_timeout{5 * 60 * 1000};
  std::chrono::milliseconds connect_timeout{5'000};
  // Bytes waiting to be written on one connection; past it the connection fails.
  std::size_t max_queued_bytes = 8 * 1024 * 1024;

  // TLS over TCP (RFC 3261 §26.2.1): a listener per address on tls.port, and the certificate,
  // key and trusted CAs for both ends. TLS connections share the limits and timeouts above; an
  // accepted one must finish its handshake within first_message_timeout, an opened one within
  // connect_timeout.
  TlsConfig tls;
};

class TransportWorker {
 public:
  // `handler` and `logger` must outlive the worker.
  TransportWorker(WorkerConfig config, MessageHandler& handler, Logger& logger);
  // Closes every socket and connection. Call after run() has returned (stop(), then join).
  ~TransportWorker();
  TransportWorker(const TransportWorker&) = delete;
  TransportWorker& operator=(const TransportWorker&) = delete;

  // Before start(): joins a server's `directory` as worker `index` (the directory must outlive
  // the worker). Its connection ids then name it as their owner, its connections that serve
  // any request to their far end are published there, and a stream send that finds no
  // connection here uses another worker's (see send()).
  void join(StreamDirectory& directory, unsigned index);

  // Opens and binds the sockets, and loads the TLS files; an error names the first that failed
  // (bad configuration). A TLS file that cannot be loaded is a TlsErrc, and the log line names
  // the file and OpenSSL's reason.
  [[nodiscard]] std::error_code start();
  // Runs the event loop on the calling thread until stop().
  void run();
  // Any thread: ends run() soon; open connections are closed when the worker is destroyed.
  void stop();

  // Any thread: runs `fn` on the worker's thread.
  void post(std::function<void()> fn);

  // The worker's one wake-up timer, for the layer above (the transaction layer arms it at its
  // next_deadline()). Runs `fn` on the worker's thread at `when` (at once if it has passed).
  // Re-arming replaces the pending wake-up: its function is dropped, never called. From
  // another thread (or before run()) the call is posted to the worker's thread.
  void wake_at(std::chrono::steady_clock::time_point when, std::function<void()> fn);
  // Drops the pending wake-up, if any (same threading as wake_at()).
  void cancel_wake();

  // Any thread (work is moved to the worker's thread). UDP: one datagram to target.remote.
  // TCP, TLS: on target.connection while it is open, else on an open connection to
  // target.remote, else on a new connection (RFC 3261 §18.1.1, §18.2.2). Failures go to
  // on_transport_error. In a directory (join()) "open" includes the other workers'
  // connections: the bytes are written by the owner, on its thread, and a connection that
  // closed meanwhile comes back here as on_transport_error (std::errc::not_connected), as does
  // a write of these bytes that fails later on the owner's side. A request for a sips: URI goes over TLS only (§26.2.2): over UDP or
  // TCP it fails with TlsErrc::kSipsNeedsTls.
  //
  // The size rule (§18.1.1): a request over 1300 bytes for UDP goes over TCP to the same
  // address and port instead, its top Via's transport rewritten to TCP; when that connection
  // is refused, reset or times out, the original bytes go over UDP after all (and that peer's
  // large requests stay on UDP for a while). Responses are never moved, nor is anything when
  // config.tcp is off. Failures are reported against the UDP target that was asked for.
  //
  // A UDP send within a burst (see above) fails later, at the flush, unless the datagram is
  // larger than any IP packet can carry (EMSGSIZE at once).
  void send(std::string bytes, const Target& target);
  // The same, for a TLS target reached by name (resolved by the caller): the server's
  // certificate must match `server_name`, which is sent as SNI. The plain send() checks it
  // against target.remote's address. Only connections opened to the same name are reused by
  // address; the request's own connection (target.connection) always is.
  void send(std::string bytes, const Target& target, std::string server_name);

  // The bound sockets (after start()): their transport, address and actual port.
  [[nodiscard]] std::vector<Endpoint> local_endpoints() const;
  // The worker's event loop, for other I/O of its thread (a DNS client's sockets and timers).
  [[nodiscard]] boost::asio::io_context& io_context() noexcept;
  // Open stream connections (updated on the worker's thread).
  [[nodiscard]] std::size_t connection_count() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace trapezoid::transport
