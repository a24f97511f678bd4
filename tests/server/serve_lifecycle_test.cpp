// `trapezoid serve` as an operator runs it: bad configuration refused with the line and the
// reason, SIGTERM drains and exits 0, SIGHUP reloads, registrations survive kill -9, bindings
// expire on time, and junk does not stop service.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <filesystem>
#include <fstream>

#include "server_fixture.hpp"

namespace trapezoid::server_test {
namespace {

void write_file(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

TEST_F(ServerTest, BadConfigFileIsRefusedWithItsLine) {
  const std::string cfg = dir_.path() + "/bad.toml";
  write_file(cfg, "[server]\nworkers = 2\n\n[registrar]\nmin_expires = \"sixty\"\n");
  ServerProcess s({"--config", cfg, "--data-dir", data_dir()}, dir_.path() + "/bad.log");
  EXPECT_FALSE(s.wait_ready(std::chrono::seconds(5)));
  EXPECT_EQ(s.wait_exit(), 2);
  EXPECT_NE(s.log().find(cfg + ":5: min_expires must be an integer"), std::string::npos) << s.log();
}

TEST_F(ServerTest, BadListenFlagIsRefused) {
  ServerProcess s({"--listen", "udp:localhost:5060", "--data-dir", data_dir()}, dir_.path() + "/bad.log");
  EXPECT_EQ(s.wait_exit(), 2);
  EXPECT_NE(s.log().find("is not an IPv4 or IPv6 address"), std::string::npos) << s.log();
}

TEST_F(ServerTest, PortInUseIsAClearStartError) {
  start();
  ServerProcess second({"--listen", "udp:127.0.0.1:" + std::to_string(port_), "--data-dir", dir_.path() + "/d2",
                        "--workers", "1"},
                       dir_.path() + "/second.log");
  EXPECT_EQ(second.wait_exit(), 1);
  EXPECT_NE(second.log().find("cannot listen"), std::string::npos) << second.log();
}

TEST_F(ServerTest, SigtermDrainsAndExitsCleanly) {
  start();
  EXPECT_EQ(run("options_ping.xml"), 0) << log();
  server_->signal(SIGTERM);
  EXPECT_EQ(server_->wait_exit(), 0) << log();
  EXPECT_NE(log().find("draining on SIGTERM"), std::string::npos) << log();
  EXPECT_NE(log().find("stopped"), std::string::npos) << log();
}

TEST_F(ServerTest, SighupReloadsTheConfigFile) {
  const std::string cfg = dir_.path() + "/t.toml";
  write_file(cfg, "[server]\nlog_level = \"info\"\n");
  start({"--config", cfg});
  write_file(cfg, "[server]\nlog_level = \"warning\"\n");
  server_->signal(SIGHUP);
  for (int i = 0; i < 100 && log().find("reloaded") == std::string::npos; ++i) ::usleep(20 * 1000);
  EXPECT_NE(log().find("reloaded: log_level warning"), std::string::npos) << log();
  // Redirect mode and a domain list take effect without a restart: bob@127.0.0.1 (our own
  // address) still resolves, now with a 302.
  const int bob = free_udp_port();
  ASSERT_EQ(register_contact("bob", bob), 0) << log();
  write_file(cfg, "[server]\nlog_level = \"warning\"\nmode = \"redirect\"\ndomains = [\"example.com\"]\n");
  server_->signal(SIGHUP);
  for (int i = 0; i < 100 && log().find("redirect mode, 1 domain(s)") == std::string::npos; ++i) ::usleep(20 * 1000);
  EXPECT_NE(log().find("reloaded: log_level warning, redirect mode, 1 domain(s)"), std::string::npos) << log();
  EXPECT_EQ(run("uac_expect_302.xml", "-m 1 -set callee bob"), 0) << log();
  // A broken file is refused; the server keeps running on what it had.
  write_file(cfg, "[server]\nlog_level = 3\n");
  server_->signal(SIGHUP);
  for (int i = 0; i < 100 && log().find("reload refused") == std::string::npos; ++i) ::usleep(20 * 1000);
  EXPECT_NE(log().find("reload refused"), std::string::npos) << log();
  EXPECT_EQ(run("options_ping.xml"), 0) << log();
}

// 1,000 users registered, the server killed with SIGKILL after the store's batch interval, a
// new server on the same data directory resolves every one of them (redirect mode: the 302
// lists the binding).
TEST_F(ServerTest, RegistrationsSurviveKillDashNine) {
  start({"--log-level", "warning"});
  ASSERT_EQ(run("register_users.xml", "-m 1000 -r 500 -l 200"), 0) << log();
  ::usleep(600 * 1000);  // > the 200 ms write-behind interval
  server_->signal(SIGKILL);
  EXPECT_EQ(server_->wait_exit(), 128 + SIGKILL);
  start({"--log-level", "warning", "--mode", "redirect"});
  EXPECT_NE(log().find("1000 binding(s) loaded"), std::string::npos) << log();
  EXPECT_EQ(run("invite_users_302.xml", "-m 1000 -r 500 -l 200"), 0) << log();
}

// A binding lasts its expires (§10.3): registered for 2 s, it is gone after 3 s and the known
// user gets 480 instead of being routed (§16.5 / §21.4.18); a never-registered one gets 404.
TEST_F(ServerTest, BindingsExpireAndAKnownUserGets480) {
  const std::string cfg = dir_.path() + "/short.toml";
  write_file(cfg, "[registrar]\nmin_expires = 1\ndefault_expires = 2\n");
  start({"--config", cfg});
  ASSERT_EQ(run("register_short.xml", "-m 1 -set user dave -set expires 2"), 0) << log();
  ::sleep(3);
  EXPECT_EQ(run("uac_expect_480.xml", "-m 1 -set callee dave"), 0) << log();
  EXPECT_EQ(run("uac_expect_404.xml", "-m 1 -set callee erin"), 0) << log();
}

// A flood of junk datagrams (bounded: 20,000) does not stop service to a well-formed client.
TEST_F(ServerTest, JunkFloodDoesNotStopService) {
  start({"--log-level", "error"});
  const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<std::uint16_t>(port_));
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const std::string junk[] = {"\x01\x02garbage", "INVITE sip:x SIP/2.0\r\n\r\n", std::string(1400, 'A'),
                              "SIP/2.0 200 OK\r\n\r\n", "OPTIONS sip:a@b SIP/9.9\r\nVia: x\r\n\r\n"};
  for (int i = 0; i < 20000; ++i) {
    const std::string& j = junk[i % 5];
    (void)::sendto(fd, j.data(), j.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof(to));
  }
  ::close(fd);
  EXPECT_EQ(run("options_ping.xml"), 0) << log();
}

}  // namespace
}  // namespace trapezoid::server_test

