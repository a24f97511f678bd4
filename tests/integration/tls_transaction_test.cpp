// The transaction layer over TLS (RFC 3261 §26.2.1): a SipWorker with a TLS listener answers
// OPTIONS from an OpenSSL test client on the request's connection; a client transaction
// reaches another SipWorker over TLS; one whose server fails verification ends in a
// transport error (§8.1.3.1), and the server sees nothing.
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "sip/response.hpp"
#include "sip_client.hpp"
#include "tls_peer.hpp"
#include "tls_test_pki.hpp"
#include "transaction/sip_worker.hpp"
#include "transaction/transport_peer.hpp"

namespace trapezoid::integration {
namespace {

using transport::TransportKind;
using transport::testing::test_pki;
using transport::testing::TestPki;
using transport::testing::TlsPeer;
using transport::testing::trusting;

// A TU on a SipWorker listening for TLS on 127.0.0.1: answers OPTIONS with 200, anything
// else with 501, and records what its own client transactions get.
class TlsNode final : public transaction::TransactionUser, public transport::Logger {
 public:
  explicit TlsNode(const TestPki::Identity& id) : worker_(config(id), *this, *this) {
    start_error = worker_.start();
    if (!start_error) thread_ = std::thread([this] { worker_.run(); });
  }
  ~TlsNode() override {
    worker_.stop();
    if (thread_.joinable()) thread_.join();
  }
  TlsNode(const TlsNode&) = delete;
  TlsNode& operator=(const TlsNode&) = delete;

  [[nodiscard]] transport::Endpoint tls() const {
    for (const transport::Endpoint& e : worker_.local_endpoints())
      if (e.transport == TransportKind::kTls) return e;
    return {};
  }
  // Any thread: starts a client transaction to `to` on the worker's thread.
  void send_request(std::string bytes, const transport::Endpoint& to) {
    const transaction::Peer peer = transaction::to_peer(transport::Target{to, 0});
    worker_.post([this, b = std::move(bytes), peer] { (void)worker_.send_request(b, peer); });
  }
  // The same, to a server known by `name` (RFC 5922 §4): its certificate is checked against it.
  void send_request_to_name(std::string bytes, const transport::Endpoint& to, std::string name) {
    worker_.post([this, b = std::move(bytes), to, n = std::move(name)] {
      transaction::Peer peer = transaction::to_peer(transport::Target{to, 0});
      peer.tls_name = worker_.tls_name_id(n);
      (void)worker_.send_request(b, peer);
    });
  }

  // Waits (bounded) until `pred` holds over the counts.
  template <class Pred>
  bool wait(Pred pred, std::chrono::milliseconds timeout = 3s) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [&] { return pred(); });
  }
  int requests = 0;         // new requests that reached the TU
  int ok_responses = 0;     // 200s to our client transactions
  int transport_errors = 0;
  std::error_code start_error;

  void on_request(transaction::TransactionId tx, const sip::Message& req) override {
    {
      std::lock_guard lock(mutex_);
      ++requests;
      cv_.notify_all();
    }
    sip::BuildResult r = sip::make_response(req, req.method() == sip::Method::kOptions ? 200 : 501, {},
                                            "tls" + std::to_string(tx));
    if (r.ok()) worker_.respond(tx, r.bytes);
  }
  void on_response(transaction::TransactionId, const sip::Message& response) override {
    std::lock_guard lock(mutex_);
    if (response.status_code() == 200) ++ok_responses;
    cv_.notify_all();
  }
  void on_stray_ack(const sip::Message&, const transaction::Peer&) override {}
  void on_stray_response(const sip::Message&, const transaction::Peer&) override {}
  void on_timeout(transaction::TransactionId) override {}
  void on_transport_error(transaction::TransactionId) override {
    std::lock_guard lock(mutex_);
    ++transport_errors;
    cv_.notify_all();
  }
  void log(transport::LogLevel, std::string_view) override {}

 private:
  static transport::WorkerConfig config(const TestPki::Identity& id) {
    transport::WorkerConfig c = transport::testing::tls_loopback_config(id);
    c.addresses = {"127.0.0.1"};
    return c;
  }

  std::mutex mutex_;
  std::condition_variable cv_;
  transaction::SipWorker worker_;
  std::thread thread_;
};

