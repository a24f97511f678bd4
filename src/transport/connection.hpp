// Private: the seams between a worker, its sockets and its stream connections (TCP and TLS).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <system_error>

#include "sip/parser.hpp"
#include "transport/endpoint.hpp"
#include "transport/handler.hpp"
#include "transport/inbound.hpp"

namespace trapezoid::transport::detail {

// What sockets hand their received messages to (the worker).
class InboundSink {
 public:
  virtual ~InboundSink() = default;
  // Pass up, answer or log, as `in` says.
  virtual void deliver(Inbound&& in, const Source& from) = 0;
  virtual void send_failed(const Target& to, std::error_code error) = 0;
  virtual Logger& logger() = 0;
  // UDP datagrams sent between begin_burst() and the matching end_burst() are queued and go
  // out together (sendmmsg) when the outermost burst ends: the answers to one batch of
  // received messages, or the retransmissions of one timer tick.
  virtual void begin_burst() = 0;
  virtual void end_burst() = 0;
  // A request the size rule moved from UDP to TCP whose connection could not be established
  // (RFC 3261 §18.1.1): send `udp_bytes`, its original bytes, to `udp_peer` after all.
  virtual void retry_over_udp(std::string udp_bytes, const Endpoint& udp_peer, std::error_code why) = 0;
};

// One burst of sends (InboundSink::begin_burst) for the scope's life.
class Burst {
 public:
  explicit Burst(InboundSink& sink) : sink_(sink) { sink_.begin_burst(); }
  ~Burst() { sink_.end_burst(); }
  Burst(const Burst&) = delete;
  Burst& operator=(const Burst&) = delete;

 private:
  InboundSink& sink_;
};

// One stream connection (plain TCP, or TLS over TCP) as its table sees it.
class Connection {
 public:
  virtual ~Connection() = default;
  // An accepted connection: serve it (TLS: after the handshake, which must finish within the
  // first-message timeout).
  virtual void start() = 0;
  // An opened connection: connect to `to` (TLS: then handshake; both within the connect
  // timeout), then serve. Sends queue meanwhile.
  virtual void connect(const Endpoint& to) = 0;
  // Queues the bytes for writing in order.
  virtual void send(std::string bytes) = 0;
  // The same for bytes another worker sent on this connection: if they cannot be written, the
  // failure goes to `on_failure` (which takes it back to that worker, where the sender's
  // transaction waits, §8.1.3.1) rather than to this worker's handler; an empty hook is send(bytes).
  using FailureHook = std::function<void(std::error_code)>;
  virtual void send(std::string bytes, FailureHook on_failure) = 0;
  // The same for a request the size rule moved off UDP (RFC 3261 §18.1.1): `udp_bytes` is
  // the original (its top Via says UDP). If the connection cannot be established for a reason
  // udp_retry_allowed() accepts, the original goes over UDP instead (InboundSink::
  // retry_over_udp); any failure is reported against the UDP peer, where the sender sent it.
  virtual void send_moved(std::string bytes, std::string udp_bytes) = 0;
  // Closes now; queued bytes are dropped.
  virtual void close() = 0;
};

// Told when a connection has closed, so the table forgets it.
class ConnectionOwner {
 public:
  virtual ~ConnectionOwner() = default;
  virtual void on_closed(ConnectionId id) = 0;
};

struct StreamSettings {
  sip::ParserLimits limits;
  std::size_t max_buffer = 0;
  std::chrono::milliseconds first_message_timeout{10'000};
  std::chrono::milliseconds idle_timeout{300'000};
  std::chrono::milliseconds connect_timeout{5'000};
  std::size_t max_queued_bytes = 8 * 1024 * 1024;
};

// What every stream connection of a worker shares; all of it outlives the connections.
struct ConnectionServices {
  const StreamSettings& settings;
  InboundProcessor& processor;
  InboundSink& sink;
  ConnectionOwner& owner;
};

}  // namespace trapezoid::transport::detail
