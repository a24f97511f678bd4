#include "transaction/transaction_layer.hpp"

#include <type_traits>
#include <utility>
#include <variant>

#include "sip/parser.hpp"
#include "transaction/invite_client_transaction.hpp"
#include "transaction/message_fields.hpp"
#include "transaction/invite_server_transaction.hpp"
#include "transaction/non_invite_client_transaction.hpp"
#include "transaction/non_invite_server_transaction.hpp"

namespace trapezoid::transaction {

struct TransactionLayer::Slot {
  template <class Machine>
  Slot(std::in_place_type_t<Machine> type, const Peer& to, TransactionId id,
       std::unique_ptr<sip::Message> msg, Reliability reliability, const TimerConfig& timers,
       TransactionEffects& effects)
      : machine(type, id, std::move(msg), reliability, timers, effects),
        peer(to),
        keys(std::in_place_type<std::conditional_t<kIsServer<Machine>, ServerEntry, ClientEntry>>) {}

  template <class Machine>
  static constexpr bool kIsServer =
      std::is_same_v<Machine, InviteServerTransaction> || std::is_same_v<Machine, NonInviteServerTransaction>;

  std::variant<InviteClientTransaction, NonInviteClientTransaction, InviteServerTransaction,
               NonInviteServerTransaction>
      machine;
  Peer peer;
  std::variant<ClientEntry, ServerEntry> keys;  // the table's entry, of the machine's side

  [[nodiscard]] bool is_server() const noexcept { return machine.index() >= 2; }
  [[nodiscard]] ServerEntry& entry() { return std::get<ServerEntry>(keys); }
  [[nodiscard]] ClientEntry& client() { return std::get<ClientEntry>(keys); }
  // nullptr once released.
  [[nodiscard]] const sip::Message* request() const {
    return std::visit([](const auto& m) { return m.request(); }, machine);
  }
};

// Destroys terminated transactions when the outermost public call returns.
class TransactionLayer::CallScope {
 public:
  CallScope(TransactionLayer& layer, TimePoint now) : layer_(layer) {
    ++layer_.depth_;
    layer_.now_ = now;
  }
  ~CallScope() {
    if (--layer_.depth_ != 0) return;
    layer_.release_settled();
    layer_.reap();
  }
  CallScope(const CallScope&) = delete;
  CallScope& operator=(const CallScope&) = delete;

