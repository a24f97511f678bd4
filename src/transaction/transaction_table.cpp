#include "transaction/transaction_table.hpp"

#include "transaction/message_fields.hpp"
#include "transaction/rfc2543_match.hpp"

namespace trapezoid::transaction {

bool TransactionTable::add_client(TransactionId id, const sip::Message& request) {
  ClientKey key;
  if (!client_key_of_request(request, key)) return false;
  return clients_.emplace(key, id).second;
}

void TransactionTable::remove_client(const sip::Message& request) {
  ClientKey key;
  if (client_key_of_request(request, key)) clients_.erase(key);
}

std::optional<TransactionId> TransactionTable::match_response(const sip::Message& response) const {
  // RFC 3261 §17.1.3: the top Via branch and the CSeq method.
  ClientKey key;
  if (!client_key_of_response(response, key)) return std::nullopt;
  auto it = clients_.find(key);
  if (it == clients_.end()) return std::nullopt;
  return it->second;
}

bool TransactionTable::add_server(const ServerEntry& entry) {
  DialogRequestKey dkey;
  if (entry.request == nullptr || !dialog_request_key(*entry.request, dkey)) return false;
  sip::Via via;
  if (!top_via(*entry.request, via)) return false;
  ServerKey key;
  if (server_key_of_request(*entry.request, key) && !servers_.emplace(key, &entry).second)
    return false;
  by_dialog_request_.emplace(dkey, &entry);
  return true;
}

void TransactionTable::remove_server(const ServerEntry& entry) {
  if (entry.request == nullptr) return;
  ServerKey key;
  if (server_key_of_request(*entry.request, key)) {
    auto it = servers_.find(key);
    if (it != servers_.end() && it->second == &entry) servers_.erase(it);
  }
  DialogRequestKey dkey;
  if (!dialog_request_key(*entry.request, dkey)) return;
  auto [first, last] = by_dialog_request_.equal_range(dkey);
  for (auto it = first; it != last; ++it) {
    if (it->second == &entry) {
      by_dialog_request_.erase(it);
      return;
    }
  }
}

bool TransactionTable::matches(const ServerEntry& entry, const sip::Message& request) const {
  ServerKey a;
  ServerKey b;
  if (server_key_of_request(request, b)) return server_key_of_request(*entry.request, a) && a == b;
  return matches_rfc2543(*entry.request, entry.response_to_tag, request);
}

const ServerEntry* TransactionTable::match_request(const sip::Message& request) const {
  ServerKey key;
  if (server_key_of_request(request, key)) {
    // RFC 3261 §17.2.3: branch, sent-by and method (ACK as INVITE).
    auto it = servers_.find(key);
    return it == servers_.end() ? nullptr : it->second;
  }
  DialogRequestKey dkey;
  if (!dialog_request_key(request, dkey)) return nullptr;
  auto [first, last] = by_dialog_request_.equal_range(dkey);
  for (auto it = first; it != last; ++it)
    if (matches_rfc2543(*it->second->request, it->second->response_to_tag, request)) return it->second;
  return nullptr;
}

const ServerEntry* TransactionTable::match_cancel(const sip::Message& cancel) const {
  ServerKey key;
  if (server_key_of_request(cancel, key)) {
    // RFC 3261 §9.2: the CANCEL's method is taken to be the cancelled request's (INVITE here:
    // cancelling any other method has no effect, §9.2).
    key.method = "INVITE";
    auto it = servers_.find(key);
    return it == servers_.end() ? nullptr : it->second;
  }
  DialogRequestKey dkey;
  if (!dialog_request_key(cancel, dkey)) return nullptr;
  auto [first, last] = by_dialog_request_.equal_range(dkey);
  for (auto it = first; it != last; ++it)
    if (cancels_rfc2543(*it->second->request, cancel)) return it->second;
  return nullptr;
}

bool TransactionTable::is_merged(const sip::Message& request, TransactionId created_before) const {
  if (!to_tag(request).empty() || request.method() == sip::Method::kAck) return false;
  DialogRequestKey dkey;
  sip::CSeq cseq;
  if (!dialog_request_key(request, dkey) || !cseq_of(request, cseq)) return false;
  const std::string_view tag = from_tag(request);
  auto [first, last] = by_dialog_request_.equal_range(dkey);
  for (auto it = first; it != last; ++it) {
    if (it->second->id >= created_before) continue;
    const sip::Message& other = *it->second->request;
    sip::CSeq other_cseq;
    if (!cseq_of(other, other_cseq) || other_cseq.method_name != cseq.method_name) continue;
    if (from_tag(other) != tag) continue;
    if (!matches(*it->second, request)) return true;  // same request, another path: merged
  }
  return false;
}

}  // namespace trapezoid::transaction
