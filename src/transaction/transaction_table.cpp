#include "transaction/transaction_table.hpp"

#include <cstring>
#include <initializer_list>

#include "transaction/message_fields.hpp"
#include "transaction/rfc2543_match.hpp"

namespace trapezoid::transaction {

namespace {

// Copies what the views show into `text`, one after another, and points the views at the
// copies.
template <std::size_t Inline>
void copy_into(KeyText<Inline>& text, std::initializer_list<std::string_view*> views) {
  std::size_t size = 0;
  for (const std::string_view* v : views) size += v->size();
  char* at = text.reserve(size);
  for (std::string_view* v : views) {
    if (!v->empty()) std::memcpy(at, v->data(), v->size());
    *v = std::string_view(at, v->size());
    at += v->size();
  }
}

}  // namespace

bool ClientEntry::assign(TransactionId tx, const sip::Message& request) {
  ClientKey k;
  if (!client_key_of_request(request, k)) return false;
  id = tx;
  key = k;
  copy_into(text, {&key.branch, &key.method});
  return true;
}

bool ServerEntry::assign(TransactionId tx, const sip::Message& req) {
  // dialog_request_key()'s test, with the CSeq parsed once for both of its uses.
  sip::CSeq cseq;
  const std::string_view id_of_call = call_id(req);
  if (id_of_call.empty() || !cseq_of(req, cseq) || req.top_via() == nullptr) return false;
  const DialogRequestKey d{id_of_call, cseq.number};
  ServerKey k;
  if (!server_key_of_request(req, k)) k = ServerKey{};  // RFC 2543: matched on the request
  id = tx;
  request = &req;
  response_to_tag = {};
  key = k;
  dialog = d;
  from_tag = ::trapezoid::transaction::from_tag(req);
  cseq_method = cseq.method_name;
  copy_into(text, {&key.branch, &key.host, &key.method, &dialog.call_id, &from_tag, &cseq_method});
  return true;
}

bool TransactionTable::add_client(const ClientEntry& entry) {
  if (entry.key.branch.empty()) return false;
  return clients_.emplace(entry.key, entry.id).second;
}

void TransactionTable::remove_client(const ClientEntry& entry) {
  auto it = clients_.find(entry.key);
  if (it != clients_.end() && it->second == entry.id) clients_.erase(it);
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
  if (!entry.keyed()) return false;
  if (entry.rfc3261() && !servers_.emplace(entry.key, &entry).second) return false;
  by_dialog_request_.emplace(entry.dialog, &entry);
  return true;
}

void TransactionTable::remove_server(const ServerEntry& entry) {
  if (!entry.keyed()) return;
  if (entry.rfc3261()) {
    auto it = servers_.find(entry.key);
    if (it != servers_.end() && it->second == &entry) servers_.erase(it);
  }
  auto [first, last] = by_dialog_request_.equal_range(entry.dialog);
  for (auto it = first; it != last; ++it) {
    if (it->second == &entry) {
      by_dialog_request_.erase(it);
      return;
    }
  }
}

bool TransactionTable::matches(const ServerEntry& entry, const sip::Message& request) const {
  ServerKey key;
  if (server_key_of_request(request, key)) return entry.rfc3261() && entry.key == key;
  // An RFC 2543 request is compared with the whole of the other (a released request belonged
  // to an RFC 3261 transaction, whose top Via, branch and all, an RFC 2543 one cannot match).
  return entry.request != nullptr && matches_rfc2543(*entry.request, entry.response_to_tag, request);
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
  for (auto it = first; it != last; ++it) {
    const ServerEntry& e = *it->second;
    if (e.request != nullptr && matches_rfc2543(*e.request, e.response_to_tag, request)) return &e;
  }
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
  for (auto it = first; it != last; ++it) {
    const ServerEntry& e = *it->second;
    if (e.request != nullptr && cancels_rfc2543(*e.request, cancel)) return &e;
  }
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
    const ServerEntry& other = *it->second;
    if (other.id >= created_before) continue;
    if (other.cseq_method != cseq.method_name || other.from_tag != tag) continue;
    if (!matches(other, request)) return true;  // same request, another path: merged
  }
  return false;
}

}  // namespace trapezoid::transaction
