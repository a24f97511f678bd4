// Where the verifier finds what it checks a user's digest against: the HA1 values of (username,
// realm), never the password itself (RFC 2617 §4.13 lets a server keep H(A1) instead).
//
//   std::optional<StoredCredentials> c = source.lookup("alice", "atlanta.com");
//   if (c) c->ha1_for(DigestAlgorithm::kSha256);   // "" when none is stored for it
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "auth/digest.hpp"

namespace trapezoid::auth {

struct StoredCredentials {
  std::string ha1_md5;     // H(username:realm:password) with MD5, hex
  std::string ha1_sha256;  // the same with SHA-256, hex

  // The stored HA1 a response with this algorithm starts from ("-sess" included).
  [[nodiscard]] const std::string& ha1_for(DigestAlgorithm algorithm) const noexcept {
    return base_algorithm(algorithm) == DigestAlgorithm::kSha256 ? ha1_sha256 : ha1_md5;
  }
};

class CredentialSource {
 public:
  virtual ~CredentialSource() = default;
  // The credentials of `username` in `realm` (both compared exactly), or std::nullopt when
  // there is no such user or the source cannot be read: either way nobody authenticates as
  // that user. Called from any worker thread at once.
  [[nodiscard]] virtual std::optional<StoredCredentials> lookup(std::string_view username,
                                                                std::string_view realm) const = 0;
};

}  // namespace trapezoid::auth
