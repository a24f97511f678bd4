// SIPp (Debian's sip-tester) as an independent UAC against the test server: each scenario in
// tests/integration/sipp/ runs one call (-m 1) on 127.0.0.1 and must end with exit code 0.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <string>

#include "test_server.hpp"

namespace trapezoid::integration {
namespace {

// The exit code of `sipp` running `scenario` against `server`, or -1 when it did not exit.
int run_sipp(const std::string& scenario, const transport::Endpoint& server) {
  // timeout(1) bounds the run even if SIPp's own -timeout did not.
  const std::string command = std::string("timeout 30 ") + TRAPEZOID_SIPP + " 127.0.0.1:" +
                              std::to_string(server.port) + " -sf " + TRAPEZOID_SIPP_SCENARIOS + "/" +
                              scenario + " -i 127.0.0.1 -t u1 -m 1 -timeout 10s -timeout_error -nostdin" +
                              " > /dev/null 2>&1";
  const int status = std::system(command.c_str());
  return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(Sipp, InviteBusyAck) {
  if (std::string(TRAPEZOID_SIPP).empty()) GTEST_SKIP() << "sipp not found";
  TestServer server;
  ASSERT_FALSE(server.start_error);
  EXPECT_EQ(run_sipp("invite_busy.xml", server.local(transport::TransportKind::kUdp)), 0);
  EXPECT_EQ(server.requests("INVITE"), 1);
}

}  // namespace
}  // namespace trapezoid::integration
