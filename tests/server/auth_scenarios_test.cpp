// Digest authentication in the real `trapezoid serve` ([auth] enabled), with users made by the
// real `trapezoid user add` and SIPp answering the challenges. SIPp computes only MD5 and reads
// only the first challenge, so the server here offers MD5 alone (`algorithms`); SHA-256 is
// checked by the unit tests' RFC 7616 vectors.
#include <fstream>

#include "server_fixture.hpp"

namespace trapezoid::server_test {
namespace {

class AuthServerTest : public ServerTest {
 protected:
  // Starts the server with an [auth] section (plus `extra_auth` keys) and the users given as
  // "name:password".
  void start_with_auth(const std::vector<std::string>& users, const std::string& extra_auth = "") {
    config_ = dir_.path() + "/auth.toml";
    std::ofstream(config_) << "[auth]\nenabled = true\nrealm = \"trapezoid.test\"\nalgorithms = [\"MD5\"]\n"
                           << extra_auth;
    for (const std::string& u : users) {
      const std::size_t colon = u.find(':');
      // The password on stdin, as an administrator would type it.
      const std::string cmd = "printf '%s\\n' '" + u.substr(colon + 1) + "' | " + TRAPEZOID_BINARY +
                              " user add " + u.substr(0, colon) + " --config " + config_ + " --data-dir " +
                              data_dir() + " > /dev/null";
      ASSERT_EQ(run_command(cmd), 0) << cmd;
    }
    start({"--config", config_});
    ASSERT_NE(log().find("digest authentication in realm \"trapezoid.test\""), std::string::npos) << log();
  }
  // Registers `user` (contact on `contact_port`) answering the 401 as `auth_user`/`password`.
  int register_as(const std::string& scenario, const std::string& user, int contact_port, const std::string& auth_user,
                  const std::string& password) {
    return run(scenario, "-m 1 -set user " + user + " -set contact_port " + std::to_string(contact_port) + " -au " +
                             auth_user + " -ap " + password);
  }

  std::string config_;
};

// §10.3 step 3: the first REGISTER gets 401 with the challenge, the answer gets 200.
TEST_F(AuthServerTest, RegisterAnswersTheChallengeAndGets200) {
  start_with_auth({"alice:wonderland"});
  EXPECT_EQ(register_as("register_digest.xml", "alice", free_udp_port(), "alice", "wonderland"), 0) << log();
  EXPECT_NE(log().find("REGISTER sip:alice@127.0.0.1 -> 200 OK, added"), std::string::npos) << log();
}

// A wrong password is challenged again and binds nothing; the right password of another user
// may not register alice's address (§10.3 step 4): 403, no binding either.
TEST_F(AuthServerTest, WrongPasswordOrAnotherUsersCredentialsMakeNoBinding) {
  // Proxied requests unchallenged here, so that an INVITE can probe the location service.
  start_with_auth({"alice:wonderland", "bob:builder"}, "proxy = false\n");
  const int contact = free_udp_port();
  EXPECT_EQ(register_as("register_digest_refused_401.xml", "alice", contact, "alice", "queen-of-hearts"), 0) << log();
  EXPECT_EQ(register_as("register_digest_refused_403.xml", "alice", contact, "bob", "builder"), 0) << log();
  EXPECT_NE(log().find("403 Forbidden (authenticated as bob)"), std::string::npos) << log();
  // alice never registered: an unknown user (404), not one without a binding now (480).
  EXPECT_EQ(run("uac_expect_404.xml", "-m 1 -set callee alice"), 0) << log();
}

// §22.3: an INVITE from a user of our domain is challenged with 407; with Proxy-Authorization
// it is routed to the callee, and the ACK and BYE inside the dialog pass unchallenged.
TEST_F(AuthServerTest, InviteFromOurUserIsChallengedWith407ThenRouted) {
  start_with_auth({"alice:wonderland", "bob:builder"});
  const int bob = free_udp_port();
  ASSERT_EQ(register_as("register_digest.xml", "bob", bob, "bob", "builder"), 0) << log();
  auto callee = uas("uas_answer.xml", bob);
  // The digest-uri must be the Request-URI (RFC 2617 §3.2.2.5); SIPp's default is the server's
  // address.
  EXPECT_EQ(run("uac_call_digest.xml", "-m 1 -set caller alice -set callee bob -au alice -ap wonderland -auth_uri bob@127.0.0.1:" +
                                           std::to_string(port_)),
            0)
      << log();
  EXPECT_EQ(callee->wait(), 0) << log();
  EXPECT_NE(log().find("INVITE sip:bob@127.0.0.1:" + std::to_string(port_) + " -> 407 (local)"), std::string::npos)
      << log();
}

// The same server without [auth]: the unauthenticated REGISTER of the other scenarios is
// accepted at once (what every other server test relies on).
TEST_F(AuthServerTest, WithoutTheAuthSectionNothingIsChallenged) {
  start();
  EXPECT_EQ(register_contact("alice", free_udp_port()), 0) << log();
}

// SIGHUP applies [auth]: turned on, a REGISTER must answer a challenge; turned off again, the
// plain REGISTER is accepted.
TEST_F(AuthServerTest, SighupTurnsAuthenticationOnAndOff) {
  const std::string cfg = dir_.path() + "/reload.toml";
  std::ofstream(cfg) << "[auth]\nenabled = false\nrealm = \"trapezoid.test\"\nalgorithms = [\"MD5\"]\n";
  ASSERT_EQ(run_command("printf 'wonderland\\n' | " + std::string(TRAPEZOID_BINARY) + " user add alice --config " + cfg +
                        " --data-dir " + data_dir() + " > /dev/null"),
            0);
  start({"--config", cfg});
  EXPECT_EQ(register_contact("alice", free_udp_port()), 0) << log();
  auto reload = [&](const std::string& text, const std::string& expect) {
    std::ofstream(cfg) << text;
    const std::size_t before = log().size();
    server_->signal(SIGHUP);
    for (int i = 0; i < 100 && log().find(expect, before) == std::string::npos; ++i) ::usleep(20 * 1000);
    EXPECT_NE(log().find(expect, before), std::string::npos) << log();
  };
  reload("[auth]\nenabled = true\nrealm = \"trapezoid.test\"\nalgorithms = [\"MD5\"]\n",
         "digest authentication in realm \"trapezoid.test\"");
  EXPECT_EQ(register_as("register_digest.xml", "alice", free_udp_port(), "alice", "wonderland"), 0) << log();
  reload("[auth]\nenabled = false\n", "no authentication");
  EXPECT_EQ(register_contact("alice", free_udp_port()), 0) << log();
}

}  // namespace
}  // namespace trapezoid::server_test
