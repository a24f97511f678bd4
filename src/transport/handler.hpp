// The up-calls of the transport layer: received messages, transport errors and log lines.
//
//   struct Core : MessageHandler {
//     void on_message(sip::Message&& msg, const Source& from) override { ... }
//     void on_transport_error(const Target& to, std::error_code ec) override { ... }
//   };
//
// Both are called on the worker's thread. The Message owns its bytes (Message::own()), so the
// handler may keep or move it anywhere; `from.connection` names the stream connection it came
// on, for sending the responses back (RFC 3261 §18.2.2).
#pragma once

#include <string_view>
#include <system_error>

#include "sip/message.hpp"
#include "transport/endpoint.hpp"

namespace trapezoid::transport {

class MessageHandler {
 public:
  virtual ~MessageHandler() = default;
  // A request (top Via stamped, RFC 3261 §18.2.1) or a response that passed the syntax checks.
  virtual void on_message(sip::Message&& msg, const Source& from) = 0;
  // A send to `to` failed (RFC 3261 §8.1.3.1, §17.1.4, §17.2.4: the transaction is told).
  virtual void on_transport_error(const Target& to, std::error_code error) = 0;
};

enum class LogLevel : unsigned char { kDebug, kInfo, kWarning, kError };

// Where the transport writes what it dropped and why; never stderr on its own.
class Logger {
 public:
  virtual ~Logger() = default;
  virtual void log(LogLevel level, std::string_view line) = 0;
  // Whether a line at `level` would be written: a writer checks it before composing a line
  // per transaction, which below the threshold would be built only to be thrown away.
  [[nodiscard]] virtual bool enabled(LogLevel /*level*/) const noexcept { return true; }
};

class NullLogger final : public Logger {
 public:
  void log(LogLevel, std::string_view) override {}
  [[nodiscard]] bool enabled(LogLevel) const noexcept override { return false; }
};

}  // namespace trapezoid::transport
