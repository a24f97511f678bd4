// TLS settings of a worker (RFC 3261 §26.2.1: TLS over TCP) and the errors TLS reports.
//
//   WorkerConfig c;
//   c.tls.enabled = true;                                 // a TLS listener on 5061 per address
//   c.tls.certificate_chain_file = "/etc/trapezoid/cert.pem";
//   c.tls.private_key_file = "/etc/trapezoid/key.pem";
//   c.tls.ca = "/etc/trapezoid/ca.pem";                   // whom outgoing connections trust
//   if (std::error_code ec = worker.start(); ec == TlsErrc::kPrivateKeyFile) ...
//
// Plain values: no OpenSSL here (the files are read by TransportWorker::start()).
#pragma once

#include <cstdint>
#include <string>
#include <system_error>

namespace trapezoid::transport {

struct TlsConfig {
  // A TLS listener on each of the worker's addresses, and TLS for sends to kTls targets.
  bool enabled = false;
  // RFC 3261 §18.1.1: 5061. 0: an ephemeral port per address (see local_endpoints()).
  std::uint16_t port = 5061;
  // PEM: this element's certificate first, then the intermediates up to (not incl.) the root.
  std::string certificate_chain_file;
  // PEM, unencrypted: the key of the first certificate.
  std::string private_key_file;
  // The trusted CAs for checking peers: a PEM file, or a directory in OpenSSL's hashed layout
  // (openssl rehash). Empty: the system's default trust store.
  std::string ca;
  // Ask accepted clients for a certificate and refuse those without a valid one (mutual TLS).
  // Off by default: SIP clients rarely have certificates.
  bool verify_client = false;
  // Opened connections: the server's certificate must chain to a trusted CA and match the
  // target's host name or IP address (RFC 3261 §26.2.2: a failed check fails the request).
  bool verify_server = true;
};

enum class TlsErrc {
  kNoCertificate = 1,  // enabled without a certificate chain file or key file
  kCertificateFile,    // the certificate chain file cannot be read or parsed
  kPrivateKeyFile,     // the private key file cannot be read or parsed
  kKeyMismatch,        // the key is not the first certificate's
  kCaFile,             // the CA file or directory cannot be loaded
  kNotEnabled,         // a send to a kTls target on a worker without TLS
  kBadServerName,      // a server name OpenSSL refuses to check or send
  kSipsNeedsTls,       // a request for a sips: URI on a transport other than TLS (§26.2.2)
};

[[nodiscard]] const std::error_category& tls_category() noexcept;
[[nodiscard]] std::error_code make_error_code(TlsErrc e) noexcept;

}  // namespace trapezoid::transport

template <>
struct std::is_error_code_enum<trapezoid::transport::TlsErrc> : std::true_type {};
