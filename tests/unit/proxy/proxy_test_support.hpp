// Helpers for the proxy unit tests: a ProxyCore on a pure TransactionLayer, with a fake
// transport and clock (TestEnvironment), a location service in a map (MapLocator), and
// requests written as text.
//
//   ProxyFixture f;                       // proxy at 192.0.2.1:5060 (UDP, TCP) and [2001:db8::1]
//   f.locator.bind("sip:bob@example.com", "sip:bob@192.0.2.20");
//   f.start();
//   f.receive(invite());                  // from alice, 192.0.2.10:5060
//   f.env.requests_to(f.bob1);            // what the proxy sent on
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "proxy/proxy_core.hpp"
#include "registrar/locator.hpp"
#include "sip/header_list.hpp"
#include "sip/parser.hpp"
#include "sip/response.hpp"
#include "transaction/transaction_layer.hpp"
#include "transport/handler.hpp"

namespace trapezoid::proxy::test {

using namespace std::chrono_literals;
using transaction::Duration;
using transaction::TransactionLayer;

// Parses and owns `text`.
inline sip::Message parse(std::string_view text) {
  sip::Message m;
  EXPECT_TRUE(sip::parse_datagram(text, m).ok()) << text;
  m.own();
  return m;
}

// The value of the first field `name` of a message, "" when absent.
inline std::string header(const sip::Message& m, sip::HeaderId id) {
  const sip::HeaderField* h = m.find(id);
  return h == nullptr ? std::string() : std::string(h->value);
}

// Every element of a list header, across its fields.
inline std::vector<std::string> elements(const sip::Message& m, sip::HeaderId id) {
  std::vector<std::string> out;
  (void)sip::for_each_element(m, id, [&](std::string_view e) {
    out.emplace_back(e);
    return true;
  });
  return out;
}

inline Peer peer(std::uint8_t last_octet, std::uint16_t port = 5060,
                 transport::TransportKind kind = transport::TransportKind::kUdp) {
  Peer p;
  p.address = {192, 0, 2, last_octet};
  p.port = port;
  p.transport = static_cast<std::uint8_t>(kind);
  return p;
}

struct RequestSpec {
  std::string method = "INVITE";
  std::string uri = "sip:bob@example.com";
  std::string branch = "z9hG4bKalice1";
  std::string via_host = "192.0.2.10:5060";
  std::string to_tag;
  std::string call_id = "call1@192.0.2.10";
  std::uint32_t cseq = 1;
  std::string max_forwards = "70";  // "" for none
  std::string extra;                // more header lines, each ending in \r\n
};

inline std::string request_text(const RequestSpec& s) {
  std::string t = s.method + " " + s.uri + " SIP/2.0\r\n";
  t += "Via: SIP/2.0/UDP " + s.via_host + ";branch=" + s.branch + "\r\n";
  if (!s.max_forwards.empty()) t += "Max-Forwards: " + s.max_forwards + "\r\n";
  t += "To: <sip:bob@example.com>" + (s.to_tag.empty() ? "" : ";tag=" + s.to_tag) + "\r\n";
  t += "From: Alice <sip:alice@example.com>;tag=a1\r\n";
  t += "Call-ID: " + s.call_id + "\r\n";
  t += "CSeq: " + std::to_string(s.cseq) + " " + s.method + "\r\n";
  t += "Contact: <sip:alice@192.0.2.10:5060>\r\n";
  t += s.extra;
  t += "Content-Length: 0\r\n\r\n";
  return t;
}

// A location service in a map: domains, users, bindings (expired ones are skipped).
class MapLocator final : public registrar::Locator {
 public:
  std::set<std::string> domains = {"example.com"};
  std::set<std::string> users;
  std::map<std::string, std::vector<registrar::Binding>> bindings;

  registrar::Binding& bind(const std::string& aor, const std::string& contact, int q = -1,
                           registrar::UnixSeconds expires_at = 1'700'003'600) {
    users.insert(aor);
    registrar::Binding b;
    b.aor = aor;
    b.contact = contact;
    b.q = q;
    b.expires_at = expires_at;
    return bindings[aor].emplace_back(std::move(b));
  }

  [[nodiscard]] bool is_local_domain(std::string_view host) const override {
    std::string lower(host);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return domains.contains(lower);
  }
  [[nodiscard]] bool is_known(std::string_view aor) const override { return users.contains(std::string(aor)); }
  [[nodiscard]] std::vector<registrar::Binding> lookup(std::string_view aor, registrar::UnixSeconds now) const override {
    std::vector<registrar::Binding> out;
    auto it = bindings.find(std::string(aor));
    if (it == bindings.end()) return out;
    for (const registrar::Binding& b : it->second)
      if (b.expires_at > now) out.push_back(b);
    std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return (a.q < 0 ? 1000 : a.q) > (b.q < 0 ? 1000 : b.q);
    });
    return out;
  }
};

