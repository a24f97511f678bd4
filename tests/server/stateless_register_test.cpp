// REGISTER answered as a stateless UAS (§8.2.7), the server's default: a retransmission (the
// very same datagram) gets the same answer, To tag included, and changes nothing; a request
// reusing the Call-ID and CSeq for something else is still out of order (§10.3 step 7). The
// client here is a plain UDP socket, so that it can send exactly the same bytes twice.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "server_fixture.hpp"

namespace trapezoid::server_test {
namespace {

class UdpClient {
 public:
  explicit UdpClient(int server_port) {
    fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(a);
    if (fd_ >= 0 && ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0 &&
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) == 0)
      port_ = ntohs(a.sin_port);
    server_.sin_family = AF_INET;
    server_.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    server_.sin_port = htons(static_cast<std::uint16_t>(server_port));
  }
  ~UdpClient() {
    if (fd_ >= 0) ::close(fd_);
  }
  UdpClient(const UdpClient&) = delete;
  UdpClient& operator=(const UdpClient&) = delete;

  [[nodiscard]] int port() const { return port_; }

  // Sends `request` and returns the first response (bounded: 3 s), or "" on timeout.
  std::string exchange(const std::string& request) {
    if (::sendto(fd_, request.data(), request.size(), 0, reinterpret_cast<const sockaddr*>(&server_),
                 sizeof(server_)) != static_cast<ssize_t>(request.size()))
      return {};
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 3000) != 1) return {};
    char buf[4096];
    const ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
  }

 private:
  int fd_ = -1;
  int port_ = 0;
  sockaddr_in server_{};
};

std::string register_request(int client_port, const std::string& contact_params) {
  const std::string me = "127.0.0.1:" + std::to_string(client_port);
  return "REGISTER sip:127.0.0.1 SIP/2.0\r\n"
         "Via: SIP/2.0/UDP " + me + ";branch=z9hG4bKstateless1\r\n"
         "Max-Forwards: 70\r\n"
         "From: <sip:carol@127.0.0.1>;tag=c1\r\n"
         "To: <sip:carol@127.0.0.1>\r\n"
         "Call-ID: stateless-register-1\r\n"
         "CSeq: 7 REGISTER\r\n"
         "Contact: <sip:carol@" + me + ">" + contact_params + "\r\n"
         "Content-Length: 0\r\n\r\n";
}

int status_of(const std::string& response) {
  return response.size() > 12 && response.compare(0, 8, "SIP/2.0 ") == 0 ? std::stoi(response.substr(8, 3)) : 0;
}

// The value of the first line starting with `name`, without the name.
std::string header(const std::string& response, const std::string& name) {
  const std::size_t at = response.find("\r\n" + name);
  if (at == std::string::npos) return {};
  const std::size_t start = at + 2 + name.size();
  return response.substr(start, response.find("\r\n", start) - start);
}

std::size_t count_lines(const std::string& response, const std::string& name) {
  std::size_t n = 0;
  for (std::size_t at = response.find("\r\n" + name); at != std::string::npos;
       at = response.find("\r\n" + name, at + 2))
    ++n;
  return n;
}

TEST_F(ServerTest, ARetransmittedRegisterGetsTheSameAnswerAndChangesNothing) {
  start();
  UdpClient client(port_);
  ASSERT_GT(client.port(), 0);
  const std::string request = register_request(client.port(), ";expires=600");

  const std::string first = client.exchange(request);
  ASSERT_EQ(status_of(first), 200) << first << log();
  const std::string again = client.exchange(request);
  ASSERT_EQ(status_of(again), 200) << again << log();
  // §8.2.7: the same tag for the same request; one binding, not two.
  EXPECT_EQ(header(first, "To: "), header(again, "To: "));
  EXPECT_NE(header(first, "To: ").find(";tag="), std::string::npos);
  EXPECT_EQ(count_lines(again, "Contact: "), 1u) << again;

  // The same Call-ID and CSeq asking for something else is not a copy: 500 (§10.3 step 7),
  // and the binding stays.
  const std::string other = client.exchange(register_request(client.port(), ";expires=0"));
  EXPECT_EQ(status_of(other), 500) << other;

  // A new CSeq removes it as usual.
  std::string remove = register_request(client.port(), ";expires=0");
  remove.replace(remove.find("CSeq: 7"), 7, "CSeq: 8");
  remove.replace(remove.find("z9hG4bKstateless1"), 17, "z9hG4bKstateless2");
  const std::string removed = client.exchange(remove);
  EXPECT_EQ(status_of(removed), 200) << removed;
  EXPECT_EQ(count_lines(removed, "Contact: "), 0u) << removed;
}

TEST_F(ServerTest, StatefulRegisterAbsorbsTheRetransmissionInItsTransaction) {
  const std::string config = dir_.path() + "/stateful.toml";
  std::ofstream(config) << "[registrar]\nstateless = false\n";
  start({"--config", config});
  UdpClient client(port_);
  const std::string request = register_request(client.port(), ";expires=600");
  const std::string first = client.exchange(request);
  ASSERT_EQ(status_of(first), 200) << first << log();
  // The server transaction resends its response (§17.2.2): byte for byte the first one.
  EXPECT_EQ(client.exchange(request), first);
}

}  // namespace
}  // namespace trapezoid::server_test
