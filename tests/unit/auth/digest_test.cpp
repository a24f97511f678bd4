// The digest computations against the examples the RFCs publish.
#include "auth/digest.hpp"

#include <gtest/gtest.h>

namespace trapezoid::auth {
namespace {

// RFC 2617 §3.5: Mufasa / "Circle Of Life", qop=auth, MD5.
TEST(Digest, Rfc2617Md5Example) {
  const auto alg = DigestAlgorithm::kMd5;
  const std::string ha1 = digest_ha1(alg, "Mufasa", "testrealm@host.com", "Circle Of Life");
  const std::string ha2 = digest_ha2(alg, "GET", "/dir/index.html");
  EXPECT_EQ(digest_response(alg, ha1, "dcd98b7102dd2f0e8b11d0f600bfb0c093", "00000001", "0a4f113b", "auth", ha2),
            "6629fae49393a05397450978507c4ef1");
}

// RFC 7616 §3.9.1: the same request answered with MD5 and with SHA-256.
TEST(Digest, Rfc7616Sha256AndMd5Example) {
  constexpr std::string_view realm = "http-auth@example.org";
  constexpr std::string_view nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
  constexpr std::string_view cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
  for (auto [alg, expected] : {std::pair{DigestAlgorithm::kSha256,
                                         "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"},
                               std::pair{DigestAlgorithm::kMd5, "8ca523f5e9506fed4657c9700eebdbec"}}) {
    const std::string ha1 = digest_ha1(alg, "Mufasa", realm, "Circle of Life");
    const std::string ha2 = digest_ha2(alg, "GET", "/dir/index.html");
    EXPECT_EQ(digest_response(alg, ha1, nonce, "00000001", cnonce, "auth", ha2), expected) << algorithm_name(alg);
  }
}

// RFC 2069 (no qop): response = H(HA1:nonce:HA2). The sum is the one of the §3.5 values
// without nc, cnonce and qop; checked against the formula written out.
TEST(Digest, NoQopIsTheRfc2069Form) {
  const auto alg = DigestAlgorithm::kMd5;
  const std::string ha1 = digest_ha1(alg, "Mufasa", "testrealm@host.com", "Circle Of Life");
  const std::string ha2 = digest_ha2(alg, "GET", "/dir/index.html");
  EXPECT_EQ(digest_response(alg, ha1, "n", "", "", "", ha2), digest_hex(alg, ha1 + ":n:" + ha2));
  EXPECT_EQ(digest_hex(alg, ""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(digest_hex(DigestAlgorithm::kSha256, ""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Digest, SessionHa1HashesNonceAndCnonce) {
  const std::string stored = digest_ha1(DigestAlgorithm::kSha256, "alice", "atlanta.com", "pw");
  EXPECT_EQ(session_ha1(DigestAlgorithm::kSha256, stored, "n", "c"), stored);
  EXPECT_EQ(session_ha1(DigestAlgorithm::kSha256Sess, stored, "n", "c"),
            digest_hex(DigestAlgorithm::kSha256, stored + ":n:c"));
  EXPECT_EQ(session_ha1(DigestAlgorithm::kMd5Sess, "x", "n", "c").size(), 32u);
}

TEST(Digest, AlgorithmNames) {
  EXPECT_EQ(parse_algorithm(""), DigestAlgorithm::kMd5);  // RFC 2617 §3.2.1: absent is MD5
  EXPECT_EQ(parse_algorithm("md5"), DigestAlgorithm::kMd5);
  EXPECT_EQ(parse_algorithm("MD5-sess"), DigestAlgorithm::kMd5Sess);
  EXPECT_EQ(parse_algorithm("sha-256"), DigestAlgorithm::kSha256);
  EXPECT_EQ(parse_algorithm("SHA-256-sess"), DigestAlgorithm::kSha256Sess);
  EXPECT_FALSE(parse_algorithm("SHA-512-256"));
  EXPECT_FALSE(parse_algorithm("AKAv1-MD5"));
  for (auto a : {DigestAlgorithm::kMd5, DigestAlgorithm::kMd5Sess, DigestAlgorithm::kSha256,
                 DigestAlgorithm::kSha256Sess})
    EXPECT_EQ(parse_algorithm(algorithm_name(a)), a);
  EXPECT_TRUE(is_session(DigestAlgorithm::kMd5Sess));
  EXPECT_FALSE(is_session(DigestAlgorithm::kSha256));
}

TEST(Digest, EqualityIsExact) {
  EXPECT_TRUE(digests_equal("abc", "abc"));
  EXPECT_FALSE(digests_equal("abc", "abd"));
  EXPECT_FALSE(digests_equal("abc", "abcd"));
}

}  // namespace
}  // namespace trapezoid::auth
