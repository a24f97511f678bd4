// The verifier on parsed requests, against subscribers in a real SQLite file: every outcome
// (authenticated, challenge, stale, 400, 403) and the challenges it writes.
#include "auth/verifier.hpp"

#include <gtest/gtest.h>

#include "auth/sqlite_credentials.hpp"
#include "auth_test_support.hpp"

namespace trapezoid::auth {
namespace {

using test::ClientAnswer;
using test::Request;

constexpr UnixSeconds kNow = 1'790'000'000;

class VerifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    ASSERT_EQ(users_.open(dir_.path() + "/registrations.db"), "");
    ASSERT_EQ(users_.add("alice", "atlanta.com", "wonderland"), "");
    ASSERT_EQ(users_.add("bob", "atlanta.com", "builder"), "");
  }

  // The decision for a REGISTER carrying `answer` in an Authorization field (or `header`).
  AuthDecision answer(ClientAnswer a, std::string_view header = "Authorization",
                      AuthHeaderKind kind = AuthHeaderKind::kServer, std::optional<std::string_view> claimed = {},
                      UnixSeconds at = kNow) {
    if (a.nonce.empty()) a.nonce = nonces_.issue("atlanta.com", kNow);
    Request r;
    EXPECT_TRUE(test::make_request(r, std::string(header) + ": " + test::credentials_value(a) + "\r\n", a.method));
    return verifier_.verify(r.message, kind, at, claimed);
  }
  AuthDecision raw(std::string_view headers, AuthHeaderKind kind = AuthHeaderKind::kServer) {
    Request r;
    EXPECT_TRUE(test::make_request(r, headers));
    return verifier_.verify(r.message, kind, kNow);
  }

  test::TempDir dir_;
  SqliteCredentials users_;
  NonceCodec nonces_{random_secret(), std::chrono::seconds(300)};
  DigestVerifier verifier_{{.realm = "atlanta.com"}, nonces_, users_};
};

TEST_F(VerifierTest, NoCredentialsGetsChallengesSha256ThenMd5) {
  const AuthDecision d = raw("");
  EXPECT_EQ(d.outcome, AuthOutcome::kChallenge);
  EXPECT_EQ(d.status, 401);
  EXPECT_EQ(d.reason, "Unauthorized");
  EXPECT_EQ(d.challenge_header, sip::HeaderId::kWwwAuthenticate);
  ASSERT_EQ(d.challenges.size(), 2u);
  sip::Challenge sha, md5;
  ASSERT_EQ(sip::parse_challenge(d.challenges[0], sha), "");
  ASSERT_EQ(sip::parse_challenge(d.challenges[1], md5), "");
  EXPECT_EQ(sha.algorithm(), "SHA-256");
  EXPECT_EQ(md5.algorithm(), "MD5");
  EXPECT_EQ(sha.realm(), "atlanta.com");
  EXPECT_TRUE(sha.offers_qop("auth"));
  EXPECT_FALSE(sha.stale());
  ASSERT_TRUE(sha.nonce());
  EXPECT_EQ(nonces_.check(*sha.nonce(), "atlanta.com", kNow), NonceState::kValid);
}

TEST_F(VerifierTest, ProxyKindChallengesWith407AndReadsProxyAuthorization) {
  const AuthDecision p = raw("", AuthHeaderKind::kProxy);
  EXPECT_EQ(p.status, 407);
  EXPECT_EQ(p.reason, "Proxy Authentication Required");
  EXPECT_EQ(p.challenge_header, sip::HeaderId::kProxyAuthenticate);
  EXPECT_EQ(answer({}, "Proxy-Authorization", AuthHeaderKind::kProxy).outcome, AuthOutcome::kAuthenticated);
  // Authorization is not for a proxy, nor Proxy-Authorization for a registrar.
  EXPECT_EQ(answer({}, "Authorization", AuthHeaderKind::kProxy).status, 407);
  EXPECT_EQ(answer({}, "Proxy-Authorization", AuthHeaderKind::kServer).status, 401);
}

