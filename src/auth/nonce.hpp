// Stateless nonces (RFC 2617 §3.2.1 leaves the nonce's content to the server): any worker or
// node holding the same secret checks a nonce another one issued, with no table to share.
//
//   NonceCodec nonces(secret_bytes, std::chrono::seconds(300));
//   std::string n = nonces.issue("atlanta.com", now);      // for a challenge
//   switch (nonces.check(n, "atlanta.com", now)) { ... }   // kValid, kStale or kInvalid
//
// Format: 16 hex digits of the issue time (Unix seconds, big-endian) followed by 32 hex digits
// of HMAC-SHA256(secret, time || realm) truncated to 128 bits: 48 characters, all of them
// token and quoted-string safe. Binding the realm keeps a nonce of one realm from being
// replayed in another; the time lets the server tell an old but authentic nonce (stale=true:
// the client retries with the same password, no prompt) from a forged one.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace trapezoid::auth {

using UnixSeconds = std::int64_t;

enum class NonceState : unsigned char {
  kValid,    // issued by us for this realm, within its lifetime
  kStale,    // issued by us for this realm, but older than the lifetime
  kInvalid,  // not ours, not this realm's, malformed, or from the future
};

class NonceCodec {
 public:
  // `secret` should hold at least 16 random bytes; nonces issued with one secret are invalid
  // under another.
  NonceCodec(std::span<const std::byte> secret, std::chrono::seconds lifetime);

  [[nodiscard]] std::string issue(std::string_view realm, UnixSeconds now) const;
  [[nodiscard]] NonceState check(std::string_view nonce, std::string_view realm, UnixSeconds now) const;

  [[nodiscard]] std::chrono::seconds lifetime() const noexcept { return lifetime_; }

  // How far in the future an issue time may lie (clocks of several nodes differ a little).
  static constexpr UnixSeconds kClockSkew = 5;
  static constexpr std::size_t kLength = 48;

 private:
  [[nodiscard]] std::string mac_hex(std::uint64_t issued, std::string_view realm) const;

  std::vector<unsigned char> secret_;
  std::chrono::seconds lifetime_;
};

// `count` random bytes from OpenSSL's generator (a fresh server secret); empty on failure.
[[nodiscard]] std::vector<std::byte> random_secret(std::size_t count = 32);

}  // namespace trapezoid::auth