 private:
  TransactionLayer& layer_;
};

TransactionLayer::TransactionLayer(MessageSender& sender, TransactionUser& user, TimerConfig timers)
    : sender_(sender), user_(user), config_(timers) {}

TransactionLayer::~TransactionLayer() = default;

TransactionLayer::Received TransactionLayer::receive(sip::Message&& msg, bool from_reliable_transport,
                                                     const Peer& source, TimePoint now) {
  CallScope scope(*this, now);
  if (msg.is_response()) return receive_response(msg, source);
  return receive_request(std::move(msg), from_reliable_transport, source);
}

TransactionLayer::Received TransactionLayer::receive_response(const sip::Message& msg,
                                                              const Peer& source) {
  const std::optional<TransactionId> id = table_.match_response(msg);
  Slot* slot = id ? find(*id) : nullptr;
  if (slot == nullptr) {
    user_.on_stray_response(msg, source);
    return Received::kStrayResponse;
  }
  std::visit([&](auto& m) {
    if constexpr (requires { m.on_response(msg); }) m.on_response(msg);
  }, slot->machine);
  // A final response may have left it without use for its request.
  if (msg.status_code() >= 200) settled_.push_back(*id);
  return Received::kMatched;
}

TransactionLayer::Received TransactionLayer::receive_request(sip::Message&& msg, bool reliable,
                                                             const Peer& source) {
  if (const ServerEntry* entry = table_.match_request(msg)) {
    if (Slot* slot = find(entry->id)) {
      std::visit([&](auto& m) {
        if constexpr (requires { m.on_request(msg); }) m.on_request(msg);
      }, slot->machine);
      return Received::kMatched;
    }
  }
  // RFC 3261 §17.2.3: an ACK matching no transaction (one for a 2xx) is not a new one.
  if (msg.method() == sip::Method::kAck) {
    user_.on_stray_ack(msg, source);
    return Received::kStrayAck;
  }
  DialogRequestKey key;
  if (!dialog_request_key(msg, key) || msg.top_via() == nullptr) return Received::kDropped;
  // §8.2.7: the TU may answer it as a stateless UAS; then there is nothing to keep.
  if (user_.on_stateless_request(msg, source)) return Received::kStateless;

  if (!msg.owns_bytes()) msg.own();
  const TransactionId id = next_id_++;
  const Reliability r = reliable ? Reliability::kReliable : Reliability::kUnreliable;
  TransactionEffects& fx = *this;
  const bool invite = msg.method() == sip::Method::kInvite;
  auto slot = invite ? std::make_unique<Slot>(std::in_place_type<InviteServerTransaction>, source, id,
                                              adopt(std::move(msg)), r, config_, fx)
                     : std::make_unique<Slot>(std::in_place_type<NonInviteServerTransaction>, source,
                                              id, adopt(std::move(msg)), r, config_, fx);
  if (!slot->entry().assign(id, *slot->request()) || !table_.add_server(slot->entry()))
    return Received::kDropped;
  Slot& s = *slots_.emplace(id, std::move(slot)).first->second;
  std::visit([](auto& m) { m.start(); }, s.machine);
  return Received::kNewServerTransaction;
}

std::optional<TransactionId> TransactionLayer::send_request(sip::Message&& request,
                                                            const Peer& destination,
                                                            Reliability reliability, TimePoint now) {
  CallScope scope(*this, now);
  // RFC 3261 §17.1: the ACK of a 2xx is sent by the TU outside any transaction.
  if (!request.is_request() || request.method() == sip::Method::kAck) return std::nullopt;
  ClientKey key;
  if (!client_key_of_request(request, key)) return std::nullopt;
  if (!request.owns_bytes()) request.own();
  const TransactionId id = next_id_++;
  TransactionEffects& fx = *this;
  const bool invite = request.method() == sip::Method::kInvite;
  auto slot = invite ? std::make_unique<Slot>(std::in_place_type<InviteClientTransaction>, destination,
                                              id, adopt(std::move(request)), reliability, config_, fx)
                     : std::make_unique<Slot>(std::in_place_type<NonInviteClientTransaction>,
                                              destination, id, adopt(std::move(request)), reliability,
                                              config_, fx);
  if (!slot->client().assign(id, *slot->request()) || !table_.add_client(slot->client()))
    return std::nullopt;
  Slot& s = *slots_.emplace(id, std::move(slot)).first->second;
  std::visit([](auto& m) { m.start(); }, s.machine);
  return id;
}

std::optional<TransactionId> TransactionLayer::send_request(std::string_view request_bytes,
                                                            const Peer& destination,
                                                            Reliability reliability, TimePoint now) {
  sip::Message request;
  if (!sip::parse_datagram(request_bytes, request).ok()) return std::nullopt;
  request.own();
  return send_request(std::move(request), destination, reliability, now);
}

bool TransactionLayer::respond(TransactionId server_tx, std::string_view response_bytes,
                               TimePoint now) {
  sip::Message response;  // borrows response_bytes for this call only
  if (!sip::parse_datagram(response_bytes, response).ok() || !response.is_response()) return false;
  return respond(server_tx, OutgoingResponse{response.raw(), response.status_code(), to_tag(response)}, now);
}

bool TransactionLayer::respond(TransactionId server_tx, const OutgoingResponse& response, TimePoint now) {
  CallScope scope(*this, now);
  Slot* slot = find(server_tx);
  if (slot == nullptr || !slot->is_server()) return false;
  bool sent = false;
  std::visit([&](auto& m) {
    if constexpr (requires { m.respond(response); }) sent = m.respond(response);
  }, slot->machine);
  if (auto* invite = std::get_if<InviteServerTransaction>(&slot->machine))
    slot->entry().response_to_tag = invite->response_to_tag();
  if (sent && response.status >= 200) settled_.push_back(server_tx);
  return sent;
}

void TransactionLayer::report_transport_error(TransactionId tx, TimePoint now) {
  CallScope scope(*this, now);
  if (Slot* slot = find(tx)) std::visit([](auto& m) { m.on_transport_error(); }, slot->machine);
}

void TransactionLayer::report_transport_error(const Peer& peer, TimePoint now) {
  CallScope scope(*this, now);
  const auto same_place = [&](const Peer& p) {
    if (peer.flow != 0 && p.flow == peer.flow) return true;
    return p.transport == peer.transport && p.ipv6 == peer.ipv6 && p.address == peer.address &&
           p.port == peer.port;
  };
  // Collect first: a transaction's report may end it (the reaping waits for the scope anyway).
  std::vector<TransactionId> hit;
  for (const auto& [id, slot] : slots_)
    if (same_place(slot->peer)) hit.push_back(id);
  for (const TransactionId id : hit)
    if (Slot* slot = find(id)) std::visit([](auto& m) { m.on_transport_error(); }, slot->machine);
}

void TransactionLayer::advance(TimePoint now) {
  CallScope scope(*this, now);
  timers_.run_due(now, [&](const TimerEntry& e) {
    Slot* slot = find(e.owner);
    if (slot == nullptr) return;  // already reaped: a stale entry
    // Re-armed timers count from their own deadline, so a late advance() keeps the RFC's
    // schedule (T1, 3*T1, 7*T1, ...) instead of drifting.
    now_ = e.deadline;
    std::visit([&](auto& m) { m.on_timer(e.kind, e.generation); }, slot->machine);
  });
  now_ = now;
}

std::optional<TimePoint> TransactionLayer::next_deadline() {
  timers_.forget_scheduled();
  timers_.drop_stale([&](const TimerEntry& e) { return !is_live(e); });
  return timers_.next_deadline();
}

bool TransactionLayer::is_live(const TimerEntry& e) const {
  const Slot* slot = find(e.owner);
  return slot != nullptr &&
         std::visit([&](const auto& m) { return m.timer_pending(e.kind, e.generation); }, slot->machine);
}

std::optional<TransactionId> TransactionLayer::find_cancelled(TransactionId cancel_tx) const {
  const Slot* slot = find(cancel_tx);
  if (slot == nullptr || !slot->is_server()) return std::nullopt;
  if (slot->request() == nullptr) return std::nullopt;
  const ServerEntry* entry = table_.match_cancel(*slot->request());
  if (entry == nullptr || entry->id == cancel_tx) return std::nullopt;
  return entry->id;
}

bool TransactionLayer::is_merged(TransactionId server_tx) const {
  const Slot* slot = find(server_tx);
  return slot != nullptr && slot->is_server() && slot->request() != nullptr &&
         table_.is_merged(*slot->request(), server_tx);
}

const sip::Message* TransactionLayer::request(TransactionId tx) const {
  const Slot* slot = find(tx);
  return slot == nullptr ? nullptr : slot->request();
}

std::optional<Peer> TransactionLayer::peer(TransactionId tx) const {
  const Slot* slot = find(tx);
  if (slot == nullptr) return std::nullopt;
  return slot->peer;
}

void TransactionLayer::abandon(TransactionId tx, TimePoint now) {
  CallScope scope(*this, now);
  // Reaped with the terminated ones: its timers find no slot and are dropped as stale.
  if (find(tx) != nullptr) dead_.push_back(tx);
}

TransactionLayer::Slot* TransactionLayer::find(TransactionId id) const {
  auto it = slots_.find(id);
  return it == slots_.end() ? nullptr : it->second.get();
}

bool TransactionLayer::send(TransactionId id, std::string_view bytes) {
  Slot* slot = find(id);
  return slot != nullptr && sender_.send(slot->peer, bytes);
}

void TransactionLayer::arm_timer(TransactionId id, TimerKind kind, Duration delay,
                                 std::uint32_t generation) {
  timers_.schedule(now_ + delay, id, kind, generation);
}

void TransactionLayer::pass_response(TransactionId id, const sip::Message& response) {
  user_.on_response(id, response);
}
void TransactionLayer::pass_request(TransactionId id, const sip::Message& request) {
  user_.on_request(id, request);
}
void TransactionLayer::timeout(TransactionId id) { user_.on_timeout(id); }
void TransactionLayer::transport_error(TransactionId id) { user_.on_transport_error(id); }
void TransactionLayer::terminated(TransactionId id) { dead_.push_back(id); }

std::unique_ptr<sip::Message> TransactionLayer::adopt(sip::Message&& msg) {
  if (spare_messages_.empty()) return std::make_unique<sip::Message>(std::move(msg));
  std::unique_ptr<sip::Message> m = std::move(spare_messages_.back());
  spare_messages_.pop_back();
  *m = std::move(msg);
  return m;
}

void TransactionLayer::recycle(std::unique_ptr<sip::Message> msg) {
  if (!msg || spare_messages_.size() >= kSpareMessages) return;
  msg->clear();  // frees its bytes now, not when it is next used
  spare_messages_.push_back(std::move(msg));
}

void TransactionLayer::release_settled() {
  for (const TransactionId id : settled_) {
    Slot* slot = find(id);
    if (slot == nullptr) continue;
    // RFC 2543 requests are matched on most of their fields (§17.2.3): kept to the end.
    if (slot->is_server() && !slot->entry().rfc3261()) continue;
    if (std::visit([](const auto& m) { return m.needs_request(); }, slot->machine)) continue;
    recycle(std::visit([](auto& m) { return m.release_request(); }, slot->machine));
    if (slot->is_server()) slot->entry().request = nullptr;
  }
  settled_.clear();
}

void TransactionLayer::reap() {
  if (reaping_) return;
  reaping_ = true;
  while (!dead_.empty()) {
    const TransactionId id = dead_.back();
    dead_.pop_back();
    auto it = slots_.find(id);
    if (it == slots_.end()) continue;
    if (it->second->is_server()) {
      table_.remove_server(it->second->entry());
    } else {
      table_.remove_client(it->second->client());
    }
    recycle(std::visit([](auto& m) { return m.release_request(); }, it->second->machine));
    slots_.erase(it);
    user_.on_terminated(id);
  }
  reaping_ = false;
}

}  // namespace trapezoid::transaction
