#include "auth/nonce.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>

namespace trapezoid::auth {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void append_hex(std::string& out, const unsigned char* bytes, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 0xF];
  }
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // upper case is never issued
}

}  // namespace

NonceCodec::NonceCodec(std::span<const std::byte> secret, std::chrono::seconds lifetime)
    : lifetime_(lifetime) {
  secret_.resize(secret.size());
  for (std::size_t i = 0; i < secret.size(); ++i) secret_[i] = static_cast<unsigned char>(secret[i]);
}

std::string NonceCodec::mac_hex(std::uint64_t issued, std::string_view realm) const {
  std::string input;
  input.reserve(8 + realm.size());
  for (int shift = 56; shift >= 0; shift -= 8) input += static_cast<char>((issued >> shift) & 0xFF);
  input += realm;
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
           reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac.data(), &length) == nullptr ||
      length < 16) {
    return {};  // no nonce then; check() rejects every one
  }
  std::string out;
  out.reserve(32);
  append_hex(out, mac.data(), 16);
  return out;
}

std::string NonceCodec::issue(std::string_view realm, UnixSeconds now) const {
  const auto issued = static_cast<std::uint64_t>(now);
  std::string out;
  out.reserve(kLength);
  for (int shift = 60; shift >= 0; shift -= 4) out += kHex[(issued >> shift) & 0xF];
  out += mac_hex(issued, realm);
  return out;
}

NonceState NonceCodec::check(std::string_view nonce, std::string_view realm, UnixSeconds now) const {
  if (nonce.size() != kLength) return NonceState::kInvalid;
  std::uint64_t issued = 0;
  for (char c : nonce.substr(0, 16)) {
    const int v = hex_value(c);
    if (v < 0) return NonceState::kInvalid;
    issued = (issued << 4) | static_cast<std::uint64_t>(v);
  }
  const std::string expected = mac_hex(issued, realm);
  const std::string_view given = nonce.substr(16);
  if (expected.size() != given.size() || CRYPTO_memcmp(expected.data(), given.data(), given.size()) != 0)
    return NonceState::kInvalid;
  const auto issued_at = static_cast<UnixSeconds>(issued);
  if (issued_at > now + kClockSkew) return NonceState::kInvalid;
  if (now - issued_at > lifetime_.count()) return NonceState::kStale;
  return NonceState::kValid;
}

std::vector<std::byte> random_secret(std::size_t count) {
  std::vector<std::byte> out(count);
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(out.size())) != 1) out.clear();
  return out;
}

}  // namespace trapezoid::auth
