// The worker's TLS listener on real loopback sockets, driven by an OpenSSL client: messages
// arrive as kTls and are answered on their connection, framing is the TCP code path's, and
// clients that fail or never finish the handshake are dropped while the worker keeps serving.
#include <gtest/gtest.h>

#include "sip_samples.hpp"
#include "tls_peer.hpp"
#include "tls_test_pki.hpp"

namespace trapezoid::transport {
namespace {

using namespace testing;

std::string tls_via(std::string_view branch) {
  return "SIP/2.0/TLS client.example.com;branch=z9hG4bK" + std::string(branch);
}

class WorkerTls : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(pki.ok()) << pki.error;
    ASSERT_FALSE(w.start_error) << w.start_error.message();
  }
  bool v6() const { return GetParam(); }
  std::string bare_loopback() const { return v6() ? "::1" : "127.0.0.1"; }
  Endpoint server() const { return w.local(TransportKind::kTls, v6()); }
  TlsPeerOptions trusted() const { return trusting(pki.ca_cert); }

  // The worker still takes a TLS client's request and answers it.
  void expect_serving(std::string_view branch) {
    TlsPeer peer(server(), trusted());
    ASSERT_TRUE(peer.handshaken) << peer.failure;
    ASSERT_TRUE(peer.send(options_request(tls_via(branch))));
    ASSERT_TRUE(peer.read_until("\r\n\r\n"));
    EXPECT_TRUE(peer.buffer.starts_with("SIP/2.0 200 OK\r\n"));
  }

  const TestPki& pki = test_pki();
  Recorder rec;
  RunningWorker w{rec, tls_loopback_config(test_pki().server)};
};

TEST_P(WorkerTls, OptionsArrivesOverTlsAndTheAnswerGoesBackOnItsConnection) {
  TlsPeer peer(server(), trusted());
  ASSERT_TRUE(peer.handshaken) << peer.failure;
  ASSERT_TRUE(peer.send(options_request(tls_via("t1") + ";rport")));
  ASSERT_TRUE(rec.wait_messages(1));
  std::vector<Received> got = rec.take();
  EXPECT_EQ(got[0].from.remote.transport, TransportKind::kTls);
  EXPECT_EQ(got[0].from.remote.port, peer.port());
  EXPECT_NE(got[0].from.connection, 0u);
  EXPECT_EQ(got[0].from.local, server());
  // RFC 3261 §18.2.1 / RFC 3581: stamped as over TCP.
  EXPECT_EQ(got[0].msg.find(sip::HeaderId::kVia)->value,
            "SIP/2.0/TLS client.example.com;branch=z9hG4bKt1;received=" + bare_loopback() +
                ";rport=" + std::to_string(peer.port()));
  // §18.2.2: the response goes back on the request's (TLS) connection.
  ASSERT_TRUE(peer.read_until("\r\n\r\n"));
  EXPECT_TRUE(peer.buffer.starts_with("SIP/2.0 200 OK\r\n"));
  EXPECT_NE(peer.buffer.find("z9hG4bKt1"), std::string::npos);
  EXPECT_EQ(w.worker.connection_count(), 1u);
}

TEST_P(WorkerTls, ClientVerifyingTheNameAndSendingSniIsServed) {
  TlsPeer peer(server(), trusting(pki.ca_cert, "localhost", true));
  ASSERT_TRUE(peer.handshaken) << peer.failure;
  ASSERT_TRUE(peer.send(options_request(tls_via("n1"))));
  ASSERT_TRUE(rec.wait_messages(1));
}

TEST_P(WorkerTls, SplitAndPipelinedMessagesAreFramed) {
  TlsPeer peer(server(), trusted());
  ASSERT_TRUE(peer.handshaken) << peer.failure;
  // One message in three TLS records, the cuts inside the header and inside the body.
  std::string msg = options_request(tls_via("s1"), "Content-Type: text/plain\r\n", "c0");
  msg.replace(msg.find("Content-Length: 0"), 17, "Content-Length: 11");
  msg += "hello world";
  ASSERT_TRUE(peer.send(msg.substr(0, 40)));
  ASSERT_TRUE(peer.send(msg.substr(40, msg.size() - 46)));
  EXPECT_FALSE(rec.wait_messages(1, 50ms));
  ASSERT_TRUE(peer.send(msg.substr(msg.size() - 6)));
  ASSERT_TRUE(rec.wait_messages(1));
  // Three messages in one record.
  ASSERT_TRUE(peer.send(options_request(tls_via("p1"), "", "c1") + options_request(tls_via("p2"), "", "c2") +
                        options_request(tls_via("p3"), "", "c3")));
  ASSERT_TRUE(rec.wait_messages(4));
  std::vector<Received> got = rec.take();
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0].msg.body(), "hello world");
  EXPECT_EQ(got[1].msg.find(sip::HeaderId::kCallId)->value, "c1");
  EXPECT_EQ(got[3].msg.find(sip::HeaderId::kCallId)->value, "c3");
  EXPECT_EQ(got[0].from.connection, got[3].from.connection);
  ASSERT_TRUE(peer.read_until("Call-ID: c3"));
  EXPECT_EQ(peer.count("SIP/2.0 200 OK"), 4u);
}