namespace trapezoid::server_test {
namespace {

// The SQLite file locked by another process: REGISTERs are still answered from memory, the
// failure is logged loudly, and once the lock goes the store catches up (what was registered
// during the lock is on disk: a restart still resolves it).
TEST_F(ServerTest, LockedStoreKeepsServingThenCatchesUp) {
  start({"--log-level", "warning"});
  const std::string db = data_dir() + "/registrations.db";
  // Python's sqlite3 holds an exclusive lock for 3 s.
  const std::string locker = "python3 -c \"import sqlite3,time; c=sqlite3.connect('" + db +
                             "', isolation_level=None); c.execute('BEGIN EXCLUSIVE'); open('" + dir_.path() +
                             "/locked','w').close(); time.sleep(3); c.execute('COMMIT')\" &";
  ASSERT_EQ(run_command(locker), 0);
  for (int i = 0; i < 100 && !std::filesystem::exists(dir_.path() + "/locked"); ++i) ::usleep(20 * 1000);
  ASSERT_TRUE(std::filesystem::exists(dir_.path() + "/locked"));
  EXPECT_EQ(run("register_users.xml", "-m 50 -r 100"), 0) << log();
  for (int i = 0; i < 300 && log().find("caught up") == std::string::npos; ++i) ::usleep(20 * 1000);
  EXPECT_NE(log().find("database is locked"), std::string::npos) << log();
  EXPECT_NE(log().find("caught up"), std::string::npos) << log();
  server_->signal(SIGKILL);
  EXPECT_EQ(server_->wait_exit(), 128 + SIGKILL);
  start({"--log-level", "warning"});
  EXPECT_NE(log().find(" 50 binding(s) loaded"), std::string::npos) << log();
}

}  // namespace
}  // namespace trapezoid::server_test
