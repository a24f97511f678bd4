#include "transport/tls_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <filesystem>
#include <optional>
#include <string>

#include "transport/tls_stream.hpp"

namespace trapezoid::transport::detail {
namespace {

namespace ssl = boost::asio::ssl;

// Logs why `what` at `path` failed and returns `code`.
std::error_code failed(Logger& logger, TlsErrc code, std::string_view what, const std::string& path,
                       const boost::system::error_code& why) {
  std::string line = "TLS: cannot load ";
  line += what;
  line += " '";
  line += path;
  line += "': ";
  line += why ? why.message() : make_error_code(code).message();
  logger.log(LogLevel::kError, line);
  return make_error_code(code);
}

// The settings both sides share, and this element's certificate, key and trusted CAs.
std::error_code load(ssl::context& ctx, const TlsConfig& config, Logger& logger) {
  SSL_CTX* handle = ctx.native_handle();
  // TLS 1.2 at least; no renegotiation (a peer could make us redo handshakes at will).
  SSL_CTX_set_min_proto_version(handle, TLS1_2_VERSION);
  SSL_CTX_set_options(handle, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  // An encrypted key fails to load instead of prompting on a terminal.
  ctx.set_password_callback([](std::size_t, ssl::context::password_purpose) { return std::string(); });

  boost::system::error_code ec;
  ctx.use_certificate_chain_file(config.certificate_chain_file, ec);
  if (ec) {
    return failed(logger, TlsErrc::kCertificateFile, "the certificate chain file", config.certificate_chain_file, ec);
  }
  ctx.use_private_key_file(config.private_key_file, ssl::context::pem, ec);
  if (ec) {
    // OpenSSL checks the key against the certificate as it loads it.
    const bool mismatch = ec.category() == boost::asio::error::get_ssl_category() &&
                          ERR_GET_LIB(static_cast<unsigned long>(ec.value())) == ERR_LIB_X509 &&
                          ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == X509_R_KEY_VALUES_MISMATCH;
    return failed(logger, mismatch ? TlsErrc::kKeyMismatch : TlsErrc::kPrivateKeyFile, "the private key file",
                  config.private_key_file, ec);
  }
  if (SSL_CTX_check_private_key(handle) != 1) {
    ERR_clear_error();
    return failed(logger, TlsErrc::kKeyMismatch, "the private key file", config.private_key_file, {});
  }

  if (config.ca.empty()) {
    ctx.set_default_verify_paths(ec);
  } else {
    std::error_code fs_ec;
    if (std::filesystem::is_directory(config.ca, fs_ec)) {
      ctx.add_verify_path(config.ca, ec);
    } else {
      ctx.load_verify_file(config.ca, ec);
    }
  }
  if (ec) return failed(logger, TlsErrc::kCaFile, "the CA file or directory", config.ca, ec);
  return {};
}

}  // namespace

TlsContext::TlsContext(const TlsConfig& config)
    : verify_server_(config.verify_server), server_(ssl::context::tls_server), client_(ssl::context::tls_client) {}

std::unique_ptr<TlsContext> TlsContext::create(const TlsConfig& config, Logger& logger, std::error_code& error) {
  if (config.certificate_chain_file.empty() || config.private_key_file.empty()) {
    logger.log(LogLevel::kError, "TLS: enabled without a certificate chain file and a private key file");
    error = make_error_code(TlsErrc::kNoCertificate);
    return nullptr;
  }
  std::unique_ptr<TlsContext> tls;
  try {
    tls.reset(new TlsContext(config));  // SSL_CTX_new fails only when memory runs out
  } catch (const boost::system::system_error& e) {
    logger.log(LogLevel::kError, std::string("TLS: cannot create a context: ") + e.what());
    error = e.code();
    return nullptr;
  }
  if ((error = load(tls->server_, config, logger))) return nullptr;
  if ((error = load(tls->client_, config, logger))) return nullptr;

  SSL_CTX* server = tls->server_.native_handle();
  // Sessions resumed with a client certificate need an id context (else resumption fails).
  static constexpr unsigned char kSessionContext[] = "trapezoid-sip";
  SSL_CTX_set_session_id_context(server, kSessionContext, sizeof kSessionContext - 1);
  if (config.verify_client) {
    SSL_CTX_set_verify(server, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
    // Tell clients which CAs we accept, so that one with several certificates picks right.
    std::error_code fs_ec;
    if (!config.ca.empty() && !std::filesystem::is_directory(config.ca, fs_ec)) {
      STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(config.ca.c_str());
      if (names != nullptr) SSL_CTX_set_client_CA_list(server, names);
    }
  } else {
    SSL_CTX_set_verify(server, SSL_VERIFY_NONE, nullptr);
  }
  SSL_CTX_set_verify(tls->client_.native_handle(), config.verify_server ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nullptr);
  ERR_clear_error();
  return tls;
}

std::error_code TlsContext::prepare_client(TlsStream& stream, const IpAddress& address,
                                           std::string_view server_name) const {
  SSL* ssl = stream.native_handle();
  const std::string name(server_name);
  const std::optional<IpAddress> name_address = name.empty() ? std::nullopt : IpAddress::parse(name);
  // RFC 6066 §3: the server_name extension carries host names, never a literal address.
  if (!name.empty() && !name_address && SSL_set_tlsext_host_name(ssl, name.c_str()) != 1) {
    ERR_clear_error();
    return make_error_code(TlsErrc::kBadServerName);
  }
  if (!verify_server_) return {};
  // The certificate must match the host name we meant to reach, or the address we connect to
  // (OpenSSL's RFC 6125 checks of subjectAltName dNSName / iPAddress entries).
  bool ok = false;
  if (!name.empty() && !name_address) {
    SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    ok = SSL_set1_host(ssl, name.c_str()) == 1;
  } else {
    const std::string ip = (name_address ? *name_address : address).to_string();
    ok = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), ip.c_str()) == 1;
  }
  if (!ok) {
    ERR_clear_error();
    return make_error_code(TlsErrc::kBadServerName);
  }
  return {};
}

}  // namespace trapezoid::transport::detail
