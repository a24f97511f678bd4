// Test helper: a throwaway PKI made with the OpenSSL C API at test time and written as PEM
// files into a fresh temporary directory (removed when the TestPki goes): a CA; a server
// certificate for 127.0.0.1, ::1 and "localhost" signed by it; a certificate signed by it for
// "sip.example.com" only; a self-signed certificate for the loopback names that nobody trusts;
// and the CA again in a hashed directory (OpenSSL's c_rehash layout). Keys are EC P-256.
//
//   const TestPki& pki = test_pki();            // made once per test binary
//   ASSERT_TRUE(pki.ok()) << pki.error;
//   config.tls.certificate_chain_file = pki.server.cert;
//   config.tls.private_key_file = pki.server.key;
//   config.tls.ca = pki.ca_cert;
//   WorkerConfig c = tls_loopback_config(pki.server);   // the same, on loopback test ports
#pragma once

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "test_worker.hpp"

namespace trapezoid::transport::testing {

class TestPki {
 public:
  struct Identity {
    std::string cert;  // PEM certificate file
    std::string key;   // PEM private key file
  };

  TestPki() {
    std::string pattern = (std::filesystem::temp_directory_path() / "trapezoid-tls-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      error = "mkdtemp failed";
      return;
    }
    dir = pattern;
    make();
  }
  ~TestPki() {
    std::error_code ignored;
    if (!dir.empty()) std::filesystem::remove_all(dir, ignored);
  }
  TestPki(const TestPki&) = delete;
  TestPki& operator=(const TestPki&) = delete;

  [[nodiscard]] bool ok() const { return error.empty(); }
  // A path in the directory that does not exist.
  [[nodiscard]] std::string missing(const std::string& name) const { return path(name); }

  std::string dir;
  std::string error;       // why making the PKI failed; empty when it worked
  std::string ca_cert;     // the CA's certificate (PEM)
  std::string ca_dir;      // a directory holding only the CA, as <subject hash>.0
  Identity server;         // CA-signed: IP 127.0.0.1, IP ::1, DNS localhost
  Identity named;          // CA-signed: DNS sip.example.com only
  Identity untrusted;      // self-signed: IP 127.0.0.1, IP ::1, DNS localhost

 private:
  using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
  using Cert = std::unique_ptr<X509, decltype(&X509_free)>;

  [[nodiscard]] std::string path(const std::string& name) const { return (std::filesystem::path(dir) / name).string(); }

  static Key new_key() { return Key(EVP_EC_gen("P-256"), &EVP_PKEY_free); }

  static bool add_extension(X509* cert, X509V3_CTX* ctx, int nid, const char* value) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, ctx, nid, value);
    if (ext == nullptr) return false;
    const bool ok = X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
  }

  // A certificate for `key` named `cn`, signed by the issuer (self-signed when null). `san`
  // is a subjectAltName value ("IP:127.0.0.1,DNS:localhost"), or null.
  static Cert new_cert(EVP_PKEY* key, const char* cn, long serial, bool is_ca, const char* san, X509* issuer,
                       EVP_PKEY* issuer_key) {
    Cert cert(X509_new(), &X509_free);
    X509* x = cert.get();
    if (x == nullptr || X509_set_version(x, 2) != 1) return Cert(nullptr, &X509_free);
    ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
    X509_gmtime_adj(X509_getm_notBefore(x), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x), 24 * 3600);
    X509_set_pubkey(x, key);
    X509_NAME* name = X509_get_subject_name(x);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("Trapezoid tests"), -1,
                               -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn), -1, -1, 0);
    X509_set_issuer_name(x, issuer != nullptr ? X509_get_subject_name(issuer) : name);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer != nullptr ? issuer : x, x, nullptr, nullptr, 0);
    bool ok = add_extension(x, &ctx, NID_basic_constraints, is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE") &&
              add_extension(x, &ctx, NID_key_usage,
                            is_ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature") &&
              add_extension(x, &ctx, NID_subject_key_identifier, "hash");
    if (ok && !is_ca) ok = add_extension(x, &ctx, NID_ext_key_usage, "serverAuth,clientAuth");
    if (ok && issuer != nullptr) ok = add_extension(x, &ctx, NID_authority_key_identifier, "keyid:always");
    if (ok && san != nullptr) ok = add_extension(x, &ctx, NID_subject_alt_name, san);
    if (!ok || X509_sign(x, issuer_key != nullptr ? issuer_key : key, EVP_sha256()) == 0) {
      return Cert(nullptr, &X509_free);
    }
    return cert;
  }

  static bool write_cert(const std::string& file, X509* cert) {
    FILE* f = std::fopen(file.c_str(), "w");
    if (f == nullptr) return false;
    const bool ok = PEM_write_X509(f, cert) == 1;
    return std::fclose(f) == 0 && ok;
  }
  static bool write_key(const std::string& file, EVP_PKEY* key) {
    FILE* f = std::fopen(file.c_str(), "w");
    if (f == nullptr) return false;
    const bool ok = PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
    return std::fclose(f) == 0 && ok;
  }

  // Writes one identity; false on failure.
  bool issue(Identity& out, const std::string& name, const char* cn, long serial, const char* san, X509* issuer,
             EVP_PKEY* issuer_key) {
    Key key = new_key();
    if (!key) return false;
    Cert cert = new_cert(key.get(), cn, serial, false, san, issuer, issuer_key);
    out.cert = path(name + ".pem");
    out.key = path(name + ".key");
    return cert && write_cert(out.cert, cert.get()) && write_key(out.key, key.get());
  }

  void make() {
    static constexpr const char* kLoopback = "IP:127.0.0.1,IP:::1,DNS:localhost";
    Key ca_key = new_key();
    Cert ca = ca_key ? new_cert(ca_key.get(), "Trapezoid Test CA", 1, true, nullptr, nullptr, nullptr)
                     : Cert(nullptr, &X509_free);
    ca_cert = path("ca.pem");
    if (!ca || !write_cert(ca_cert, ca.get())) {
      error = "cannot make the CA";
      return;
    }
    ca_dir = path("ca.d");
    char hashed[32];
    const unsigned long hash = X509_NAME_hash_ex(X509_get_subject_name(ca.get()), nullptr, nullptr, nullptr);
    std::snprintf(hashed, sizeof hashed, "%08lx.0", hash);
    std::error_code ec;
    std::filesystem::create_directory(ca_dir, ec);
    if (ec || !write_cert((std::filesystem::path(ca_dir) / hashed).string(), ca.get())) {
      error = "cannot write the CA directory";
      return;
    }
    if (!issue(server, "server", "localhost", 2, kLoopback, ca.get(), ca_key.get()) ||
        !issue(named, "named", "sip.example.com", 3, "DNS:sip.example.com", ca.get(), ca_key.get()) ||
        !issue(untrusted, "untrusted", "localhost", 4, kLoopback, nullptr, nullptr)) {
      error = "cannot issue the certificates";
    }
  }
};

// One PKI per test binary: key generation is cheap, but there is no need to repeat it.
inline const TestPki& test_pki() {
  static const TestPki pki;
  return pki;
}

// loopback_config() with TLS on an ephemeral port, presenting `id` and trusting the test CA.
inline WorkerConfig tls_loopback_config(const TestPki::Identity& id) {
  WorkerConfig c = loopback_config();
  c.tls.enabled = true;
  c.tls.port = 0;
  c.tls.certificate_chain_file = id.cert;
  c.tls.private_key_file = id.key;
  c.tls.ca = test_pki().ca_cert;
  return c;
}

}  // namespace trapezoid::transport::testing