class RecordingHandler final : public LocalRequestHandler {
 public:
  void on_register(const ReplyTo& reply, const sip::Message& request) override {
    replies.push_back(reply);
    if (reply.tx) registers.push_back(*reply.tx);
    sources.push_back(reply.peer);
    uris.emplace_back(request.request_uri());
  }
  std::vector<ReplyTo> replies;          // every REGISTER handed over
  std::vector<TransactionId> registers;  // those with a server transaction
  std::vector<Peer> sources;
  std::vector<std::string> uris;
};

class RecordingLogger final : public transport::Logger {
 public:
  void log(transport::LogLevel, std::string_view line) override { lines.emplace_back(line); }
  [[nodiscard]] bool enabled(transport::LogLevel level) const noexcept override { return level >= threshold; }
  std::vector<std::string> lines;
  transport::LogLevel threshold = transport::LogLevel::kDebug;
};

// The proxy's world: the layer's sends and the core's stateless sends are recorded, time
// moves only when a test says so, and the core's timers run in deadline order with the
// layer's.
class TestEnvironment final : public ProxyEnvironment, public transaction::MessageSender {
 public:
  struct Sent {
    Peer peer;
    std::string bytes;
    bool stateless = false;
    [[nodiscard]] sip::Message message() const { return parse(bytes); }
  };

  // transaction::MessageSender
  bool send(const Peer& p, std::string_view bytes) override {
    sent.push_back({p, std::string(bytes), false});
    return !fail_sends && std::find(unreachable.begin(), unreachable.end(), p) == unreachable.end();
  }

  // ProxyEnvironment
  bool respond(TransactionId tx, std::string_view bytes) override { return layer_->respond(tx, bytes, now_); }
  std::optional<TransactionId> send_request(std::string_view bytes, const Peer& to) override {
    const auto kind = static_cast<transport::TransportKind>(to.transport);
    const auto r = transport::is_reliable(kind) ? transaction::Reliability::kReliable
                                                : transaction::Reliability::kUnreliable;
    return layer_->send_request(bytes, to, r, now_);
  }
  bool send_stateless(std::string_view bytes, const Peer& to) override {
    sent.push_back({to, std::string(bytes), true});
    return true;
  }
  void abandon(TransactionId tx) override { layer_->abandon(tx, now_); }
  // Numbers names as a SipWorker does: 1 for the first one asked, the same number again after.
  [[nodiscard]] std::uint32_t tls_name_id(std::string_view name) override {
    if (name.empty()) return 0;
    for (std::size_t i = 0; i < tls_names.size(); ++i)
      if (tls_names[i] == name) return static_cast<std::uint32_t>(i + 1);
    tls_names.emplace_back(name);
    return static_cast<std::uint32_t>(tls_names.size());
  }
  std::vector<std::string> tls_names;
  [[nodiscard]] const TransactionLayer& layer() const override { return *layer_; }
  [[nodiscard]] std::vector<transport::Endpoint> local_endpoints() const override { return endpoints; }
  [[nodiscard]] TimePoint now() const override { return now_; }
  [[nodiscard]] registrar::UnixSeconds unix_now() const override { return unix_; }
  TimerHandle schedule(TimePoint when, std::function<void()> fn) override {
    const TimerHandle h = next_++;
    timers_.emplace(std::make_pair(when, h), std::move(fn));
    deadlines_.emplace(h, when);
    return h;
  }
  void cancel(TimerHandle h) override {
    auto it = deadlines_.find(h);
    if (it == deadlines_.end()) return;
    timers_.erase({it->second, h});
    deadlines_.erase(it);
  }

  // Runs every timer (layer and core) due up to now + d, earliest first.
  void advance(Duration d) {
    const TimePoint until = now_ + d;
    for (;;) {
      const std::optional<TimePoint> layer_next = layer_->next_deadline();
      const std::optional<TimePoint> core_next =
          timers_.empty() ? std::nullopt : std::optional<TimePoint>(timers_.begin()->first.first);
      const bool layer_first = layer_next && (!core_next || *layer_next <= *core_next);
      const std::optional<TimePoint> next = layer_first ? layer_next : core_next;
      if (!next || *next > until) break;
      now_ = *next;
      if (layer_first) {
        layer_->advance(now_);
      } else {
        auto first = timers_.begin();
        std::function<void()> fn = std::move(first->second);
        deadlines_.erase(first->first.second);
        timers_.erase(first);
        fn();
      }
    }
    now_ = until;
  }
  [[nodiscard]] std::size_t pending_timers() const { return timers_.size(); }

