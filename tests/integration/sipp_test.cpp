// SIPp (Debian's sip-tester) as an independent UAC against the test server: each scenario in
// tests/integration/sipp/ runs one call (-m 1) on 127.0.0.1, over UDP (-t u1) or TCP (-t t1),
// and must end with exit code 0 within SIPp's -timeout (and timeout(1)'s, should SIPp hang).
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "test_server.hpp"

namespace trapezoid::integration {
namespace {

using transport::TransportKind;

bool have_sipp() { return !std::string(TRAPEZOID_SIPP).empty(); }

// The exit code of `sipp` running `scenario` against `server` with `transport` ("u1", "t1")
// and `extra` options, or -1 when it did not exit.
int run_sipp(const std::string& scenario, const transport::Endpoint& server, const std::string& transport,
             const std::string& extra = "") {
  const std::string command = std::string("timeout 30 ") + TRAPEZOID_SIPP + " 127.0.0.1:" +
                              std::to_string(server.port) + " -sf " + TRAPEZOID_SIPP_SCENARIOS + "/" +
                              scenario + " -i 127.0.0.1 -t " + transport +
                              " -m 1 -timeout 10s -timeout_error -nostdin " + extra + " > /dev/null 2>&1";
  const int status = std::system(command.c_str());
  return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// A directory of its own for SIPp's log files, removed afterwards.
class ScratchDir {
 public:
  ScratchDir()
      : path_(std::filesystem::temp_directory_path() /
              ("trapezoid-sipp-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++))) {
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  [[nodiscard]] std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// How many times `needle` occurs in `text`.
std::size_t occurrences(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto p = text.find(needle); p != std::string::npos; p = text.find(needle, p + needle.size())) ++n;
  return n;
}

class Sipp : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have_sipp()) GTEST_SKIP() << "sipp not found";
    ASSERT_FALSE(server.start_error) << server.start_error.message();
  }
  // UDP and TCP listen on one port (RFC 3261 §18.2.1).
  [[nodiscard]] transport::Endpoint endpoint() const { return server.local(TransportKind::kUdp); }

  TestServer server;
};

TEST_F(Sipp, InviteBusyAck) {
  EXPECT_EQ(run_sipp("invite_busy.xml", endpoint(), "u1"), 0);
  EXPECT_EQ(server.requests("INVITE"), 1);
}

TEST_F(Sipp, OptionsOverTcp) {
  ASSERT_EQ(server.local(TransportKind::kTcp).port, endpoint().port);
  EXPECT_EQ(run_sipp("options.xml", endpoint(), "t1"), 0);
  EXPECT_EQ(server.requests("OPTIONS"), 1);
}

TEST_F(Sipp, InviteBusyAckOverTcp) {
  EXPECT_EQ(run_sipp("invite_busy.xml", endpoint(), "t1"), 0);
  EXPECT_EQ(server.requests("INVITE"), 1);
}

TEST_F(Sipp, RetransmittedInviteReachesTheTuOnceAndTheResponseIsResent) {
  const ScratchDir dir;
  const std::string log = dir.file("messages.log");
  EXPECT_EQ(run_sipp("invite_retransmitted.xml", endpoint(), "u1", "-pause_msg_ign -trace_msg -message_file " + log),
            0);
  EXPECT_EQ(server.requests("INVITE"), 1);
  // SIPp's log holds what it sent and received (ignored or not); it sends no responses, so
  // every 486 in it was received: the answer to the INVITE and the one sent again for its
  // retransmission (§17.2.1).
  const std::string messages = read_file(log);
  EXPECT_EQ(occurrences(messages, "INVITE sip:busy@"), 2u) << messages;
  EXPECT_GE(occurrences(messages, "SIP/2.0 486 "), 2u) << messages;
}

TEST_F(Sipp, CancelGets200And487ThenAck) {
  EXPECT_EQ(run_sipp("invite_cancel.xml", endpoint(), "u1"), 0);
  EXPECT_EQ(server.requests("INVITE"), 1);
  EXPECT_EQ(server.requests("CANCEL"), 1);
}

TEST_F(Sipp, CancelOverTcp) {
  EXPECT_EQ(run_sipp("invite_cancel.xml", endpoint(), "t1"), 0);
  EXPECT_EQ(server.requests("CANCEL"), 1);
}

}  // namespace
}  // namespace trapezoid::integration
