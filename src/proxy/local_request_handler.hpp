// Where the proxy hands the requests that are not its to route: a REGISTER for one of the
// domains this server is responsible for goes to the registrar (RFC 3261 §10.3), which answers
// on the same server transaction.
//
//   class RegistrarGlue : public LocalRequestHandler {
//     void on_register(TransactionId tx, const sip::Message& req, const Peer& source) override {
//       worker.respond(tx, registrar.handle(req, source, now).bytes);
//     }
//   };
#pragma once

#include "sip/message.hpp"
#include "transaction/transaction_user.hpp"

namespace trapezoid::proxy {

class LocalRequestHandler {
 public:
  virtual ~LocalRequestHandler() = default;
  // A REGISTER whose Request-URI names a local domain, already through the proxy's §16.3
  // checks. `source` is the server transaction's peer: where its responses go (the source
  // address and port for an rport or stream client, RFC 3581). The handler must respond on
  // `tx`; the request lives as long as the transaction.
  virtual void on_register(transaction::TransactionId tx, const sip::Message& request,
                           const transaction::Peer& source) = 0;
};

}  // namespace trapezoid::proxy