TEST_F(VerifierTest, RightPasswordAuthenticatesWithEveryAlgorithm) {
  for (DigestAlgorithm alg : {DigestAlgorithm::kSha256, DigestAlgorithm::kMd5, DigestAlgorithm::kSha256Sess,
                              DigestAlgorithm::kMd5Sess}) {
    ClientAnswer a;
    a.algorithm = alg;
    const AuthDecision d = answer(a);
    EXPECT_EQ(d.outcome, AuthOutcome::kAuthenticated) << algorithm_name(alg);
    EXPECT_EQ(d.username, "alice");
    EXPECT_EQ(d.status, 0);
  }
}

TEST_F(VerifierTest, Md5WithoutQopOrAlgorithmIsTheRfc2069Form) {
  ClientAnswer a;
  a.algorithm = DigestAlgorithm::kMd5;
  a.write_algorithm = false;
  a.qop = "";
  EXPECT_EQ(answer(a).outcome, AuthOutcome::kAuthenticated);
  // SHA-256 has no such form (RFC 7616 always has a qop).
  a.algorithm = DigestAlgorithm::kSha256;
  a.write_algorithm = true;
  EXPECT_EQ(answer(a).status, 400);
}

TEST_F(VerifierTest, WrongPasswordUnknownUserOrMethodIsChallengedAgain) {
  ClientAnswer a;
  a.password = "wrong";
  AuthDecision d = answer(a);
  EXPECT_EQ(d.status, 401);
  EXPECT_EQ(d.challenges.size(), 2u);
  ClientAnswer nobody;
  nobody.username = "mallory";
  EXPECT_EQ(answer(nobody).status, 401);
  // A response computed over another method does not authenticate this one.
  ClientAnswer other_method;
  other_method.method = "INVITE";
  Request r;
  other_method.nonce = nonces_.issue("atlanta.com", kNow);
  ASSERT_TRUE(test::make_request(r, "Authorization: " + test::credentials_value(other_method) + "\r\n"));
  EXPECT_EQ(verifier_.verify(r.message, AuthHeaderKind::kServer, kNow).status, 401);
}

TEST_F(VerifierTest, OldNonceWithTheRightPasswordIsStale) {
  ClientAnswer a;
  a.nonce = nonces_.issue("atlanta.com", kNow - 301);
  AuthDecision d = answer(a);
  ASSERT_EQ(d.outcome, AuthOutcome::kChallenge);
  sip::Challenge c;
  ASSERT_EQ(sip::parse_challenge(d.challenges.front(), c), "");
  EXPECT_EQ(c.stale(), true);
  // With a wrong password the client must ask its user again: not stale.
  a.password = "wrong";
  d = answer(a);
  ASSERT_EQ(sip::parse_challenge(d.challenges.front(), c), "");
  EXPECT_FALSE(c.stale().value_or(false));
}

TEST_F(VerifierTest, ForgedOrForeignNonceIsChallengedNotStale) {
  ClientAnswer a;
  a.nonce = "0000000000000000" + std::string(32, 'a');
  AuthDecision d = answer(a);
  EXPECT_EQ(d.status, 401);
  sip::Challenge c;
  ASSERT_EQ(sip::parse_challenge(d.challenges.front(), c), "");
  EXPECT_FALSE(c.stale().value_or(false));
  NonceCodec other(random_secret(), std::chrono::seconds(300));
  a.nonce = other.issue("atlanta.com", kNow);
  EXPECT_EQ(answer(a).status, 401);
  a.nonce = nonces_.issue("biloxi.com", kNow);  // ours, but for another realm
  EXPECT_EQ(answer(a).status, 401);
}

