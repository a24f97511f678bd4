// Worker to worker over TLS: the opening side verifies the server against the CA and the
// target's address or name (RFC 3261 §26.2.2); failures reach on_transport_error for every
// queued message and nothing is delivered; sips: requests go over TLS only.
#include <gtest/gtest.h>

#include "sip_samples.hpp"
#include "tls_peer.hpp"
#include "tls_test_pki.hpp"

namespace trapezoid::transport {
namespace {

using namespace testing;

std::string tls_request(std::string_view branch) {
  return options_request("SIP/2.0/TLS client.example.com;branch=z9hG4bK" + std::string(branch), "",
                         std::string(branch) + "@client.example.com");
}

class WorkerTlsVerify : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(pki.ok()) << pki.error;
    ASSERT_FALSE(client.start_error) << client.start_error.message();
  }
  bool v6() const { return GetParam(); }
  // The far end's TLS listener.
  Target tls_target(const RunningWorker& far) const { return Target{far.local(TransportKind::kTls, v6()), 0}; }
  // Whether the far end's error was a certificate check, by the log line of the client side.
  bool logged_failure(std::string_view why) { return client_rec.wait_log(why); }

  const TestPki& pki = test_pki();
  Recorder client_rec;
  RunningWorker client{client_rec, tls_loopback_config(test_pki().server)};
};

TEST_P(WorkerTlsVerify, RequestAndAnswerBetweenWorkersReuseOneConnection) {
  Recorder far_rec;
  RunningWorker far{far_rec, tls_loopback_config(pki.server)};
  ASSERT_FALSE(far.start_error) << far.start_error.message();
  client.worker.send(tls_request("w1"), tls_target(far));
  client.worker.send(tls_request("w2"), tls_target(far));
  ASSERT_TRUE(far_rec.wait_messages(2));
  std::vector<Received> got = far_rec.take();
  EXPECT_EQ(got[0].from.remote.transport, TransportKind::kTls);
  EXPECT_EQ(got[0].from.connection, got[1].from.connection);
  EXPECT_EQ(far.worker.connection_count(), 1u);
  // The answers come back on the same connection, as kTls.
  ASSERT_TRUE(client_rec.wait_messages(2));
  std::vector<Received> answers = client_rec.take();
  EXPECT_EQ(answers[0].msg.status_code(), 200);
  EXPECT_EQ(answers[0].from.remote.transport, TransportKind::kTls);
  EXPECT_EQ(answers[0].from.remote, tls_target(far).remote);
  EXPECT_EQ(answers[0].from.connection, answers[1].from.connection);
  EXPECT_EQ(client.worker.connection_count(), 1u);
  EXPECT_EQ(client_rec.error_count(), 0u);
}

TEST_P(WorkerTlsVerify, ServerReachedByNameIsVerifiedByName) {
  Recorder far_rec;
  RunningWorker far{far_rec, tls_loopback_config(pki.server)};
  ASSERT_FALSE(far.start_error) << far.start_error.message();
  client.worker.send(tls_request("l1"), tls_target(far), "localhost");
  ASSERT_TRUE(far_rec.wait_messages(1));
  ASSERT_TRUE(client_rec.wait_messages(1));
  EXPECT_EQ(client_rec.error_count(), 0u);
}

TEST_P(WorkerTlsVerify, UntrustedServerFailsEveryQueuedMessageAndGetsNothing) {
  Recorder far_rec;
  RunningWorker far{far_rec, tls_loopback_config(pki.untrusted)};
  ASSERT_FALSE(far.start_error) << far.start_error.message();
  client.worker.send(tls_request("u1"), tls_target(far));
  client.worker.send(tls_request("u2"), tls_target(far));
  ASSERT_TRUE(client_rec.wait_errors(2));
  for (const auto& [to, ec] : client_rec.errors()) {
    EXPECT_EQ(to.remote, tls_target(far).remote);
    EXPECT_TRUE(ec);
  }
  EXPECT_TRUE(logged_failure("certificate verify failed"));
  EXPECT_FALSE(far_rec.wait_messages(1, 50ms));
  EXPECT_TRUE(eventually([&] { return client.worker.connection_count() == 0; }));

  // Both sides go on serving: the client reaches a trusted server, the far end a client that
  // does not check certificates.
  Recorder good_rec;
  RunningWorker good{good_rec, tls_loopback_config(pki.server)};
  ASSERT_FALSE(good.start_error);
  client.worker.send(tls_request("u3"), tls_target(good));
  ASSERT_TRUE(good_rec.wait_messages(1));
  TlsPeer trusting_anyone(tls_target(far).remote, TlsPeerOptions{});
  ASSERT_TRUE(trusting_anyone.handshaken) << trusting_anyone.failure;
  ASSERT_TRUE(trusting_anyone.send(tls_request("u4")));
  EXPECT_TRUE(far_rec.wait_messages(1));
}

