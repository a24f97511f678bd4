// The transaction layer's Peer and the transport's Source and Target, converted both ways
// without loss: transport kind, address (and its family), port and connection id.
//
//   Peer p = to_peer(source);               // where a received request came from
//   transport::Target t = to_target(p);     // where the transaction's messages go
//   to_peer(t) == p;                        // always
#pragma once

#include "transaction/transaction_user.hpp"
#include "transport/endpoint.hpp"

namespace trapezoid::transaction {

// The far end and connection of `target`.
[[nodiscard]] Peer to_peer(const transport::Target& target) noexcept;
// The far end and connection a message came from (the local socket is not kept).
[[nodiscard]] Peer to_peer(const transport::Source& source) noexcept;
// Where to send a transaction's messages.
[[nodiscard]] transport::Target to_target(const Peer& peer) noexcept;

}  // namespace trapezoid::transaction
