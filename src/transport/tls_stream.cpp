#include "transport/tls_stream.hpp"

#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace trapezoid::transport::detail {

std::string TlsStream::failure_reason(const boost::system::error_code& ec) {
  std::string why = ec.message();
  // X509_V_OK unless a peer certificate was checked and failed ("hostname mismatch",
  // "self-signed certificate", "unable to get local issuer certificate", ...).
  const long verdict = SSL_get_verify_result(native_handle());
  if (verdict != X509_V_OK) {
    why += " (";
    why += X509_verify_cert_error_string(verdict);
    why += ')';
  }
  return why;
}

}  // namespace trapezoid::transport::detail
