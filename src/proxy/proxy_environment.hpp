// What the proxy core needs from the world around it: the transaction layer to respond and to
// start client transactions, a stateless send, the clocks, and timers of its own (Timer C).
// The server implements it on a SipWorker (sip_worker_environment.hpp); unit tests on a pure
// TransactionLayer with a fake transport and clock.
//
//   class Env : public ProxyEnvironment { ... };
//   env.respond(server_tx, sip::make_response(req, 100, {}, {}).bytes);
//   std::optional<TransactionId> tx = env.send_request(invite_bytes, next_hop);
//   TimerHandle c = env.schedule(env.now() + config.timer_c, [&] { ... });
//
// Every call is made on the worker's thread, from inside a TransactionUser callback or a timer.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "registrar/binding.hpp"
#include "transaction/timer_config.hpp"
#include "transaction/transaction_layer.hpp"
#include "transaction/transaction_user.hpp"
#include "transport/endpoint.hpp"

namespace trapezoid::proxy {

using transaction::Peer;
using transaction::TimePoint;
using transaction::TransactionId;
using TimerHandle = std::uint64_t;

class ProxyEnvironment {
 public:
  virtual ~ProxyEnvironment() = default;

  // A response on a server transaction; false when it is gone or its state takes none.
  virtual bool respond(TransactionId server_tx, std::string_view response_bytes) = 0;
  // The same, with the status and To tag already known (a response passed upstream): an
  // environment on a real layer skips parsing the bytes again.
  virtual bool respond(TransactionId server_tx, const transaction::OutgoingResponse& response) {
    return respond(server_tx, response.bytes);
  }
  // A new client transaction sending `request_bytes` to `destination`; nullopt when it could
  // not be created (the request does not parse, or its branch is taken).
  virtual std::optional<TransactionId> send_request(std::string_view request_bytes, const Peer& destination) = 0;
  // Bytes sent outside any transaction (§16.11); false when the transport failed at once.
  virtual bool send_stateless(std::string_view bytes, const Peer& destination) = 0;
  // Destroys a client transaction the core has given up on (TransactionLayer::abandon).
  virtual void abandon(TransactionId client_tx) = 0;
  // The number to put in Peer::tls_name so that a TLS server is checked against `name`
  // (SipWorker::tls_name_id); 0 where the environment checks addresses only.
  [[nodiscard]] virtual std::uint32_t tls_name_id(std::string_view /*name*/) { return 0; }

  // Read-only questions for the layer: request(tx), peer(tx), find_cancelled(tx), timers.
  [[nodiscard]] virtual const transaction::TransactionLayer& layer() const = 0;
  // The sockets this element listens on (transport, address, port), after start.
  [[nodiscard]] virtual std::vector<transport::Endpoint> local_endpoints() const = 0;

  [[nodiscard]] virtual TimePoint now() const = 0;
  // Wall-clock seconds, for binding expiry (the location service's clock).
  [[nodiscard]] virtual registrar::UnixSeconds unix_now() const = 0;
  // Runs `fn` once `when` has passed, unless cancelled first. Handles are never reused.
  virtual TimerHandle schedule(TimePoint when, std::function<void()> fn) = 0;
  virtual void cancel(TimerHandle handle) = 0;
};

}  // namespace trapezoid::proxy
