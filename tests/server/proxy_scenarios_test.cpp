// The registrar and the stateful proxy of `trapezoid serve`, driven by SIPp (Debian's
// sip-tester) on loopback: every scenario in tests/server/sipp must end with exit code 0.
#include <filesystem>

#include "server_fixture.hpp"

namespace trapezoid::server_test {
namespace {

TEST_F(ServerTest, AnswersOptionsToItself) {
  start();
  EXPECT_EQ(run("options_ping.xml"), 0) << log();
}

TEST_F(ServerTest, RegistersAThousandDistinctUsers) {
  start({"--log-level", "warning"});
  EXPECT_EQ(run("register_users.xml", "-m 1000 -r 500 -l 200"), 0) << log();
}

// INVITE/100/180/200/ACK/BYE/200: the 200 carries the proxy's Record-Route and the ACK and
// BYE follow the route set through the proxy to the callee (§16.6 item 4, §16.12).
TEST_F(ServerTest, CallThroughTheRecordRoutingProxy) {
  start();
  const int bob = free_udp_port();
  ASSERT_EQ(register_contact("bob", bob), 0) << log();
  auto callee = uas("uas_answer.xml", bob);
  EXPECT_EQ(run("uac_call.xml", "-m 1 -set callee bob"), 0) << log();
  EXPECT_EQ(callee->wait(), 0) << log();
}

// Two contacts with equal q ring in parallel; one answers and the other is cancelled (§16.7
// item 10).
TEST_F(ServerTest, ParallelForkOneAnswersTheOtherIsCancelled) {
  start();
  const int a = free_udp_port();
  const int b = free_udp_port();
  ASSERT_EQ(register_contact("bob", a), 0) << log();
  ASSERT_EQ(register_contact("bob", b), 0) << log();
  auto answers = uas("uas_answer.xml", a);
  auto rings = uas("uas_ring_cancel.xml", b);
  EXPECT_EQ(run("uac_call.xml", "-m 1 -set callee bob"), 0) << log();
  EXPECT_EQ(answers->wait(), 0) << log();
  EXPECT_EQ(rings->wait(), 0) << log();
}

// Both branches reject: 486 and 603; the caller gets the 603 (§16.7 item 6: a 6xx wins).
TEST_F(ServerTest, ParallelForkBothRejectSixHundredWins) {
  start();
  const int a = free_udp_port();
  const int b = free_udp_port();
  ASSERT_EQ(register_contact("bob", a), 0) << log();
  ASSERT_EQ(register_contact("bob", b), 0) << log();
  auto busy = uas("uas_reject_486.xml", a);
  auto declines = uas("uas_reject_603.xml", b);
  EXPECT_EQ(run("uac_expect_603.xml", "-m 1 -set callee bob"), 0) << log();
  EXPECT_EQ(busy->wait(), 0) << log();
  EXPECT_EQ(declines->wait(), 0) << log();
}

// Sequential forking by q (§16.6): the q=1.0 contact is tried first and rejects, then the
// q=0.5 one answers.
TEST_F(ServerTest, SequentialForkByQ) {
  start();
  const int first = free_udp_port();
  const int second = free_udp_port();
  ASSERT_EQ(register_contact("bob", first, "1.0"), 0) << log();
  ASSERT_EQ(register_contact("bob", second, "0.5"), 0) << log();
  auto busy = uas("uas_reject_486.xml", first);
  auto answers = uas("uas_answer.xml", second);
  EXPECT_EQ(run("uac_call.xml", "-m 1 -set callee bob"), 0) << log();
  EXPECT_EQ(busy->wait(), 0) << log();
  EXPECT_EQ(answers->wait(), 0) << log();
}

// ... and a lower-q contact is never tried when a higher one answers: the q=0.3 UAS must see
// no INVITE at all (it would get one, then a CANCEL, if the proxy forked in parallel).
TEST_F(ServerTest, SequentialForkStopsAtTheFirstAnswer) {
  start();
  const int first = free_udp_port();
  const int never = free_udp_port();
  ASSERT_EQ(register_contact("bob", first, "0.9"), 0) << log();
  ASSERT_EQ(register_contact("bob", never, "0.3"), 0) << log();
  auto answers = uas("uas_answer.xml", first);
  auto idle = uas("uas_ring_cancel.xml", never, "-m 1 -trace_msg");
  EXPECT_EQ(run("uac_call.xml", "-m 1 -set callee bob"), 0) << log();
  EXPECT_EQ(answers->wait(), 0) << log();
  idle->kill();
  EXPECT_EQ(idle->wait(), 128 + SIGKILL);  // still waiting for its INVITE
  // SIPp's message trace (uas_ring_cancel_<pid>_messages.log) shows what reached it.
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with("uas_ring_cancel_") || !name.ends_with("_messages.log")) continue;
    const std::string trace = read_file(entry.path().string());
    EXPECT_EQ(trace.find("INVITE sip:"), std::string::npos) << trace;
  }
}