TEST_P(WorkerTls, KeepAlivePingGetsPong) {
  TlsPeer peer(server(), trusted());
  ASSERT_TRUE(peer.handshaken) << peer.failure;
  ASSERT_TRUE(peer.send("\r\n\r\n"));
  ASSERT_TRUE(peer.read_until("\r\n"));
  EXPECT_EQ(peer.buffer, "\r\n");
}

TEST_P(WorkerTls, GarbageGetsAnErrorAndClose) {
  TlsPeer peer(server(), trusted());
  ASSERT_TRUE(peer.handshaken) << peer.failure;
  ASSERT_TRUE(peer.send("GARBAGE\r\n\r\n"));
  EXPECT_TRUE(peer.wait_closed());
  EXPECT_TRUE(peer.buffer.starts_with("SIP/2.0 400 ")) << peer.buffer;
}

TEST_P(WorkerTls, PlainTextOnTheTlsPortIsDroppedAndLogged) {
  TcpPeer plain(server());
  ASSERT_TRUE(plain.connected);
  ASSERT_TRUE(plain.send(options_request("SIP/2.0/TCP client.example.com;branch=z9hG4bKx1")));
  EXPECT_TRUE(plain.wait_closed());
  EXPECT_EQ(plain.buffer.find("SIP/2.0"), std::string::npos);  // no SIP answer in clear text
  EXPECT_TRUE(rec.wait_log("TLS handshake with TLS " + server().address.to_uri_host()));
  EXPECT_FALSE(rec.wait_messages(1, 20ms));
  EXPECT_TRUE(eventually([&] { return w.worker.connection_count() == 0; }));
  expect_serving("x2");
}

TEST_P(WorkerTls, ClientThatDistrustsTheServerFailsAndTheWorkerGoesOn) {
  // The client expects another name: it rejects the certificate and aborts the handshake.
  TlsPeer peer(server(), trusting(pki.ca_cert, "sip.example.com"));
  EXPECT_FALSE(peer.handshaken);
  EXPECT_NE(peer.failure.find("certificate verify failed"), std::string::npos) << peer.failure;
  EXPECT_TRUE(rec.wait_log("TLS handshake with"));
  EXPECT_TRUE(eventually([&] { return w.worker.connection_count() == 0; }));
  expect_serving("d1");
}

std::string family(const ::testing::TestParamInfo<bool>& p) { return p.param ? "IPv6" : "IPv4"; }
INSTANTIATE_TEST_SUITE_P(Loopback, WorkerTls, ::testing::Values(false, true), family);

TEST(WorkerTlsLimits, ClientThatNeverHandshakesIsDroppedAtTheFirstMessageTimeout) {
  ASSERT_TRUE(test_pki().ok()) << test_pki().error;
  Recorder rec;
  WorkerConfig c = tls_loopback_config(test_pki().server);
  c.first_message_timeout = 200ms;
  RunningWorker w(rec, c);
  ASSERT_FALSE(w.start_error) << w.start_error.message();
  const auto start = std::chrono::steady_clock::now();
  TcpPeer silent(w.local(TransportKind::kTls, false));
  ASSERT_TRUE(silent.connected);
  EXPECT_TRUE(silent.wait_closed(3s));
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_GE(elapsed, 150ms);
  EXPECT_LT(elapsed, 2s);
  EXPECT_TRUE(rec.wait_log("timed out"));
  // A client that does handshake is served.
  TlsPeer peer(w.local(TransportKind::kTls, false), trusting(test_pki().ca_cert));
  ASSERT_TRUE(peer.handshaken) << peer.failure;
  ASSERT_TRUE(peer.send(options_request(tls_via("h1"))));
  EXPECT_TRUE(rec.wait_messages(1));
}

TEST(WorkerTlsLimits, ClientWithoutCertificateIsRefusedWhenClientsAreVerified) {
  ASSERT_TRUE(test_pki().ok()) << test_pki().error;
  Recorder rec;
  WorkerConfig c = tls_loopback_config(test_pki().server);
  c.tls.verify_client = true;
  RunningWorker w(rec, c);
  ASSERT_FALSE(w.start_error) << w.start_error.message();
  const Endpoint server = w.local(TransportKind::kTls, false);
  {
    // TLS 1.3: the client may finish its side before the server judges it; either way
    // nothing it sends is taken.
    TlsPeer anonymous(server, trusting(test_pki().ca_cert));
    if (anonymous.handshaken) {
      anonymous.send(options_request(tls_via("m1")));
      EXPECT_TRUE(anonymous.wait_closed());
    }
    EXPECT_TRUE(rec.wait_log("TLS handshake with"));
    EXPECT_FALSE(rec.wait_messages(1, 50ms));
  }
  // A client with a certificate from the trusted CA is served (mutual TLS).
  TlsPeerOptions with_cert = trusting(test_pki().ca_cert);
  with_cert.cert_file = test_pki().server.cert;
  with_cert.key_file = test_pki().server.key;
  TlsPeer known(server, with_cert);
  ASSERT_TRUE(known.handshaken) << known.failure;
  ASSERT_TRUE(known.send(options_request(tls_via("m2"))));
  ASSERT_TRUE(rec.wait_messages(1));
  ASSERT_TRUE(known.read_until("SIP/2.0 200 OK"));
}

}  // namespace
}  // namespace trapezoid::transport