TEST_P(WorkerTlsVerify, HostNameMismatchFailsAndTheRightNameWorks) {
  Recorder far_rec;
  RunningWorker far{far_rec, tls_loopback_config(pki.server)};
  ASSERT_FALSE(far.start_error);
  client.worker.send(tls_request("h1"), tls_target(far), "sip.example.com");
  ASSERT_TRUE(client_rec.wait_errors(1));
  EXPECT_TRUE(logged_failure("hostname mismatch"));
  EXPECT_FALSE(far_rec.wait_messages(1, 50ms));
  client.worker.send(tls_request("h2"), tls_target(far), "localhost");
  ASSERT_TRUE(far_rec.wait_messages(1));
  EXPECT_EQ(client_rec.error_count(), 1u);
}

TEST_P(WorkerTlsVerify, AddressMismatchFailsAndTheCertificatesNameWorks) {
  // The far end's certificate names sip.example.com only: reaching it by address fails.
  Recorder far_rec;
  RunningWorker far{far_rec, tls_loopback_config(pki.named)};
  ASSERT_FALSE(far.start_error);
  client.worker.send(tls_request("a1"), tls_target(far));
  ASSERT_TRUE(client_rec.wait_errors(1));
  EXPECT_TRUE(logged_failure("IP address mismatch"));
  // Reached by the name it carries (as RFC 3263 resolution would), it is accepted.
  client.worker.send(tls_request("a2"), tls_target(far), "sip.example.com");
  ASSERT_TRUE(far_rec.wait_messages(1));
  EXPECT_EQ(far_rec.take()[0].msg.find(sip::HeaderId::kCallId)->value, "a2@client.example.com");
}

TEST_P(WorkerTlsVerify, NameCheckedConnectionIsNotReusedForAnotherName) {
  Recorder far_rec;
  RunningWorker far{far_rec, tls_loopback_config(pki.server)};
  ASSERT_FALSE(far.start_error);
  client.worker.send(tls_request("r1"), tls_target(far), "localhost");
  ASSERT_TRUE(far_rec.wait_messages(1));
  // The open connection was verified as "localhost", not as sip.example.com: a new one is
  // opened, and fails the check.
  client.worker.send(tls_request("r2"), tls_target(far), "sip.example.com");
  ASSERT_TRUE(client_rec.wait_errors(1));
  EXPECT_FALSE(far_rec.wait_messages(2, 50ms));
}

TEST_P(WorkerTlsVerify, WithoutServerVerificationAnyCertificateIsAccepted) {
  Recorder far_rec;
  RunningWorker far{far_rec, tls_loopback_config(pki.untrusted)};
  ASSERT_FALSE(far.start_error);
  Recorder lax_rec;
  WorkerConfig lax = tls_loopback_config(pki.server);
  lax.tls.verify_server = false;
  RunningWorker lax_client{lax_rec, lax};
  ASSERT_FALSE(lax_client.start_error);
  lax_client.worker.send(tls_request("v1"), tls_target(far));
  EXPECT_TRUE(far_rec.wait_messages(1));
  EXPECT_EQ(lax_rec.error_count(), 0u);
}

TEST_P(WorkerTlsVerify, MutualTlsBetweenWorkers) {
  Recorder far_rec;
  WorkerConfig c = tls_loopback_config(pki.server);
  c.tls.verify_client = true;
  RunningWorker far{far_rec, c};
  ASSERT_FALSE(far.start_error);
  client.worker.send(tls_request("m1"), tls_target(far));
  ASSERT_TRUE(far_rec.wait_messages(1));
  ASSERT_TRUE(client_rec.wait_messages(1));
}

