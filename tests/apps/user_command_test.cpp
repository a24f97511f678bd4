// `trapezoid user add|remove|list` as an administrator runs it: the real binary on a real
// data directory; its output and exit status.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

struct CommandResult {
  int status = -1;
  std::string out;
};

CommandResult run(const std::string& command) {
  CommandResult r;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return r;
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof buf, pipe)) r.out.append(buf, n);
  const int st = pclose(pipe);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  return r;
}

class UserCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("trapezoid-user-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  CommandResult user(const std::string& args) {
    return run(std::string(TRAPEZOID_BINARY) + " user " + args + " --data-dir " + (dir_ / "data").string());
  }
  fs::path dir_;
};

TEST_F(UserCommandTest, AddListRemove) {
  CommandResult r = user("add alice --realm atlanta.example.com --password wonderland");
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("user alice in realm \"atlanta.example.com\" saved"), std::string::npos) << r.out;
  // The password from stdin; the realm by default is the server's default listen address.
  r = run("printf 'builder\\n' | " + std::string(TRAPEZOID_BINARY) + " user add bob --data-dir " +
          (dir_ / "data").string());
  EXPECT_EQ(r.status, 0) << r.out;
  r = user("list");
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(r.out, "bob\t127.0.0.1\nalice\tatlanta.example.com\n");
  r = user("remove alice --realm atlanta.example.com");
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(user("list").out, "bob\t127.0.0.1\n");
  // No password is kept in the file.
  std::ifstream db(dir_ / "data" / "registrations.db", std::ios::binary);
  std::ostringstream bytes;
  bytes << db.rdbuf();
  EXPECT_EQ(bytes.str().find("builder"), std::string::npos);
}

TEST_F(UserCommandTest, RealmAndDataDirComeFromTheServeConfiguration) {
  const fs::path config = dir_ / "serve.toml";
  std::ofstream(config) << "[server]\ndomains = [\"biloxi.example.com\"]\n";
  CommandResult r = user("add carol --password x --config " + config.string());
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_EQ(user("list").out, "carol\tbiloxi.example.com\n");
  std::ofstream(config) << "[auth]\nrealm = \"trapezoid.test\"\n";
  EXPECT_EQ(user("add dave --password y --config " + config.string()).status, 0);
  EXPECT_NE(user("list").out.find("dave\ttrapezoid.test\n"), std::string::npos);
}

TEST_F(UserCommandTest, FailuresAndUsageErrors) {
  CommandResult r = user("remove nobody");
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("no user 'nobody'"), std::string::npos) << r.out;
  EXPECT_EQ(user("list").status, 0);  // nothing there yet: nobody, no error
  EXPECT_EQ(user("add").status, 2);   // no user name
  EXPECT_EQ(run(std::string(TRAPEZOID_BINARY) + " user").status, 2);  // no action
  // An empty password is refused.
  r = run("printf '\\n' | " + std::string(TRAPEZOID_BINARY) + " user add erin --data-dir " + (dir_ / "data").string());
  EXPECT_EQ(r.status, 2) << r.out;
  // A data directory holding some other file under the database's name.
  fs::create_directories(dir_ / "data");
  std::ofstream(dir_ / "data" / "registrations.db") << std::string(4096, 'x');
  r = user("add frank --password z");
  EXPECT_EQ(r.status, 1) << r.out;
  EXPECT_NE(r.out.find("registrations.db"), std::string::npos) << r.out;
}

}  // namespace
