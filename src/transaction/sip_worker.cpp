#include "transaction/sip_worker.hpp"

#include <string>
#include <utility>

#include "transaction/transport_peer.hpp"
#include "transport/response_route.hpp"

namespace trapezoid::transaction {

// Marks a call into the layer; the outermost one re-arms the wake-up when it returns.
class SipWorker::Busy {
 public:
  explicit Busy(SipWorker& w) : w_(w) { ++w_.depth_; }
  ~Busy() {
    if (--w_.depth_ == 0) w_.rearm();
  }
  Busy(const Busy&) = delete;
  Busy& operator=(const Busy&) = delete;

 private:
  SipWorker& w_;
};

namespace {

// Where a server transaction's responses go: RFC 3261 §18.2.2 (and RFC 3581 §4) from the
// request's top Via as stamped on receipt, on the request's connection for a stream. A Via
// that names a host to resolve (RFC 3263 §5) falls back to the source.
Peer response_peer(const sip::Message& request, const transport::Source& from) {
  transport::ResponseRoute route;
  if (transport::route_response(request, from.connection, route))
    if (std::optional<transport::Target> t = route.target()) return to_peer(*t);
  return to_peer(from);
}

}  // namespace

SipWorker::SipWorker(transport::WorkerConfig config, TransactionUser& user, transport::Logger& logger,
                     TimerConfig timers)
    : layer_(*this, user, timers), transport_(std::move(config), *this, logger) {}

SipWorker::~SipWorker() {
  // The transport closes its sockets next; whatever it reports while closing goes nowhere.
  closing_ = true;
}

std::error_code SipWorker::start() { return transport_.start(); }
void SipWorker::run() { transport_.run(); }
void SipWorker::stop() { transport_.stop(); }
void SipWorker::post(std::function<void()> fn) { transport_.post(std::move(fn)); }
std::vector<transport::Endpoint> SipWorker::local_endpoints() const { return transport_.local_endpoints(); }

bool SipWorker::respond(TransactionId server_tx, std::string_view response_bytes) {
  Busy busy(*this);
  return layer_.respond(server_tx, response_bytes, now());
}

bool SipWorker::respond(TransactionId server_tx, const OutgoingResponse& response) {
  Busy busy(*this);
  return layer_.respond(server_tx, response, now());
}

std::optional<TransactionId> SipWorker::send_request(std::string_view request_bytes, const Peer& destination) {
  Busy busy(*this);
  const auto kind = static_cast<transport::TransportKind>(destination.transport);
  const Reliability r = transport::is_reliable(kind) ? Reliability::kReliable : Reliability::kUnreliable;
  return layer_.send_request(request_bytes, destination, r, now());
}

bool SipWorker::send_stateless(std::string_view bytes, const Peer& destination) {
  // As send(), but an immediate failure is this call's alone: no transaction is told.
  sending_stateless_ = true;
  stateless_failed_ = false;
  transmit(bytes, destination);
  sending_stateless_ = false;
  return !stateless_failed_;
}

std::uint32_t SipWorker::tls_name_id(std::string_view name) {
  if (name.empty()) return 0;
  const std::string key(name);
  if (auto it = tls_name_ids_.find(key); it != tls_name_ids_.end()) return it->second;
  if (tls_names_.size() >= kMaxTlsNames) return 0;
  tls_names_.push_back(key);
  const auto id = static_cast<std::uint32_t>(tls_names_.size());
  tls_name_ids_.emplace(key, id);
  return id;
}

void SipWorker::transmit(std::string_view bytes, const Peer& peer) {
  const transport::Target target = to_target(peer);
  if (peer.tls_name != 0 && peer.tls_name <= tls_names_.size() &&
      target.remote.transport == transport::TransportKind::kTls) {
    return transport_.send(std::string(bytes), target, tls_names_[peer.tls_name - 1]);
  }
  transport_.send(std::string(bytes), target);
}

void SipWorker::abandon(TransactionId client_tx) {
  Busy busy(*this);
  layer_.abandon(client_tx, now());
}

SipWorker::TimerHandle SipWorker::schedule(TimePoint when, std::function<void()> fn) {
  const TimerHandle handle = next_timer_++;
  tu_timers_.emplace(std::make_pair(when, handle), std::move(fn));
  tu_deadlines_.emplace(handle, when);
  rearm();
  return handle;
}

void SipWorker::cancel_timer(TimerHandle handle) {
  auto it = tu_deadlines_.find(handle);
  if (it == tu_deadlines_.end()) return;
  tu_timers_.erase({it->second, handle});
  tu_deadlines_.erase(it);
  // The wake-up may now be early; an early wake-up finds nothing due and re-arms.
}

void SipWorker::run_tu_timers(TimePoint now) {
  // One at a time: a callback may schedule or cancel others.
  while (!tu_timers_.empty() && tu_timers_.begin()->first.first <= now) {
    auto first = tu_timers_.begin();
    std::function<void()> fn = std::move(first->second);
    tu_deadlines_.erase(first->first.second);
    tu_timers_.erase(first);
    fn();
  }
}

void SipWorker::rearm() {
  if (depth_ != 0 || closing_) return;
  if (armed_) {
    // Nothing armed since the wake-up was set comes before it: it stands, and the timer heap
    // (large on a busy server, and cold in the cache) is not read on every message.
    const std::optional<TimePoint> fresh = layer_.earliest_armed_since();
    const bool tu_earlier = !tu_timers_.empty() && tu_timers_.begin()->first.first < *armed_;
    if ((!fresh || *fresh >= *armed_) && !tu_earlier) return;
  }
  std::optional<TimePoint> next = layer_.next_deadline();
  if (!tu_timers_.empty()) {
    const TimePoint tu_next = tu_timers_.begin()->first.first;
    if (!next || tu_next < *next) next = tu_next;
  }
  // The wake-up only ever moves earlier. Most timers are stopped within milliseconds of being
  // set (A and E end with the first response), so following the next deadline out again would
  // reprogram the OS timer, a system call, on nearly every message. A wake-up that comes too
  // early, or with nothing left to do, finds nothing due and re-arms for what is then next.
  if (!next || (armed_ && *armed_ <= *next)) return;
  armed_ = next;
  transport_.wake_at(*next, [this] { wake(); });
}

void SipWorker::wake() {
  armed_.reset();  // the wake-up is spent
  Busy busy(*this);
  const TimePoint t = now();
  layer_.advance(t);
  run_tu_timers(t);
}

void SipWorker::on_message(sip::Message&& msg, const transport::Source& from) {
  if (closing_) return;
  if (!msg.is_request() && router_ && router_(msg, from)) return;
  Busy busy(*this);
  const bool reliable = transport::is_reliable(from.remote.transport);
  const Peer peer = msg.is_request() ? response_peer(msg, from) : to_peer(from);
  layer_.receive(std::move(msg), reliable, peer, now());
}

void SipWorker::on_transport_error(const transport::Target& to, std::error_code /*error*/) {
  if (sending_stateless_) {
    stateless_failed_ = true;
    return;
  }
  // Inside send(): the failing send returns false and the layer reports it (§17.1.4, §17.2.4).
  if (sending_) {
    send_failed_ = true;
    return;
  }
  // Later (a connection refused, reset or timed out): every transaction using that peer.
  if (closing_) return;
  Busy busy(*this);
  layer_.report_transport_error(to_peer(to), now());
}

bool SipWorker::send(const Peer& peer, std::string_view bytes) {
  // Called by the layer, on the worker's thread: the transport sends at once, and reports an
  // immediate failure before returning.
  sending_ = true;
  send_failed_ = false;
  transmit(bytes, peer);
  sending_ = false;
  return !send_failed_;
}

}  // namespace trapezoid::transaction