TEST_F(VerifierTest, OtherRealmsAreLeftForOtherServers) {
  ClientAnswer foreign;
  foreign.realm = "biloxi.com";
  foreign.nonce = "whatever";
  const std::string theirs = "Authorization: " + test::credentials_value(foreign) + "\r\n";
  EXPECT_EQ(raw(theirs).status, 401);
  ClientAnswer mine;
  mine.nonce = nonces_.issue("atlanta.com", kNow);
  const AuthDecision d = raw(theirs + "Authorization: " + test::credentials_value(mine) + "\r\n");
  EXPECT_EQ(d.outcome, AuthOutcome::kAuthenticated);
  // Another scheme is not ours either.
  EXPECT_EQ(raw("Authorization: Bearer abc.def\r\n").status, 401);
}

TEST_F(VerifierTest, MalformedOrIncompleteCredentialsAre400) {
  EXPECT_EQ(raw("Authorization: Digest username=\"alice\", realm=\"atlanta.com\r\n").status, 400);
  EXPECT_EQ(raw("Authorization: Digest username=\"alice\",, realm=\"atlanta.com\"\r\n").status, 400);
  EXPECT_EQ(raw("Authorization: Digest realm=\"atlanta.com\", nc=zz\r\n").status, 400);
  const AuthDecision missing = raw(
      "Authorization: Digest username=\"alice\", realm=\"atlanta.com\", nonce=\"n\", uri=\"sip:atlanta.com\"\r\n");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.outcome, AuthOutcome::kBadRequest);
  // qop without cnonce and nc (RFC 2617 §3.2.2).
  EXPECT_EQ(raw("Authorization: Digest username=\"alice\", realm=\"atlanta.com\", nonce=\"n\", "
                "uri=\"sip:atlanta.com\", response=\"00\", qop=auth\r\n")
                .status,
            400);
}

TEST_F(VerifierTest, DigestUriMustBeTheRequestUri) {
  ClientAnswer a;
  a.uri = "sip:biloxi.com";
  const AuthDecision d = answer(a);
  EXPECT_EQ(d.status, 400);
  EXPECT_EQ(d.reason, "URI Mismatch");
  // The same URI written differently (§19.1.4: host case-insensitive) is the same resource.
  a.uri = "sip:ATLANTA.com";
  EXPECT_EQ(answer(a).outcome, AuthOutcome::kAuthenticated);
}

TEST_F(VerifierTest, AuthenticatedAsSomeoneElseIs403) {
  ClientAnswer bob;
  bob.username = "bob";
  bob.password = "builder";
  const AuthDecision d = answer(bob, "Authorization", AuthHeaderKind::kServer, "alice");
  EXPECT_EQ(d.outcome, AuthOutcome::kForbidden);
  EXPECT_EQ(d.status, 403);
  EXPECT_EQ(d.username, "bob");
  EXPECT_EQ(answer(bob, "Authorization", AuthHeaderKind::kServer, "bob").outcome, AuthOutcome::kAuthenticated);
}

TEST_F(VerifierTest, UserAddedLaterAuthenticatesWithoutRestart) {
  ClientAnswer carol;
  carol.username = "carol";
  carol.password = "pw";
  EXPECT_EQ(answer(carol).status, 401);
  ASSERT_EQ(users_.add("carol", "atlanta.com", "pw"), "");
  EXPECT_EQ(answer(carol).outcome, AuthOutcome::kAuthenticated);
}

TEST_F(VerifierTest, OnlyTheConfiguredAlgorithmsAreOffered) {
  DigestVerifier md5_only({.realm = "atlanta.com", .algorithms = {DigestAlgorithm::kMd5}}, nonces_, users_);
  Request r;
  ASSERT_TRUE(test::make_request(r, ""));
  const AuthDecision d = md5_only.verify(r.message, AuthHeaderKind::kServer, kNow);
  ASSERT_EQ(d.challenges.size(), 1u);
  EXPECT_NE(d.challenges[0].find("algorithm=MD5"), std::string::npos) << d.challenges[0];
}

}  // namespace
}  // namespace trapezoid::auth
