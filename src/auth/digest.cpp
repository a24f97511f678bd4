#include "auth/digest.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>

#include "sip/charset.hpp"

namespace trapezoid::auth {

std::optional<DigestAlgorithm> parse_algorithm(std::string_view name) noexcept {
  using sip::charset::iequals;
  if (name.empty() || iequals(name, "MD5")) return DigestAlgorithm::kMd5;
  if (iequals(name, "MD5-sess")) return DigestAlgorithm::kMd5Sess;
  if (iequals(name, "SHA-256")) return DigestAlgorithm::kSha256;
  if (iequals(name, "SHA-256-sess")) return DigestAlgorithm::kSha256Sess;
  return std::nullopt;
}

std::string_view algorithm_name(DigestAlgorithm algorithm) noexcept {
  switch (algorithm) {
    case DigestAlgorithm::kMd5: return "MD5";
    case DigestAlgorithm::kMd5Sess: return "MD5-sess";
    case DigestAlgorithm::kSha256: return "SHA-256";
    case DigestAlgorithm::kSha256Sess: return "SHA-256-sess";
  }
  return "MD5";
}

DigestAlgorithm base_algorithm(DigestAlgorithm algorithm) noexcept {
  if (algorithm == DigestAlgorithm::kMd5Sess) return DigestAlgorithm::kMd5;
  if (algorithm == DigestAlgorithm::kSha256Sess) return DigestAlgorithm::kSha256;
  return algorithm;
}

bool is_session(DigestAlgorithm algorithm) noexcept { return base_algorithm(algorithm) != algorithm; }

std::string digest_hex(DigestAlgorithm algorithm, std::string_view data) {
  const EVP_MD* md = base_algorithm(algorithm) == DigestAlgorithm::kSha256 ? EVP_sha256() : EVP_md5();
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int length = 0;
  // EVP_Digest fails only when the provider lacks the algorithm (MD5 in a FIPS-only setup):
  // then no digest matches, which the caller sees as a failed check.
  if (EVP_Digest(data.data(), data.size(), out.data(), &length, md, nullptr) != 1) return {};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    hex += kHex[out[i] >> 4];
    hex += kHex[out[i] & 0xF];
  }
  return hex;
}

namespace {

std::string joined(std::initializer_list<std::string_view> parts) {
  std::string out;
  std::size_t size = parts.size();
  for (std::string_view p : parts) size += p.size();
  out.reserve(size);
  bool first = true;
  for (std::string_view p : parts) {
    if (!first) out += ':';
    out += p;
    first = false;
  }
  return out;
}

}  // namespace

std::string digest_ha1(DigestAlgorithm algorithm, std::string_view username, std::string_view realm,
                       std::string_view password) {
  return digest_hex(algorithm, joined({username, realm, password}));
}

std::string session_ha1(DigestAlgorithm algorithm, std::string_view stored_ha1, std::string_view nonce,
                        std::string_view cnonce) {
  if (!is_session(algorithm)) return std::string(stored_ha1);
  return digest_hex(algorithm, joined({stored_ha1, nonce, cnonce}));
}

std::string digest_ha2(DigestAlgorithm algorithm, std::string_view method, std::string_view digest_uri) {
  return digest_hex(algorithm, joined({method, digest_uri}));
}

std::string digest_response(DigestAlgorithm algorithm, std::string_view ha1, std::string_view nonce,
                            std::string_view nc, std::string_view cnonce, std::string_view qop,
                            std::string_view ha2) {
  if (qop.empty()) return digest_hex(algorithm, joined({ha1, nonce, ha2}));
  return digest_hex(algorithm, joined({ha1, nonce, nc, cnonce, qop, ha2}));
}

bool digests_equal(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace trapezoid::auth
