// Where the proxy hands the requests that are not its to route: a REGISTER for one of the
// domains this server is responsible for goes to the registrar (RFC 3261 §10.3), which answers
// on the server transaction, or, when the proxy takes REGISTER statelessly (§8.2.7), straight
// to where the response goes.
//
//   class RegistrarGlue : public LocalRequestHandler {
//     void on_register(const ReplyTo& reply, const sip::Message& req) override {
//       std::string bytes = registrar.handle(req, ...).response;
//       if (reply.tx) env.respond(*reply.tx, bytes); else env.send_stateless(bytes, reply.peer);
//     }
//   };
#pragma once

#include <optional>

#include "sip/message.hpp"
#include "transaction/transaction_user.hpp"

namespace trapezoid::proxy {

// Where the answer to a local request goes.
struct ReplyTo {
  // Its server transaction; none when the request is answered statelessly (§8.2.7).
  std::optional<transaction::TransactionId> tx;
  // Where its responses go (§18.2.2, RFC 3581: the source address and port for an rport or
  // stream client): the transaction's peer, or the destination of a stateless response.
  transaction::Peer peer;
};

class LocalRequestHandler {
 public:
  virtual ~LocalRequestHandler() = default;
  // A REGISTER whose Request-URI names a local domain, already through the proxy's §16.3
  // checks. The handler must answer it, on reply.tx when there is one, else statelessly to
  // reply.peer; in that case a retransmission comes again and must get the same answer (the
  // To tag included, §8.2.7). The request lives only for the call when there is no transaction.
  virtual void on_register(const ReplyTo& reply, const sip::Message& request) = 0;
};

}  // namespace trapezoid::proxy
