// The seams between the transaction layer and its neighbours: the transport below (MessageSender)
// and the transaction user above (TransactionUser: the UA core or the proxy core).
//
//   class Core : public TransactionUser {
//     void on_request(TransactionId tx, const sip::Message& req) override { ... layer.respond(tx, ...); }
//     ...
//   };
//
// Both are pure interfaces: the transport engineer and the TU implement them, tests fake them.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "sip/message.hpp"
#include "transaction/transaction_effects.hpp"

namespace trapezoid::transaction {

// Where a transaction's messages go: an opaque value the transport layer fills and reads (a
// connection id for a stream, an address and port for a datagram). The transaction layer only
// stores and hands it back (transport_peer.hpp converts to and from the transport's values).
struct Peer {
  std::uint64_t flow = 0;                 // connection id, or 0
  std::array<std::uint8_t, 16> address{}; // IPv4 in the first 4 bytes, or IPv6
  std::uint16_t port = 0;
  std::uint8_t transport = 0;             // the transport layer's own code
  bool ipv6 = false;                      // which of the two `address` holds
  // For TLS: the name the server's certificate must match (RFC 5922 §4: the host of the URI
  // that was resolved), as SipWorker::tls_name_id() numbered it; 0: the address itself.
  std::uint32_t tls_name = 0;
  friend bool operator==(const Peer&, const Peer&) = default;
};

class MessageSender {
 public:
  virtual ~MessageSender() = default;
  // false when sending failed at once; the transaction reports a transport error (§17.1.4).
  virtual bool send(const Peer& peer, std::string_view bytes) = 0;
};

class TransactionUser {
 public:
  virtual ~TransactionUser() = default;
  // A new server transaction's request; or, on an INVITE server transaction in the Accepted
  // state, the ACK of its 2xx (RFC 6026 §8.7). The message lives as long as the transaction.
  virtual void on_request(TransactionId tx, const sip::Message& request) = 0;
  // A request that matches no transaction, before one is created for it: a TU that answers it
  // as a stateless UAS (§8.2.7) does so here (its responses go to `reply_to`, §18.2.2, as the
  // transport computed it) and returns true; no transaction is made. Its retransmissions come
  // here again, so the TU must answer them as it answered the first copy. ACK never comes here.
  virtual bool on_stateless_request(const sip::Message& /*request*/, const Peer& /*reply_to*/) { return false; }
  // A response for a client transaction (§17.1.1.2, §17.1.2.2).
  virtual void on_response(TransactionId tx, const sip::Message& response) = 0;
  // An ACK that matched no transaction: the ACK of a 2xx after Timer L, or one for a proxy to
  // forward (§17.2.3, §16.7).
  virtual void on_stray_ack(const sip::Message& ack, const Peer& source) = 0;
  // A response that matched no client transaction: a 2xx retransmission after Timer M, or one
  // for a proxy to forward statelessly (§17.1.3, §16.7).
  virtual void on_stray_response(const sip::Message& response, const Peer& source) = 0;
  // Timer B, F or H fired: handle as a 408 (§8.1.3.1).
  virtual void on_timeout(TransactionId tx) = 0;
  // The transport failed: handle as a 503 (§8.1.3.1).
  virtual void on_transport_error(TransactionId tx) = 0;
  // The transaction is gone; its id will not be seen again.
  virtual void on_terminated(TransactionId /*tx*/) {}
};

}  // namespace trapezoid::transaction
