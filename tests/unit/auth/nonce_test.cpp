// Stateless nonces: valid within the lifetime, stale after, invalid when forged, altered,
// issued for another realm or with another secret.
#include "auth/nonce.hpp"

#include <gtest/gtest.h>

namespace trapezoid::auth {
namespace {

std::vector<std::byte> bytes(std::string_view text) {
  std::vector<std::byte> out;
  for (char c : text) out.push_back(static_cast<std::byte>(c));
  return out;
}

const std::vector<std::byte> kSecret = bytes("0123456789abcdef0123456789abcdef");
constexpr UnixSeconds kNow = 1'790'000'000;

TEST(Nonce, ValidWithinItsLifetime) {
  NonceCodec codec(kSecret, std::chrono::seconds(300));
  const std::string n = codec.issue("atlanta.com", kNow);
  EXPECT_EQ(n.size(), NonceCodec::kLength);
  EXPECT_EQ(n.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(codec.check(n, "atlanta.com", kNow), NonceState::kValid);
  EXPECT_EQ(codec.check(n, "atlanta.com", kNow + 300), NonceState::kValid);
}

TEST(Nonce, StaleAfterItsLifetime) {
  NonceCodec codec(kSecret, std::chrono::seconds(300));
  const std::string n = codec.issue("atlanta.com", kNow);
  EXPECT_EQ(codec.check(n, "atlanta.com", kNow + 301), NonceState::kStale);
  EXPECT_EQ(codec.check(n, "atlanta.com", kNow + 86400), NonceState::kStale);
}

TEST(Nonce, AnyCodecWithTheSameSecretAcceptsIt) {
  // Two workers or nodes: no shared table, only the secret.
  NonceCodec a(kSecret, std::chrono::seconds(300));
  NonceCodec b(kSecret, std::chrono::seconds(300));
  EXPECT_EQ(b.check(a.issue("atlanta.com", kNow), "atlanta.com", kNow + 1), NonceState::kValid);
}

TEST(Nonce, OtherSecretOrRealmIsInvalid) {
  NonceCodec codec(kSecret, std::chrono::seconds(300));
  NonceCodec other(bytes("another secret, just as long...."), std::chrono::seconds(300));
  const std::string n = codec.issue("atlanta.com", kNow);
  EXPECT_EQ(other.check(n, "atlanta.com", kNow), NonceState::kInvalid);
  EXPECT_EQ(codec.check(n, "biloxi.com", kNow), NonceState::kInvalid);
}

TEST(Nonce, ForgedOrAlteredIsInvalid) {
  NonceCodec codec(kSecret, std::chrono::seconds(300));
  std::string n = codec.issue("atlanta.com", kNow);
  // A later time with the old MAC (extending its life) does not verify.
  std::string later = codec.issue("atlanta.com", kNow + 1000);
  std::string spliced = later.substr(0, 16) + n.substr(16);
  EXPECT_EQ(codec.check(spliced, "atlanta.com", kNow + 1000), NonceState::kInvalid);
  std::string flipped = n;
  flipped.back() = flipped.back() == '0' ? '1' : '0';
  EXPECT_EQ(codec.check(flipped, "atlanta.com", kNow), NonceState::kInvalid);
  EXPECT_EQ(codec.check("", "atlanta.com", kNow), NonceState::kInvalid);
  EXPECT_EQ(codec.check(n.substr(1), "atlanta.com", kNow), NonceState::kInvalid);
  EXPECT_EQ(codec.check(n + "0", "atlanta.com", kNow), NonceState::kInvalid);
  std::string upper = n;
  for (char& c : upper)
    if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
  if (upper != n) {
    EXPECT_EQ(codec.check(upper, "atlanta.com", kNow), NonceState::kInvalid);
  }
  EXPECT_EQ(codec.check(std::string(NonceCodec::kLength, 'g'), "atlanta.com", kNow), NonceState::kInvalid);
}

TEST(Nonce, FromTheFutureIsInvalid) {
  NonceCodec codec(kSecret, std::chrono::seconds(300));
  const std::string n = codec.issue("atlanta.com", kNow + 60);
  EXPECT_EQ(codec.check(n, "atlanta.com", kNow), NonceState::kInvalid);
  // A small clock difference between nodes is tolerated.
  EXPECT_EQ(codec.check(codec.issue("atlanta.com", kNow + 2), "atlanta.com", kNow), NonceState::kValid);
}

TEST(Nonce, RandomSecretsDiffer) {
  const std::vector<std::byte> a = random_secret();
  const std::vector<std::byte> b = random_secret();
  ASSERT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace trapezoid::auth