TEST_P(WorkerTlsVerify, SipsRequestGoesOverTlsOnly) {
  Recorder far_rec;
  RunningWorker far{far_rec, tls_loopback_config(pki.server)};
  ASSERT_FALSE(far.start_error);
  std::string sips = tls_request("s1");
  sips.replace(sips.find("sip:bob@biloxi.com"), 18, "sips:bob@biloxi.com");
  // RFC 3261 §26.2.2: not over TCP (nor UDP)...
  client.worker.send(sips, Target{far.local(TransportKind::kTcp, v6()), 0});
  client.worker.send(sips, Target{far.local(TransportKind::kUdp, v6()), 0});
  ASSERT_TRUE(client_rec.wait_errors(2));
  for (const auto& [to, ec] : client_rec.errors()) EXPECT_EQ(ec, TlsErrc::kSipsNeedsTls);
  EXPECT_TRUE(client_rec.wait_log("not sending a sips: request"));
  EXPECT_FALSE(far_rec.wait_messages(1, 50ms));
  // ... but over TLS.
  client.worker.send(sips, tls_target(far));
  ASSERT_TRUE(far_rec.wait_messages(1));
  EXPECT_EQ(far_rec.take()[0].msg.request_uri(), "sips:bob@biloxi.com");
}

TEST_P(WorkerTlsVerify, NameOpenSslCannotSendIsRefusedAtOnce) {
  // A DNS name has at most 255 bytes (RFC 1035 §2.3.4); OpenSSL refuses a longer SNI.
  client.worker.send(tls_request("b1"), Target{client.local(TransportKind::kTls, v6()), 0}, std::string(300, 'a'));
  ASSERT_TRUE(client_rec.wait_errors(1));
  EXPECT_EQ(client_rec.errors()[0].second, TlsErrc::kBadServerName);
  EXPECT_EQ(client.worker.connection_count(), 0u);
}

TEST_P(WorkerTlsVerify, ClosedPortIsATransportError) {
  Endpoint nowhere = client.local(TransportKind::kTls, v6());
  nowhere.port = free_port(nowhere);
  client.worker.send(tls_request("c1"), Target{nowhere, 0});
  EXPECT_TRUE(client_rec.wait_errors(1));
}

std::string family(const ::testing::TestParamInfo<bool>& p) { return p.param ? "IPv6" : "IPv4"; }
INSTANTIATE_TEST_SUITE_P(Loopback, WorkerTlsVerify, ::testing::Values(false, true), family);

TEST(WorkerTlsHandshake, ServerThatNeverAnswersTheHandshakeTimesOut) {
  ASSERT_TRUE(test_pki().ok()) << test_pki().error;
  // A listener that nobody accepts on: the kernel completes the TCP handshake, and then
  // nothing ever answers the ClientHello.
  Fd mute(::socket(AF_INET, SOCK_STREAM, 0));
  Endpoint to{TransportKind::kTls, *IpAddress::parse("127.0.0.1"), 0};
  sockaddr_storage ss;
  socklen_t len = to_sockaddr(to, ss);
  ASSERT_EQ(::bind(mute.get(), reinterpret_cast<sockaddr*>(&ss), len), 0);
  ASSERT_EQ(::listen(mute.get(), 4), 0);
  to.port = local_port(mute.get());
  Recorder rec;
  WorkerConfig c = tls_loopback_config(test_pki().server);
  c.connect_timeout = 200ms;
  RunningWorker w{rec, c};
  ASSERT_FALSE(w.start_error);
  const auto start = std::chrono::steady_clock::now();
  w.worker.send(tls_request("t1"), Target{to, 0});
  ASSERT_TRUE(rec.wait_errors(1));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 150ms);
  EXPECT_EQ(rec.errors()[0].second, std::errc::timed_out);
  EXPECT_TRUE(rec.wait_log("timed out"));
}

}  // namespace
}  // namespace trapezoid::transport
