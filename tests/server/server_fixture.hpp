// A gtest fixture around one `trapezoid serve` on 127.0.0.1 (ephemeral UDP/TCP port, a fresh
// data directory) and the SIPp runs against it.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "server_process.hpp"

namespace trapezoid::server_test {

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string(TRAPEZOID_SIPP).empty()) GTEST_SKIP() << "sipp not found";
    ASSERT_FALSE(dir_.path().empty());
  }

  // Starts the server with the common flags plus `extra`; fails the test if it does not come up.
  void start(std::vector<std::string> extra = {}, const std::string& listen_port = "0") {
    std::vector<std::string> args = {"--data-dir", data_dir(), "--listen", "udp:127.0.0.1:" + listen_port,
                                     "--listen", "tcp:127.0.0.1:" + listen_port};
    if (std::find(extra.begin(), extra.end(), "--workers") == extra.end()) {
      args.push_back("--workers");
      args.push_back("1");
    }
    args.insert(args.end(), extra.begin(), extra.end());
    server_ = std::make_unique<ServerProcess>(args, dir_.path() + "/server-" + std::to_string(++starts_) + ".log");
    ASSERT_TRUE(server_->wait_ready()) << server_->log();
    port_ = server_->port("UDP");
    ASSERT_GT(port_, 0) << server_->log();
  }

  // Runs a SIPp client scenario to the end; its exit code.
  int run(const std::string& scenario, const std::string& extra = "-m 1") {
    Sipp s(port_, scenario, extra, dir_.path());
    return s.wait();
  }
  // Starts a SIPp UAS on `uas_port` in the background.
  std::unique_ptr<Sipp> uas(const std::string& scenario, int uas_port, const std::string& extra = "-m 1") {
    auto s = std::make_unique<Sipp>(port_, scenario, "-p " + std::to_string(uas_port) + " " + extra, dir_.path());
    ::usleep(300 * 1000);  // let it bind before a call is routed to it
    return s;
  }
  // Binds `user` to a contact on `contact_port` with q.
  int register_contact(const std::string& user, int contact_port, const std::string& q = "1.0") {
    return run("register_contact.xml", "-m 1 -set user " + user + " -set contact_port " +
                                           std::to_string(contact_port) + " -set q " + q);
  }

  [[nodiscard]] std::string data_dir() const { return dir_.path() + "/data"; }
  [[nodiscard]] std::string log() const { return server_ ? server_->log() : std::string(); }

  TempDir dir_;
  std::unique_ptr<ServerProcess> server_;
  int port_ = 0;
  int starts_ = 0;
};

}  // namespace trapezoid::server_test
