// Finding the transaction a message belongs to (RFC 3261 §17.1.3, §17.2.3), the INVITE a CANCEL
// cancels (§9.2), and merged requests (§8.2.2.2).
//
//   ClientEntry c;                                      // owned by the caller, stable address
//   if (c.assign(id, invite)) table.add_client(c);      // keyed by (branch, "INVITE")
//   if (auto tx = table.match_response(response)) ...   // same branch and CSeq method
//
//   ServerEntry entry;                                  // likewise
//   if (entry.assign(id, request)) table.add_server(entry);
//   const ServerEntry* e = table.match_request(retransmission);
//   if (table.is_merged(new_request)) respond(482);     // kMergedRequestStatus
//
// Entries keep copies of their keys, so a transaction can drop its request once it no longer
// needs it (entry.request = nullptr) and still be matched. Remove an entry before it dies.
// Lookups build keys from the incoming message's views and allocate nothing.
#pragma once

#include <memory>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "sip/message.hpp"
#include "transaction/transaction_effects.hpp"
#include "transaction/transaction_key.hpp"

namespace trapezoid::transaction {

// §8.2.2.2: a merged request is answered with 482 (Loop Detected).
inline constexpr int kMergedRequestStatus = 482;

// Storage for an entry's copied keys: inside the entry when they fit in `Inline` bytes (the
// usual case), else on the heap.
template <std::size_t Inline>
class KeyText {
 public:
  KeyText() = default;
  KeyText(const KeyText&) = delete;
  KeyText& operator=(const KeyText&) = delete;
  // Room for `size` bytes; what was there before is gone.
  char* reserve(std::size_t size) {
    if (size <= Inline) {
      heap_.reset();
      return inline_;
    }
    heap_ = std::make_unique_for_overwrite<char[]>(size);
    return heap_.get();
  }

 private:
  char inline_[Inline];
  std::unique_ptr<char[]> heap_;
};

// What matching reads of a client transaction: its key, copied.
struct ClientEntry {
  TransactionId id = 0;
  ClientKey key;     // views into `text`
  KeyText<48> text;  // a branch and a method

  ClientEntry() = default;
  ClientEntry(const ClientEntry&) = delete;  // the views point into the entry itself
  ClientEntry& operator=(const ClientEntry&) = delete;
  // false when the request has no branch to key it by.
  bool assign(TransactionId tx, const sip::Message& request);
};

// What matching reads of a server transaction: the keys, copied, and the request while the
// transaction keeps it. Requests of RFC 2543 clients (no magic cookie) are always kept: their
// matching compares most of the request (§17.2.3).
struct ServerEntry {
  TransactionId id = 0;
  const sip::Message* request = nullptr;  // null once the transaction let it go
  std::string_view response_to_tag;       // To tag of the last response sent (RFC 2543 ACKs)
  ServerKey key;                          // §17.2.3; an empty branch for an RFC 2543 request
  DialogRequestKey dialog;                // Call-ID and CSeq number
  std::string_view from_tag;              // with `dialog` and the CSeq method: §8.2.2.2
  std::string_view cseq_method;
  KeyText<112> text;                      // what the views above point into

  ServerEntry() = default;
  ServerEntry(const ServerEntry&) = delete;  // the views point into the entry itself
  ServerEntry& operator=(const ServerEntry&) = delete;
  // false when the request cannot be keyed (no Via, CSeq or Call-ID). `request` must outlive
  // the entry or be cleared first.
  bool assign(TransactionId tx, const sip::Message& request);
  [[nodiscard]] bool rfc3261() const noexcept { return !key.branch.empty(); }
  // Whether assign() succeeded (it needs a Call-ID).
  [[nodiscard]] bool keyed() const noexcept { return !dialog.call_id.empty(); }
};

class TransactionTable {
 public:
  // false when a transaction with its key exists.
  bool add_client(const ClientEntry& entry);
  void remove_client(const ClientEntry& entry);
  [[nodiscard]] std::optional<TransactionId> match_response(const sip::Message& response) const;

  // false when the entry was never assigned or its key is taken.
  bool add_server(const ServerEntry& entry);
  void remove_server(const ServerEntry& entry);
  // The server transaction `request` (a retransmission or an ACK) belongs to, or nullptr.
  [[nodiscard]] const ServerEntry* match_request(const sip::Message& request) const;
  // The transaction a CANCEL cancels (§9.2): the INVITE with its branch and sent-by; or, for
  // RFC 2543 requests, the non-CANCEL, non-ACK transaction matching it by the older rules.
  [[nodiscard]] const ServerEntry* match_cancel(const sip::Message& cancel) const;
  // §8.2.2.2: the request has no To tag, and a server transaction with the same From tag,
  // Call-ID and CSeq exists that the request does not match. Only transactions with an id
  // below `created_before` count (ids grow), so a request already in the table is judged
  // against those that were there when it arrived.
  [[nodiscard]] bool is_merged(const sip::Message& request,
                               TransactionId created_before = ~TransactionId{0}) const;

  [[nodiscard]] std::size_t client_count() const noexcept { return clients_.size(); }
  [[nodiscard]] std::size_t server_count() const noexcept { return by_dialog_request_.size(); }

 private:
  [[nodiscard]] bool matches(const ServerEntry& entry, const sip::Message& request) const;

  std::unordered_map<ClientKey, TransactionId, ClientKeyHash> clients_;
  std::unordered_map<ServerKey, const ServerEntry*, ServerKeyHash> servers_;
  // Every server transaction, for RFC 2543 matching, CANCEL and merged-request checks.
  std::unordered_multimap<DialogRequestKey, const ServerEntry*, DialogRequestKeyHash> by_dialog_request_;
};

}  // namespace trapezoid::transaction
