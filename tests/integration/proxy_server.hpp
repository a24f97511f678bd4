// The proxy on a real SipWorker for the integration tests: a ProxyCore with a location service
// held in a map (the domain "example.com"), listening on 127.0.0.1 (ephemeral UDP and TCP
// ports), its own thread; and plain UDP user agents that read and answer what it sends.
//
//   ProxyServer proxy({binding("sip:bob@example.com", bob.port())}, fast_timers());
//   alice.send(proxy.udp(), invite_text);
//   std::optional<Received> inv = await_request(bob, "INVITE");
//   bob.send(proxy.udp(), answer(*inv, 180, "b1"));
#pragma once

#include "loopback_worker_config.hpp"

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "proxy/proxy_core.hpp"
#include "proxy/sip_worker_environment.hpp"
#include "registrar/locator.hpp"
#include "sip/header_list.hpp"
#include "sip/parser.hpp"
#include "sip/response.hpp"
#include "sip_client.hpp"
#include "transaction/sip_worker.hpp"

namespace trapezoid::integration {

// Bindings are set before the worker starts and only read on its thread afterwards.
class MapLocator final : public registrar::Locator {
 public:
  explicit MapLocator(std::vector<registrar::Binding> bindings) {
    for (registrar::Binding& b : bindings) by_aor_[b.aor].push_back(std::move(b));
  }
  [[nodiscard]] bool is_local_domain(std::string_view host) const override { return host == "example.com"; }
  [[nodiscard]] bool is_known(std::string_view aor) const override { return by_aor_.contains(std::string(aor)); }
  [[nodiscard]] std::vector<registrar::Binding> lookup(std::string_view aor, registrar::UnixSeconds now) const override {
    std::vector<registrar::Binding> out;
    auto it = by_aor_.find(std::string(aor));
    if (it == by_aor_.end()) return out;
    for (const registrar::Binding& b : it->second)
      if (b.expires_at > now) out.push_back(b);
    return out;
  }

 private:
  std::map<std::string, std::vector<registrar::Binding>> by_aor_;
};

// A binding of `aor` to a UA listening on 127.0.0.1:port, for an hour from now.
inline registrar::Binding binding(const std::string& aor, std::uint16_t port, const std::string& user = "bob") {
  registrar::Binding b;
  b.aor = aor;
  b.contact = "sip:" + user + "@127.0.0.1:" + std::to_string(port);
  b.expires_at = std::chrono::duration_cast<std::chrono::seconds>(
                     std::chrono::system_clock::now().time_since_epoch()).count() + 3600;
  return b;
}

class ProxyServer final : public proxy::LocalRequestHandler, public transport::Logger {
 public:
  ProxyServer(std::vector<registrar::Binding> bindings, transaction::TimerConfig timers)
      : locator_(std::move(bindings)),
        core_(proxy::ProxyConfig{}, locator_, env_, *this, *this),
        worker_(worker_config(), core_, *this, timers) {
    env_.attach(worker_);
    start_error = worker_.start();
    if (!start_error) thread_ = std::thread([this] { worker_.run(); });
  }
  ~ProxyServer() override {
    worker_.stop();
    if (thread_.joinable()) thread_.join();
  }
  ProxyServer(const ProxyServer&) = delete;
  ProxyServer& operator=(const ProxyServer&) = delete;

  [[nodiscard]] transport::Endpoint udp() const {
    for (const transport::Endpoint& e : worker_.local_endpoints())
      if (e.transport == transport::TransportKind::kUdp) return e;
    return {};
  }

  std::error_code start_error;

  // proxy::LocalRequestHandler: no registrar in these tests.
  void on_register(const proxy::ReplyTo& reply, const sip::Message& req) override {
    sip::BuildResult r = sip::make_response(req, 501, {}, "reg");
    if (!r.ok()) return;
    if (reply.tx) worker_.respond(*reply.tx, r.bytes);
    else worker_.send_stateless(r.bytes, reply.peer);
  }
  // transport::Logger
  void log(transport::LogLevel, std::string_view) override {}

 private:
  static transport::WorkerConfig worker_config() { return loopback_worker_config(); }

  MapLocator locator_;
  proxy::SipWorkerEnvironment env_;
  proxy::ProxyCore core_;          // outlives the worker, which calls it
  transaction::SipWorker worker_;
  std::thread thread_;
};

// A datagram a user agent received, parsed (the Message borrows `bytes`: keep both together).
struct Received {
  std::string bytes;
  sip::Message message;
  Received() = default;
  Received(const Received&) = delete;
  Received& operator=(const Received&) = delete;
  Received(Received&& other) noexcept : bytes(std::move(other.bytes)) {
    (void)sip::parse_datagram(bytes, message);
  }
};

// Reads datagrams until one satisfies `match` or the timeout passes; others are skipped.
template <class Match>
std::optional<Received> await_message(UdpPeer& peer, Match&& match, std::chrono::milliseconds timeout = 3s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    std::optional<std::string> got = peer.receive(left);
    if (!got) return std::nullopt;
    Received r;
    r.bytes = std::move(*got);
    if (!sip::parse_datagram(r.bytes, r.message).ok()) continue;
    if (match(r.message)) return std::optional<Received>(std::move(r));
  }
}

inline std::optional<Received> await_request(UdpPeer& peer, std::string_view method,
                                             std::chrono::milliseconds timeout = 3s) {
  return await_message(peer, [&](const sip::Message& m) { return m.is_request() && m.method_name() == method; },
                       timeout);
}

inline std::optional<Received> await_response(UdpPeer& peer, int status, std::string_view cseq_method,
                                              std::chrono::milliseconds timeout = 3s) {
  return await_message(peer, [&](const sip::Message& m) {
    if (!m.is_response() || m.status_code() != status) return false;
    const sip::HeaderField* cseq = m.find(sip::HeaderId::kCSeq);
    return cseq != nullptr && std::string_view(cseq->value).ends_with(cseq_method);
  }, timeout);
}

// A UAS's response to `request` (§8.2.6): Record-Route copied (§12.1.1), a Contact when given.
inline std::string answer(const sip::Message& request, int status, const std::string& tag,
                          const std::string& contact = {}) {
  static constexpr sip::HeaderId kCopy[] = {sip::HeaderId::kRecordRoute};
  std::vector<sip::HeaderLine> lines;
  if (!contact.empty()) lines.emplace_back(sip::HeaderId::kContact, contact);
  sip::ResponseOptions o;
  o.copy = kCopy;
  o.headers = lines;
  return sip::make_response(request, status, {}, tag, o).bytes;
}

// Every element of a list header.
inline std::vector<std::string> list_of(const sip::Message& m, sip::HeaderId id) {
  std::vector<std::string> out;
  (void)sip::for_each_element(m, id, [&](std::string_view e) {
    out.emplace_back(e);
    return true;
  });
  return out;
}

}  // namespace trapezoid::integration
