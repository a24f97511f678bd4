// The server's authentication policy (server_auth.hpp) on parsed requests, with subscribers in a
// real SQLite file and a real location service saying which domains are ours: who is
// challenged, as whom they must authenticate, and what is left alone.
#include "server_auth.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "auth/digest.hpp"
#include "auth/sqlite_credentials.hpp"
#include "registrar/location_service.hpp"
#include "sip/auth_header.hpp"
#include "sip/parser.hpp"

namespace trapezoid::apps {
namespace {

constexpr auth::UnixSeconds kNow = 1'790'000'000;

class ServerAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "trapezoid-serverauth-XXXXXX").string();
    ASSERT_TRUE(mkdtemp(pattern.data()));
    dir_ = pattern;
    auto users = std::make_shared<auth::SqliteCredentials>();
    ASSERT_EQ(users->open(dir_ + "/registrations.db"), "");
    ASSERT_EQ(users->add("alice", "atlanta.com", "wonderland"), "");
    ASSERT_EQ(users->add("bob", "atlanta.com", "builder"), "");
    users_ = users;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  ServerAuth make(bool third_party = false) {
    ServerAuthSettings s;
    s.verifier.realm = "atlanta.com";
    s.verifier.algorithms = {auth::DigestAlgorithm::kSha256};
    s.allow_third_party_register = third_party;
    return ServerAuth(s, nonces_, users_, locations_);
  }

  // A request with `from`/`to` users and hosts; with credentials of `auth_user` when given.
  bool request(std::string_view method, std::string_view ruri, std::string_view from, std::string_view to,
               std::string_view to_tag = {}, std::string_view auth_user = {}, std::string_view password = {},
               std::string_view header = "Proxy-Authorization") {
    std::string creds;
    if (!auth_user.empty()) {
      const auto alg = auth::DigestAlgorithm::kSha256;
      const std::string nonce = nonces_->issue("atlanta.com", kNow);
      const std::string response = auth::digest_response(
          alg, auth::digest_ha1(alg, auth_user, "atlanta.com", password), nonce, "00000001", "c0ffee", "auth",
          auth::digest_ha2(alg, method, ruri));
      creds = std::string(header) + ": " +
              sip::build_digest_credentials({.username = auth_user, .realm = "atlanta.com", .nonce = nonce,
                                             .uri = ruri, .response = response, .algorithm = "SHA-256",
                                             .cnonce = "c0ffee", .qop = "auth", .nc = 1})
                  .value() +
              "\r\n";
    }
    bytes_ = std::string(method) + " " + std::string(ruri) + " SIP/2.0\r\n" +
             "Via: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bK74bf9\r\nMax-Forwards: 70\r\n" +
             "From: <sip:" + std::string(from) + ">;tag=9fxced76sl\r\n" + "To: <sip:" + std::string(to) + ">" +
             (to_tag.empty() ? "" : ";tag=" + std::string(to_tag)) + "\r\n" +
             "Call-ID: 3848276298220188511@atlanta.com\r\nCSeq: 1 " + std::string(method) + "\r\n" +
             "Contact: <sip:x@192.0.2.4>\r\n" + creds + "Content-Length: 0\r\n\r\n";
    return sip::parse_datagram(bytes_, msg_).ok();
  }

  std::string dir_;
  std::shared_ptr<const auth::CredentialSource> users_;
  std::shared_ptr<const auth::NonceCodec> nonces_ =
      std::make_shared<const auth::NonceCodec>(auth::random_secret(), std::chrono::seconds(300));
  registrar::LocationService locations_{{.domains = {"atlanta.com"}, .own_addresses = {}}};
  std::string bytes_;
  sip::Message msg_;
};

TEST_F(ServerAuthTest, OurUsersAreChallengedWith407) {
  const ServerAuth a = make();
  ASSERT_TRUE(request("INVITE", "sip:bob@atlanta.com", "alice@atlanta.com", "bob@atlanta.com"));
  const proxy::AuthorizationVerdict v = a.check_proxied(msg_, kNow);
  EXPECT_EQ(v.status, 407);
  ASSERT_EQ(v.headers.size(), 1u);
  EXPECT_EQ(v.headers[0].first, sip::HeaderId::kProxyAuthenticate);
  ASSERT_TRUE(request("INVITE", "sip:bob@atlanta.com", "alice@atlanta.com", "bob@atlanta.com", {}, "alice",
                      "wonderland"));
  EXPECT_EQ(a.check_proxied(msg_, kNow).status, 0);
}

TEST_F(ServerAuthTest, ForeignCallersAreNotChallenged) {
  const ServerAuth a = make();
  ASSERT_TRUE(request("INVITE", "sip:bob@atlanta.com", "carol@chicago.com", "bob@atlanta.com"));
  EXPECT_EQ(a.check_proxied(msg_, kNow).status, 0);
}

TEST_F(ServerAuthTest, CallingAsSomeoneElseIs403) {
  const ServerAuth a = make();
  ASSERT_TRUE(request("INVITE", "sip:carol@chicago.com", "alice@atlanta.com", "carol@chicago.com", {}, "bob",
                      "builder"));
  EXPECT_EQ(a.check_proxied(msg_, kNow).status, 403);
}

TEST_F(ServerAuthTest, RegisterOnlyForOnesOwnAorUnlessThirdPartyIsAllowed) {
  const ServerAuth strict = make();
  ASSERT_TRUE(request("REGISTER", "sip:atlanta.com", "alice@atlanta.com", "alice@atlanta.com"));
  std::optional<auth::AuthDecision> d = strict.check_register(msg_, kNow);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->status, 401);
  ASSERT_TRUE(request("REGISTER", "sip:atlanta.com", "alice@atlanta.com", "alice@atlanta.com", {}, "alice",
                      "wonderland", "Authorization"));
  EXPECT_FALSE(strict.check_register(msg_, kNow));
  ASSERT_TRUE(request("REGISTER", "sip:atlanta.com", "bob@atlanta.com", "alice@atlanta.com", {}, "bob", "builder",
                      "Authorization"));
  d = strict.check_register(msg_, kNow);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->status, 403);
  EXPECT_FALSE(make(true).check_register(msg_, kNow));
}

}  // namespace
}  // namespace trapezoid::apps
