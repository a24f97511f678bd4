#include "transport/tls_config.hpp"

namespace trapezoid::transport {
namespace {

class TlsCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "trapezoid.tls"; }
  std::string message(int value) const override {
    switch (static_cast<TlsErrc>(value)) {
      case TlsErrc::kNoCertificate: return "TLS needs a certificate chain file and a private key file";
      case TlsErrc::kCertificateFile: return "cannot load the TLS certificate chain file";
      case TlsErrc::kPrivateKeyFile: return "cannot load the TLS private key file";
      case TlsErrc::kKeyMismatch: return "the TLS private key does not match the certificate";
      case TlsErrc::kCaFile: return "cannot load the TLS CA file or directory";
      case TlsErrc::kNotEnabled: return "TLS is not enabled on this worker";
      case TlsErrc::kBadServerName: return "the TLS server name cannot be used";
      case TlsErrc::kSipsNeedsTls: return "a request for a sips: URI goes only over TLS";
    }
    return "unknown TLS error";
  }
};

}  // namespace

const std::error_category& tls_category() noexcept {
  static const TlsCategory category;
  return category;
}

std::error_code make_error_code(TlsErrc e) noexcept { return {static_cast<int>(e), tls_category()}; }

}  // namespace trapezoid::transport
