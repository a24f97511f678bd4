// A UA registered over TCP is reached over that connection whichever worker handles the call
// (RFC 3261 §18.1.1: a request reuses an existing connection; RFC 5626 reasoning: behind NAT
// only the registered flow reaches the UA). The test is the UA: it registers over one TCP
// connection with a Contact on a port where nothing listens and accepts no connection, so
// every INVITE it answers came over the registered connection, whichever of the four workers
// forwarded it.
#include <netinet/tcp.h>
#include <poll.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <set>
#include <thread>

#include "server_fixture.hpp"

namespace trapezoid::server_test {
namespace {

// A loopback TCP port with no listener.
int dead_tcp_port() { return unused_loopback_port(SOCK_STREAM); }

// The UA's one TCP connection to the server: SIP messages framed by Content-Length (§18.3).
class StreamUa {
 public:
  explicit StreamUa(int server_port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<std::uint16_t>(server_port));
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0;
    sockaddr_in local{};
    socklen_t len = sizeof(local);
    if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&local), &len) == 0) local_port_ = ntohs(local.sin_port);
  }
  ~StreamUa() { ::close(fd_); }
  StreamUa(const StreamUa&) = delete;
  StreamUa& operator=(const StreamUa&) = delete;

  [[nodiscard]] bool connected() const { return connected_; }
  [[nodiscard]] int local_port() const { return local_port_; }

  bool send(const std::string& bytes) {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
  }
  // The next whole message, or "" after `timeout` ms without one (or when the server closed).
  std::string next(int timeout_ms) {
    for (;;) {
      if (std::string m = take(); !m.empty()) return m;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, timeout_ms) != 1) return {};
      char chunk[8192];
      const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n <= 0) return {};
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }

 private:
  std::string take() {
    const std::size_t end = buffer_.find("\r\n\r\n");
    if (end == std::string::npos) return {};
    std::size_t body = 0;
    for (const char* name : {"\r\nContent-Length:", "\r\nl:"}) {
      const std::size_t at = buffer_.find(name);
      if (at != std::string::npos && at < end) body = std::strtoul(buffer_.c_str() + at + std::strlen(name), nullptr, 10);
    }
    if (buffer_.size() < end + 4 + body) return {};
    std::string m = buffer_.substr(0, end + 4 + body);
    buffer_.erase(0, m.size());
    return m;
  }

  int fd_;
  bool connected_ = false;
  int local_port_ = 0;
  std::string buffer_;
};

// The header lines of `message` whose name is one of `names` (each line without its CRLF).
std::vector<std::string> lines_named(const std::string& message, std::initializer_list<std::string_view> names) {
  std::vector<std::string> out;
  std::size_t at = message.find("\r\n") + 2;
  for (std::size_t eol; (eol = message.find("\r\n", at)) != std::string::npos && eol != at; at = eol + 2) {
    const std::string line = message.substr(at, eol - at);
    const std::string name = line.substr(0, line.find(':'));
    for (std::string_view n : names)
      if (name == n) out.push_back(line);
  }
  return out;
}

// §8.2.6: a final response to `invite` with a To tag, every Via kept in order.
std::string decline(const std::string& invite) {
  std::string r = "SIP/2.0 603 Decline\r\n";
  for (const std::string& l : lines_named(invite, {"Via", "v", "From", "f", "Call-ID", "i", "CSeq"})) r += l + "\r\n";
  for (const std::string& l : lines_named(invite, {"To", "t"})) r += l + ";tag=flow-ua\r\n";
  return r + "Content-Length: 0\r\n\r\n";
}

// "w2" from the proxy's top Via branch "z9hG4bKw2.…": the worker that forwarded the request.
std::string forwarding_worker(const std::string& request) {
  const std::size_t at = request.find("branch=z9hG4bKw");
  if (at == std::string::npos) return {};
  const std::size_t from = at + std::strlen("branch=z9hG4bK");
  return request.substr(from, request.find('.', from) - from);
}

TEST_F(ServerTest, CallsFromEveryWorkerReachTheRegisteredTcpConnection) {
  start({"--workers", "4"});
  const int tcp_port = server_->port("TCP");
  ASSERT_GT(tcp_port, 0) << log();
  StreamUa ua(tcp_port);
  ASSERT_TRUE(ua.connected());
  // The Contact names a port with no listener: only the connection itself reaches the UA.
  const int contact_port = dead_tcp_port();
  const std::string server = "127.0.0.1:" + std::to_string(port_);
  ASSERT_TRUE(ua.send("REGISTER sip:" + server + " SIP/2.0\r\n"
                      "Via: SIP/2.0/TCP 127.0.0.1:" + std::to_string(ua.local_port()) + ";branch=z9hG4bKflowreg\r\n"
                      "From: <sip:flowuser@127.0.0.1>;tag=reg\r\n"
                      "To: <sip:flowuser@127.0.0.1>\r\n"
                      "Call-ID: flow-register\r\n"
                      "CSeq: 1 REGISTER\r\n"
                      "Contact: <sip:flowuser@127.0.0.1:" + std::to_string(contact_port) + ";transport=tcp>\r\n"
                      "Expires: 300\r\n"
                      "Max-Forwards: 70\r\n"
                      "Content-Length: 0\r\n\r\n"));
  const std::string registered = ua.next(5000);
  ASSERT_TRUE(registered.starts_with("SIP/2.0 200")) << registered << log();

  // The UA declines every INVITE on its one connection until the callers are done.
  std::atomic<bool> done{false};
  std::atomic<int> invites{0};
  std::set<std::string> workers;
  std::thread answering([&] {
    while (!done) {
      const std::string m = ua.next(100);
      if (!m.starts_with("INVITE ")) continue;
      ++invites;
      workers.insert(forwarding_worker(m));
      ua.send(decline(m));
    }
  });

  // Callers from distinct UDP ports: the kernel spreads them over the four workers.
  constexpr int kCallers = 10;
  constexpr int kCallsEach = 2;
  int failed = 0;
  for (int c = 0; c < kCallers; ++c) {
    const int port = free_udp_port();
    if (run("uac_expect_603.xml",
            "-m " + std::to_string(kCallsEach) + " -p " + std::to_string(port) + " -set callee flowuser") != 0)
      ++failed;
  }
  done = true;
  answering.join();

  EXPECT_EQ(failed, 0) << log();
  EXPECT_EQ(invites, kCallers * kCallsEach) << log();
  // More than one worker forwarded INVITEs, and all of them went over the UA's connection.
  EXPECT_GE(workers.size(), 2u) << log();

  // The workers go down with the connection still open (the directory outlives them), and
  // nothing a sanitizer build would report was logged.
  server_->signal(SIGTERM);
  EXPECT_EQ(server_->wait_exit(), 0) << log();
  EXPECT_EQ(log().find("runtime error"), std::string::npos) << log();
  EXPECT_EQ(log().find("Sanitizer"), std::string::npos) << log();
}

}  // namespace
}  // namespace trapezoid::server_test