// An OPTIONS whose top Via names TLS and `node`'s TLS port.
std::string options_over_tls(std::uint16_t via_port, std::string branch) {
  RequestSpec s;
  s.transport = "TLS";
  s.port = via_port;
  s.branch = "z9hG4bK" + std::move(branch);
  return request_text(s);
}

class TlsTransaction : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(test_pki().ok()) << test_pki().error;
    ASSERT_FALSE(server.start_error) << server.start_error.message();
  }
  TlsNode server{test_pki().server};
};

TEST_F(TlsTransaction, OptionsFromATlsClientGets200OnItsConnection) {
  TlsPeer client(server.tls(), trusting(test_pki().ca_cert));
  ASSERT_TRUE(client.handshaken) << client.failure;
  ASSERT_TRUE(client.send(options_over_tls(client.port(), "tls-opt")));
  ASSERT_TRUE(client.read_until("\r\n\r\n"));
  EXPECT_EQ(status_of(client.buffer), 200);
  EXPECT_NE(client.buffer.find("branch=z9hG4bKtls-opt"), std::string::npos);
  EXPECT_TRUE(server.wait([&] { return server.requests == 1; }));
  // A second request on the same connection is a new transaction, answered there too.
  ASSERT_TRUE(client.send(options_over_tls(client.port(), "tls-opt2")));
  ASSERT_TRUE(client.read_until("branch=z9hG4bKtls-opt2"));
  EXPECT_TRUE(server.wait([&] { return server.requests == 2; }));
}

TEST_F(TlsTransaction, ClientTransactionReachesAnotherWorkerOverTls) {
  TlsNode caller{test_pki().server};
  ASSERT_FALSE(caller.start_error) << caller.start_error.message();
  caller.send_request(options_over_tls(caller.tls().port, "tls-out"), server.tls());
  EXPECT_TRUE(caller.wait([&] { return caller.ok_responses == 1; }));
  EXPECT_TRUE(server.wait([&] { return server.requests == 1; }));
  EXPECT_EQ(caller.transport_errors, 0);
}

TEST_F(TlsTransaction, UnverifiedServerIsATransportErrorForTheTransaction) {
  TlsNode impostor{test_pki().untrusted};
  ASSERT_FALSE(impostor.start_error) << impostor.start_error.message();
  TlsNode caller{test_pki().server};
  ASSERT_FALSE(caller.start_error);
  caller.send_request(options_over_tls(caller.tls().port, "tls-bad"), impostor.tls());
  EXPECT_TRUE(caller.wait([&] { return caller.transport_errors == 1; }));
  EXPECT_EQ(caller.ok_responses, 0);
  EXPECT_FALSE(impostor.wait([&] { return impostor.requests > 0; }, 50ms));
  // The caller goes on: the trusted server is reached.
  caller.send_request(options_over_tls(caller.tls().port, "tls-good"), server.tls());
  EXPECT_TRUE(caller.wait([&] { return caller.ok_responses == 1; }));
}

TEST_F(TlsTransaction, ServerKnownByNameIsCheckedAgainstTheName) {
  // A certificate for sip.example.com alone: not valid for 127.0.0.1, valid for the name.
  TlsNode named{test_pki().named};
  ASSERT_FALSE(named.start_error) << named.start_error.message();
  TlsNode caller{test_pki().server};
  ASSERT_FALSE(caller.start_error);
  caller.send_request(options_over_tls(caller.tls().port, "tls-addr"), named.tls());
  EXPECT_TRUE(caller.wait([&] { return caller.transport_errors == 1; }));
  caller.send_request_to_name(options_over_tls(caller.tls().port, "tls-other"), named.tls(), "other.example.com");
  EXPECT_TRUE(caller.wait([&] { return caller.transport_errors == 2; }));
  EXPECT_FALSE(named.wait([&] { return named.requests > 0; }, 50ms));
  caller.send_request_to_name(options_over_tls(caller.tls().port, "tls-name"), named.tls(), "sip.example.com");
  EXPECT_TRUE(caller.wait([&] { return caller.ok_responses == 1; }));
  EXPECT_TRUE(named.wait([&] { return named.requests == 1; }));
  EXPECT_EQ(caller.transport_errors, 2);
}

}  // namespace
}  // namespace trapezoid::integration
