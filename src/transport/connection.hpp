// Private: the seams between a worker, its sockets and its stream connections.
#pragma once

#include <string>
#include <system_error>

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
};

// One stream connection (TCP now; TLS later) as its table sees it.
class Connection {
 public:
  virtual ~Connection() = default;
  // Queues the bytes for writing in order.
  virtual void send(std::string bytes) = 0;
  // Closes now; queued bytes are dropped.
  virtual void close() = 0;
};

// Told when a connection has closed, so the table forgets it.
class ConnectionOwner {
 public:
  virtual ~ConnectionOwner() = default;
  virtual void on_closed(ConnectionId id) = 0;
};

}  // namespace trapezoid::transport::detail