  // What was sent to `to` (by the layer or statelessly), in order.
  [[nodiscard]] std::vector<Sent> sent_to(const Peer& to) const {
    std::vector<Sent> out;
    for (const Sent& s : sent)
      if (s.peer == to) out.push_back(s);
    return out;
  }
  // Requests with this method sent to `to`.
  [[nodiscard]] std::vector<Sent> requests_to(const Peer& to, std::string_view method) const {
    std::vector<Sent> out;
    for (const Sent& s : sent_to(to))
      if (s.bytes.starts_with(std::string(method) + " ")) out.push_back(s);
    return out;
  }
  // Status codes of the responses sent to `to`, in order.
  [[nodiscard]] std::vector<int> statuses_to(const Peer& to) const {
    std::vector<int> out;
    for (const Sent& s : sent_to(to))
      if (s.bytes.starts_with("SIP/2.0 ")) out.push_back(std::stoi(s.bytes.substr(8, 3)));
    return out;
  }
  // The last response with this status sent to `to`.
  [[nodiscard]] std::optional<Sent> response_to(const Peer& to, int status) const {
    std::optional<Sent> found;
    for (const Sent& s : sent_to(to))
      if (s.bytes.starts_with("SIP/2.0 " + std::to_string(status) + " ")) found = s;
    return found;
  }

  TransactionLayer* layer_ = nullptr;
  std::vector<transport::Endpoint> endpoints;
  std::vector<Sent> sent;
  bool fail_sends = false;
  std::vector<Peer> unreachable;  // sends to these fail
  registrar::UnixSeconds unix_ = 1'700'000'000;

 private:
  TimePoint now_ = TimePoint{} + 1000h;
  std::map<std::pair<TimePoint, TimerHandle>, std::function<void()>> timers_;
  std::map<TimerHandle, TimePoint> deadlines_;
  TimerHandle next_ = 1;
};

inline std::vector<transport::Endpoint> proxy_endpoints() {
  using transport::Endpoint;
  using transport::IpAddress;
  using transport::TransportKind;
  return {Endpoint{TransportKind::kUdp, *IpAddress::parse("192.0.2.1"), 5060},
          Endpoint{TransportKind::kTcp, *IpAddress::parse("192.0.2.1"), 5060},
          Endpoint{TransportKind::kUdp, *IpAddress::parse("2001:db8::1"), 5060}};
}

class ProxyFixture : public ::testing::Test {
 protected:
  ProxyFixture() { env.endpoints = proxy_endpoints(); }

  // Builds the core and the layer; tests set `config`, `timers` and `locator` first.
  void start() {
    core = std::make_unique<ProxyCore>(config, locator, env, handler, logger, resolver);
    layer = std::make_unique<TransactionLayer>(env, *core, timers);
    env.layer_ = layer.get();
  }

  // A request from alice (or `from`) arriving at the proxy.
  TransactionLayer::Received receive(const std::string& text, const Peer& from = peer(10), bool reliable = false) {
    return layer->receive(parse(text), reliable, from, env.now());
  }
  TransactionLayer::Received receive(const RequestSpec& s, const Peer& from = peer(10)) {
    return receive(request_text(s), from);
  }

  // The answer of the UAS at `from` to a request the proxy sent it: the request's Vias, From,
  // To (with `tag`), Call-ID and CSeq (§8.2.6), plus `extra` fields.
  void reply(const TestEnvironment::Sent& request, int status, const std::string& tag = "b1",
             std::span<const sip::HeaderLine> extra = {}) {
    const sip::Message req = request.message();
    sip::ResponseOptions o;
    o.headers = extra;
    static constexpr sip::HeaderId kCopy[] = {sip::HeaderId::kRecordRoute};  // §12.1.1
    o.copy = kCopy;
    const sip::BuildResult r = sip::make_response(req, status, {}, tag, o);
    ASSERT_TRUE(r.ok());
    layer->receive(parse(r.bytes), false, request.peer, env.now());
  }

  // The single request with `method` the proxy sent to `to`.
  TestEnvironment::Sent only_request(const Peer& to, std::string_view method = "INVITE") {
    const auto all = env.requests_to(to, method);
    EXPECT_EQ(all.size(), 1u) << method << " requests sent";
    return all.empty() ? TestEnvironment::Sent{} : all.front();
  }

  TestEnvironment env;
  MapLocator locator;
  RecordingHandler handler;
  RecordingLogger logger;
  ProxyConfig config;
  TargetResolver* resolver = nullptr;  // null: numeric hosts only
  transaction::TimerConfig timers;
  std::unique_ptr<ProxyCore> core;
  std::unique_ptr<TransactionLayer> layer;

  const Peer alice = peer(10);
  const Peer bob1 = peer(20);
  const Peer bob2 = peer(21);
};

}  // namespace trapezoid::proxy::test
