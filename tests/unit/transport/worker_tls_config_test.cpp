// Starting a worker with TLS: files that cannot be loaded stop the start with a TlsErrc and a
// log line naming the file; the TLS listeners appear among the local endpoints.
#include <gtest/gtest.h>

#include "sip_samples.hpp"
#include "tls_test_pki.hpp"

namespace trapezoid::transport {
namespace {

using namespace testing;

class WorkerTlsConfig : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(pki.ok()) << pki.error; }

  // Starts a worker with `c` and returns start()'s error.
  std::error_code start_with(const WorkerConfig& c) {
    TransportWorker w(c, rec, rec);
    return w.start();
  }

  const TestPki& pki = test_pki();
  Recorder rec;
};

TEST_F(WorkerTlsConfig, MissingCertificateFileIsNamed) {
  WorkerConfig c = tls_loopback_config(pki.server);
  c.tls.certificate_chain_file = pki.missing("nowhere.pem");
  EXPECT_EQ(start_with(c), TlsErrc::kCertificateFile);
  EXPECT_TRUE(rec.wait_log("certificate chain file '" + pki.missing("nowhere.pem") + "'", 0ms));
}

TEST_F(WorkerTlsConfig, MissingKeyFileIsNamed) {
  WorkerConfig c = tls_loopback_config(pki.server);
  c.tls.private_key_file = pki.missing("nowhere.key");
  EXPECT_EQ(start_with(c), TlsErrc::kPrivateKeyFile);
  EXPECT_TRUE(rec.wait_log("private key file '" + pki.missing("nowhere.key") + "'", 0ms));
}

TEST_F(WorkerTlsConfig, KeyOfAnotherCertificateIsAMismatch) {
  WorkerConfig c = tls_loopback_config(pki.server);
  c.tls.private_key_file = pki.untrusted.key;
  EXPECT_EQ(start_with(c), TlsErrc::kKeyMismatch);
  EXPECT_TRUE(rec.wait_log(pki.untrusted.key, 0ms));
}

TEST_F(WorkerTlsConfig, CertificateFileThatIsAKeyIsRefused) {
  WorkerConfig c = tls_loopback_config(pki.server);
  c.tls.certificate_chain_file = pki.server.key;
  EXPECT_EQ(start_with(c), TlsErrc::kCertificateFile);
}

TEST_F(WorkerTlsConfig, MissingCaIsNamed) {
  WorkerConfig c = tls_loopback_config(pki.server);
  c.tls.ca = pki.missing("no-ca.pem");
  EXPECT_EQ(start_with(c), TlsErrc::kCaFile);
  EXPECT_TRUE(rec.wait_log(pki.missing("no-ca.pem"), 0ms));
}

TEST_F(WorkerTlsConfig, EnabledWithoutFilesIsAnError) {
  WorkerConfig c = loopback_config();
  c.tls.enabled = true;
  EXPECT_EQ(start_with(c), TlsErrc::kNoCertificate);
}

TEST_F(WorkerTlsConfig, ErrorsSayWhatFailed) {
  EXPECT_EQ(make_error_code(TlsErrc::kPrivateKeyFile).message(), "cannot load the TLS private key file");
  EXPECT_STREQ(make_error_code(TlsErrc::kSipsNeedsTls).category().name(), "trapezoid.tls");
}

TEST_F(WorkerTlsConfig, TlsListenersOnEveryAddressOnTheirOwnPort) {
  RunningWorker w(rec, tls_loopback_config(pki.server));
  ASSERT_FALSE(w.start_error) << w.start_error.message();
  for (bool v6 : {false, true}) {
    const Endpoint tls = w.local(TransportKind::kTls, v6);
    EXPECT_EQ(tls.transport, TransportKind::kTls);
    EXPECT_NE(tls.port, 0);
    EXPECT_EQ(tls.address.is_v6(), v6);
    EXPECT_NE(tls.port, w.local(TransportKind::kTcp, v6).port);
  }
}

TEST_F(WorkerTlsConfig, WithoutTlsThereIsNoListenerAndTlsSendsFail) {
  RunningWorker w(rec);
  ASSERT_FALSE(w.start_error);
  EXPECT_EQ(w.local(TransportKind::kTls, false).port, 0);
  Endpoint to = w.local(TransportKind::kTcp, false);
  to.transport = TransportKind::kTls;
  w.worker.send(options_request("SIP/2.0/TLS client.example.com;branch=z9hG4bKn1"), Target{to, 0});
  ASSERT_TRUE(rec.wait_errors(1));
  EXPECT_EQ(rec.errors()[0].second, TlsErrc::kNotEnabled);
}

TEST_F(WorkerTlsConfig, CaDirectoryIsAccepted) {
  WorkerConfig c = tls_loopback_config(pki.server);
  c.tls.ca = pki.ca_dir;
  RunningWorker w(rec, c);
  EXPECT_FALSE(w.start_error) << w.start_error.message();
}

}  // namespace
}  // namespace trapezoid::transport
