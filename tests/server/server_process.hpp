// The real `trapezoid serve` as a child process, for the server tests: started with flags, on
// loopback with an ephemeral port unless told otherwise, its log in a file the test can read.
//
//   ServerProcess s({"--data-dir", dir, "--listen", "udp:127.0.0.1:0", "--listen", "tcp:127.0.0.1:0"});
//   ASSERT_TRUE(s.wait_ready()) << s.log();
//   s.port();                 // the UDP port it bound
//   s.signal(SIGTERM); EXPECT_EQ(s.wait_exit(), 0);
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace trapezoid::server_test {

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A fresh directory under $TMPDIR, removed with its content by the destructor.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::getenv("TMPDIR") ? std::string(std::getenv("TMPDIR")) : "/tmp") +
                          "/trapezoid-server-XXXXXX";
    path_ = ::mkdtemp(pattern.data()) ? pattern : "";
  }
  ~TempDir() {
    if (!path_.empty()) (void)std::system(("rm -rf '" + path_ + "'").c_str());
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class ServerProcess {
 public:
  ServerProcess(std::vector<std::string> args, std::string log_path) : log_path_(std::move(log_path)) {
    std::vector<std::string> argv = {TRAPEZOID_BINARY, "serve"};
    argv.insert(argv.end(), args.begin(), args.end());
    pid_ = ::fork();
    if (pid_ == 0) {
      // The child: stderr (the log) and stdout to the log file, then exec.
      FILE* f = std::fopen(log_path_.c_str(), "w");
      if (f) {
        ::dup2(fileno(f), 1);
        ::dup2(fileno(f), 2);
      }
      std::vector<char*> cargv;
      for (std::string& a : argv) cargv.push_back(a.data());
      cargv.push_back(nullptr);
      ::execv(cargv[0], cargv.data());
      ::_exit(127);
    }
  }
  ~ServerProcess() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Waits for the "ready" log line; false if the process exited or the time ran out.
  bool wait_ready(std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
      if (log().find(" ready:") != std::string::npos) return true;
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  // The port of the first "listening on <TRANSPORT> <address>:<port>" line for `transport`.
  [[nodiscard]] int port(const std::string& transport = "UDP") const {
    const std::string text = log();
    const std::string key = "listening on " + transport + " ";
    std::size_t at = text.find(key);
    if (at == std::string::npos) return 0;
    const std::size_t eol = text.find('\n', at);
    const std::string line = text.substr(at, eol - at);
    return std::atoi(line.substr(line.rfind(':') + 1).c_str());
  }

  void signal(int sig) const { ::kill(pid_, sig); }

  // The exit status (128+signal when killed), or -1 when it did not end in time.
  int wait_exit(std::chrono::milliseconds limit = std::chrono::seconds(20)) {
    if (exited_) return exit_status_;
    const auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return exit_status_;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
  }

  [[nodiscard]] std::string log() const { return read_file(log_path_); }
  [[nodiscard]] pid_t pid() const { return pid_; }

 private:
  std::string log_path_;
  pid_t pid_ = -1;
  bool exited_ = false;
  int exit_status_ = -1;
};

// Runs a shell command (bounded by timeout(1)); its exit code, or -1.
inline int run_command(const std::string& command) {
  const int status = std::system(command.c_str());
  return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace trapezoid::server_test

namespace trapezoid::server_test {

// A loopback port of this socket type (SOCK_DGRAM, SOCK_STREAM) nobody uses right now: bound
// for a moment, then released.
inline int unused_loopback_port(int type) {
  const int fd = ::socket(AF_INET, type, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(a);
  int port = 0;
  if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
    port = ntohs(a.sin_port);
  if (fd >= 0) ::close(fd);
  return port;
}

// A UDP port nobody uses on 127.0.0.1 right now (for a SIPp UAS to listen on).
inline int free_udp_port() { return unused_loopback_port(SOCK_DGRAM); }

// One SIPp run against the server on 127.0.0.1:`server_port`, in the background; wait() gives
// its exit code (0: every call passed). Bounded by timeout(1) and SIPp's own -timeout.
class Sipp {
 public:
  Sipp(int server_port, const std::string& scenario, const std::string& extra, const std::string& work_dir) {
    command_ = "cd '" + work_dir + "' && exec timeout 60 " + std::string(TRAPEZOID_SIPP) + " 127.0.0.1:" +
               std::to_string(server_port) + " -sf " + TRAPEZOID_SERVER_SCENARIOS + "/" + scenario +
               " -i 127.0.0.1 -timeout 30s -timeout_error -nostdin -trace_err " + extra + " > /dev/null 2>&1";
    pid_ = ::fork();
    if (pid_ == 0) {
      ::execl("/bin/sh", "sh", "-c", command_.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  ~Sipp() {
    if (pid_ > 0 && !done_) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }
  Sipp(const Sipp&) = delete;
  Sipp& operator=(const Sipp&) = delete;

  int wait() {
    if (done_) return code_;
    int status = 0;
    ::waitpid(pid_, &status, 0);
    done_ = true;
    code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return code_;
  }
  // Ends a run that is not expected to finish (a UAS that must receive nothing).
  void kill() {
    if (pid_ > 0 && !done_) ::kill(pid_, SIGKILL);
  }
  [[nodiscard]] const std::string& command() const { return command_; }

 private:
  std::string command_;
  pid_t pid_ = -1;
  bool done_ = false;
  int code_ = -1;
};

}  // namespace trapezoid::server_test