// The caller gives up: its CANCEL goes on to the ringing callee (§16.10), which answers 487.
TEST_F(ServerTest, CancelFromTheCallerReachesTheCallee) {
  start();
  const int bob = free_udp_port();
  ASSERT_EQ(register_contact("bob", bob), 0) << log();
  auto rings = uas("uas_ring_cancel.xml", bob);
  EXPECT_EQ(run("uac_cancel.xml", "-m 1 -set callee bob"), 0) << log();
  EXPECT_EQ(rings->wait(), 0) << log();
}

TEST_F(ServerTest, UnknownUserGets404) {
  start();
  EXPECT_EQ(run("uac_expect_404.xml", "-m 1 -set callee nobody"), 0) << log();
}

// Redirect mode (§8.3): the INVITE is answered 302 with the registered contact.
TEST_F(ServerTest, RedirectModeAnswers302WithTheBindings) {
  start({"--mode", "redirect"});
  const int bob = free_udp_port();
  ASSERT_EQ(register_contact("bob", bob), 0) << log();
  EXPECT_EQ(run("uac_expect_302.xml", "-m 1 -set callee bob"), 0) << log();
  EXPECT_EQ(run("uac_expect_404.xml", "-m 1 -set callee nobody"), 0) << log();
}

}  // namespace
}  // namespace trapezoid::server_test

namespace trapezoid::server_test {
namespace {

// Four workers share the port; the kernel spreads datagrams by their source, so a callee's
// responses often reach another worker than the one whose INVITE client transaction they
// answer. Each must still complete its transaction there: every call is logged "-> 200" by
// the proxy (a response left at the wrong worker would only be forwarded statelessly, and the
// transaction would wait for Timer C).
TEST_F(ServerTest, ResponsesReachTheWorkerThatOwnsTheTransaction) {
  start({"--workers", "4"});
  constexpr int kCallees = 6;
  for (int u = 0; u < kCallees; ++u) {
    const std::string user = "callee" + std::to_string(u);
    const int port = free_udp_port();
    ASSERT_EQ(register_contact(user, port), 0) << log();
    auto callee = uas("uas_answer.xml", port);
    EXPECT_EQ(run("uac_call.xml", "-m 1 -set callee " + user), 0) << log();
    EXPECT_EQ(callee->wait(), 0) << log();
  }
  const std::string text = log();
  int answered = 0;
  for (std::size_t at = text.find("INVITE sip:callee"); at != std::string::npos;
       at = text.find("INVITE sip:callee", at + 1)) {
    const std::size_t eol = text.find('\n', at);
    if (text.substr(at, eol - at).find("-> 200") != std::string::npos) ++answered;
  }
  EXPECT_EQ(answered, kCallees) << text;
}

}  // namespace
}  // namespace trapezoid::server_test
