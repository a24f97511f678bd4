// The Digest computations (RFC 2617 §3.2.2, RFC 7616 §3.4.1-3.4.3; RFC 8760 brings SHA-256
// to SIP): HA1, HA2 and the request-digest, as lower-case hex.
//
//   std::string ha1 = digest_ha1(DigestAlgorithm::kSha256, "alice", "atlanta.com", "secret");
//   std::string expected = digest_response(DigestAlgorithm::kSha256, ha1, nonce, "00000001",
//                                          cnonce, "auth", digest_ha2(alg, "REGISTER", uri));
//
// Only qop "auth" and no qop at all (RFC 2069, which RFC 2617 §3.2.2.1 keeps for MD5 clients)
// are computed here; "auth-int" (a hash of the body) is not offered.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace trapezoid::auth {

enum class DigestAlgorithm : unsigned char { kMd5, kMd5Sess, kSha256, kSha256Sess };

// "MD5", "MD5-sess", "SHA-256", "SHA-256-sess" (case-insensitive, RFC 7616 §3.3); an absent
// algorithm means MD5 (RFC 2617 §3.2.1). std::nullopt for anything else (SHA-512-256 too).
[[nodiscard]] std::optional<DigestAlgorithm> parse_algorithm(std::string_view name) noexcept;
[[nodiscard]] std::string_view algorithm_name(DigestAlgorithm algorithm) noexcept;
// The algorithm without its "-sess": which stored HA1 the session variant starts from.
[[nodiscard]] DigestAlgorithm base_algorithm(DigestAlgorithm algorithm) noexcept;
[[nodiscard]] bool is_session(DigestAlgorithm algorithm) noexcept;

// H(data) in lower-case hex: MD5 (32 digits) or SHA-256 (64 digits) by the base algorithm.
[[nodiscard]] std::string digest_hex(DigestAlgorithm algorithm, std::string_view data);

// H(username ":" realm ":" password): what a credential store keeps instead of the password.
[[nodiscard]] std::string digest_ha1(DigestAlgorithm algorithm, std::string_view username, std::string_view realm,
                                     std::string_view password);
// For a "-sess" algorithm, H(stored HA1 ":" nonce ":" cnonce) (RFC 7616 §3.4.2); otherwise
// the stored HA1 unchanged.
[[nodiscard]] std::string session_ha1(DigestAlgorithm algorithm, std::string_view stored_ha1, std::string_view nonce,
                                      std::string_view cnonce);
// H(method ":" digest-uri) for qop "auth" or no qop.
[[nodiscard]] std::string digest_ha2(DigestAlgorithm algorithm, std::string_view method, std::string_view digest_uri);
// With a qop: H(HA1 ":" nonce ":" nc ":" cnonce ":" qop ":" HA2); with `qop` empty (RFC 2069):
// H(HA1 ":" nonce ":" HA2). `ha1` is the session HA1 for a "-sess" algorithm.
[[nodiscard]] std::string digest_response(DigestAlgorithm algorithm, std::string_view ha1, std::string_view nonce,
                                          std::string_view nc, std::string_view cnonce, std::string_view qop,
                                          std::string_view ha2);

// Compares two digests in time that does not depend on where they differ.
[[nodiscard]] bool digests_equal(std::string_view a, std::string_view b) noexcept;

}  // namespace trapezoid::auth
