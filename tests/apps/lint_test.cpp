// `trapezoid lint` as a user runs it: real files, the real binary, its output and exit status.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

struct CommandResult {
  int status = -1;
  std::string out;
};

CommandResult run(const std::string& args) {
  std::string cmd = std::string(TRAPEZOID_BINARY) + " " + args + " 2>&1";
  CommandResult r;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return r;
  char buf[4096];
  while (std::size_t n = fread(buf, 1, sizeof buf, pipe)) r.out.append(buf, n);
  int st = pclose(pipe);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
  return r;
}

class LintTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("trapezoid-lint-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& bytes) {
    fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p.string();
  }
  fs::path dir_;
};

const std::string kOptions =
    "OPTIONS sip:bob@biloxi.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKhjhs8ass877\r\n"
    "Max-Forwards: 70\r\n"
    "To: <sip:bob@biloxi.com>\r\n"
    "From: Alice <sip:alice@atlanta.com>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710\r\n"
    "CSeq: 63104 OPTIONS\r\n"
    "Accept: application/sdp\r\n"
    "Content-Length: 0\r\n\r\n";

TEST_F(LintTest, ValidRequestIsOk) {
  std::string f = write("ok.sip", kOptions);
  CommandResult r = run("lint " + f);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, f + ": ok OPTIONS Call-ID: a84b4c76e66710\n");
}

TEST_F(LintTest, InvalidRequestGetsItsResponse) {
  std::string bad = kOptions;
  bad.replace(bad.find("CSeq: 63104 OPTIONS"), 19, "CSeq: 63104 INVITE");
  std::string f = write("bad.sip", bad);
  CommandResult r = run("lint " + f);
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, f + ": 400 CSeq Method Mismatch\n");
}

TEST_F(LintTest, RequireGets420WithTheTag) {
  std::string msg = kOptions;
  msg.insert(msg.find("Content-Length"), "Require: 100rel-unknown\r\n");
  CommandResult r = run("lint " + write("req.sip", msg));
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find(": 420 Bad Extension (100rel-unknown)"), std::string::npos) << r.out;
  // A proxy does not look at Require.
  CommandResult p = run("lint --role proxy " + write("req2.sip", msg));
  EXPECT_EQ(p.status, 0) << p.out;
}

TEST_F(LintTest, InvalidResponseIsDropped) {
  std::string f = write("resp.sip", "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bKx\r\n\r\n");
  CommandResult r = run("lint " + f);
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, f + ": invalid Missing From\n");
}

TEST_F(LintTest, GarbageEmptyAndHugeInputs) {
  std::string empty = write("empty.sip", "");
  std::mt19937 rng(42);
  std::string noise(4096, '\0');
  for (char& c : noise) c = static_cast<char>(rng());
  std::string binary = write("noise.bin", noise);
  std::string huge = write("huge.sip", "OPTIONS sip:a@b SIP/2.0\r\nX-Big: " + std::string(1 << 20, 'x') + "\r\n\r\n");
  CommandResult r = run("lint " + empty + " " + binary + " " + huge);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.out.find(empty + ": 400 Empty Message\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(binary + ": 400 "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(huge + ": 513 Message Too Large\n"), std::string::npos) << r.out;
}

TEST_F(LintTest, UnreadableFileAndUsageErrorsExit2) {
  CommandResult missing = run("lint " + (dir_ / "nope.sip").string());
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.out.find("cannot read"), std::string::npos);
  CommandResult dir = run("lint " + dir_.string());
  EXPECT_EQ(dir.status, 2) << dir.out;
  EXPECT_EQ(run("lint").status, 2);
  EXPECT_EQ(run("lint --role bogus x").status, 2);
  EXPECT_EQ(run("frobnicate").status, 2);
}

TEST_F(LintTest, JsonShowsTypedFields) {
  std::string f = write("ok.sip", kOptions);
  CommandResult r = run("lint --json " + f);
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("\"branch\": \"z9hG4bKhjhs8ass877\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"tag\": \"1928301774\""), std::string::npos);
  EXPECT_NE(r.out.find("\"number\": 63104"), std::string::npos);
  EXPECT_NE(r.out.find("\"body_length\": 0"), std::string::npos);
}

TEST_F(LintTest, JsonSurvivesNonUtf8Bytes) {
  std::string msg = kOptions;
  msg.insert(msg.find("Content-Length"), "Subject: \xff\xfe\x80\r\n");
  CommandResult r = run("lint --json " + write("bin.sip", msg));
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("\"Subject\""), std::string::npos);
}

}  // namespace
