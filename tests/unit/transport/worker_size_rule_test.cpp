// RFC 3261 §18.1.1 on real loopback sockets: a request over 1300 bytes for UDP leaves over TCP
// with its top Via rewritten, and goes over UDP after all when the peer has no TCP.
#include <gtest/gtest.h>

#include <array>
#include <optional>

#include "sip_samples.hpp"
#include "socket_peer.hpp"

namespace trapezoid::transport {
namespace {

using namespace testing;

// A TCP listener that never accepts, its one-place accept queue filled: further connection
// attempts get no answer at all (Linux drops their SYNs), so connecting times out.
class DeafTcpListener {
 public:
  explicit DeafTcpListener(const Endpoint& at) : fd_(::socket(at.address.is_v6() ? AF_INET6 : AF_INET, SOCK_STREAM, 0)) {
    sockaddr_storage ss;
    const socklen_t len = to_sockaddr(at, ss);
    ok = ::bind(fd_.get(), reinterpret_cast<sockaddr*>(&ss), len) == 0 && ::listen(fd_.get(), 0) == 0;
    if (!ok) return;
    port = local_port(fd_.get());
    Endpoint self = at;
    self.port = port;
    const socklen_t self_len = to_sockaddr(self, ss);
    for (std::optional<Fd>& f : fillers_) {
      f.emplace(::socket(at.address.is_v6() ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
      (void)::connect(f->get(), reinterpret_cast<sockaddr*>(&ss), self_len);
    }
    std::this_thread::sleep_for(50ms);  // let the first handshake land in the queue
  }
  bool ok = false;
  std::uint16_t port = 0;

 private:
  Fd fd_;
  std::array<std::optional<Fd>, 2> fillers_;
};

class WorkerSizeRule : public ::testing::TestWithParam<bool> {
 protected:
  bool v6() const { return GetParam(); }
  IpAddress loopback() const { return *IpAddress::parse(v6() ? "::1" : "127.0.0.1"); }
  Endpoint udp_at(std::uint16_t port) const { return Endpoint{TransportKind::kUdp, loopback(), port}; }

  // An OPTIONS of exactly `size` bytes whose top Via names this worker over UDP.
  std::string request(std::string_view branch, std::size_t size = 2000) const {
    const std::string via = "SIP/2.0/UDP " + loopback().to_uri_host() + ":" +
                            std::to_string(w.local(TransportKind::kUdp, v6()).port) + ";branch=z9hG4bK" +
                            std::string(branch);
    const std::string bare = options_request(via, "X-Pad: \r\n");
    return options_request(via, "X-Pad: " + std::string(size - bare.size(), 'p') + "\r\n");
  }
  static std::string as_tcp(std::string bytes) {
    bytes.replace(bytes.find("SIP/2.0/UDP"), 11, "SIP/2.0/TCP");
    return bytes;
  }

  Recorder rec;
  RunningWorker w{rec, loopback_config(), false};
};

TEST_P(WorkerSizeRule, LargeRequestLeavesOverTcpWithItsViaRewritten) {
  ASSERT_FALSE(w.start_error);
  Recorder far_rec;
  RunningWorker far{far_rec, loopback_config(), false};
  ASSERT_FALSE(far.start_error);
  const std::string big = request("big1");
  ASSERT_EQ(big.size(), 2000u);
  w.worker.send(big, Target{far.local(TransportKind::kUdp, v6()), 0});
  ASSERT_TRUE(far_rec.wait_messages(1));
  std::vector<Received> got = far_rec.take();
  EXPECT_EQ(got[0].from.remote.transport, TransportKind::kTcp);
  EXPECT_NE(got[0].from.connection, 0u);
  // §18.1.1: the top Via says TCP now; the branch and every other byte are the request's.
  EXPECT_EQ(got[0].msg.raw(), as_tcp(big));
  EXPECT_TRUE(got[0].msg.find(sip::HeaderId::kVia)->value.starts_with("SIP/2.0/TCP "));
  EXPECT_EQ(w.worker.connection_count(), 1u);
  EXPECT_EQ(rec.error_count(), 0u);

  // The next one reuses the connection.
  w.worker.send(request("big2"), Target{far.local(TransportKind::kUdp, v6()), 0});
  ASSERT_TRUE(far_rec.wait_messages(1));
  EXPECT_EQ(far_rec.take()[0].from.connection, got[0].from.connection);
}

TEST_P(WorkerSizeRule, RequestAtTheLimitAndResponsesStayOnUdp) {
  ASSERT_FALSE(w.start_error);
  Recorder far_rec;
  RunningWorker far{far_rec, loopback_config(), false};
  ASSERT_FALSE(far.start_error);
  const std::string limit = request("lim1", 1300);
  w.worker.send(limit, Target{far.local(TransportKind::kUdp, v6()), 0});
  ASSERT_TRUE(far_rec.wait_messages(1));
  std::vector<Received> got = far_rec.take();
  EXPECT_EQ(got[0].from.remote.transport, TransportKind::kUdp);
  EXPECT_EQ(got[0].msg.raw(), limit);

  // §18.2.2, not §18.1.1, says where responses go: a large one stays a datagram.
  UdpPeer peer(v6());
  std::string response = ok_response("SIP/2.0/UDP " + loopback().to_uri_host() + ":" + std::to_string(peer.port()) +
                                     ";branch=z9hG4bKresp1");
  response.insert(response.find("Content-Length"), "X-Pad: " + std::string(2000, 'p') + "\r\n");
  w.worker.send(response, Target{udp_at(peer.port()), 0});
  EXPECT_EQ(peer.receive(), std::optional<std::string>(response));
  EXPECT_EQ(w.worker.connection_count(), 0u);
}

TEST_P(WorkerSizeRule, PeerWithoutTcpGetsTheOriginalOverUdp) {
  ASSERT_FALSE(w.start_error);
  UdpPeer peer(v6());  // nothing listens on TCP at its port: the connection is refused
  const std::string big = request("nt1");
  w.worker.send(big, Target{udp_at(peer.port()), 0});
  // §18.1.1: "the element SHOULD retry the request, using UDP" (the bytes as they were).
  EXPECT_EQ(peer.receive(), std::optional<std::string>(big));
  EXPECT_TRUE(rec.wait_log("no TCP connection to UDP " + loopback().to_uri_host()));
  EXPECT_EQ(rec.error_count(), 0u);

  // The peer is remembered: the next large request goes straight over UDP.
  const std::string again = request("nt2");
  w.worker.send(again, Target{udp_at(peer.port()), 0});
  EXPECT_EQ(peer.receive(), std::optional<std::string>(again));
  EXPECT_EQ(rec.log_count("no TCP connection to"), 1u);
  EXPECT_TRUE(eventually([&] { return w.worker.connection_count() == 0; }));
}

TEST_P(WorkerSizeRule, TcpThatNeverAnswersFallsBackToUdpAtTheConnectTimeout) {
  WorkerConfig c = loopback_config();
  c.connect_timeout = 300ms;
  Recorder r;
  RunningWorker quick{r, c, false};
  ASSERT_FALSE(quick.start_error);
  DeafTcpListener deaf(udp_at(0));
  ASSERT_TRUE(deaf.ok);
  UdpPeer peer(v6(), deaf.port);
  ASSERT_TRUE(peer.bound);
  std::string big = request("to1");
  const auto start = std::chrono::steady_clock::now();
  quick.worker.send(big, Target{udp_at(peer.port()), 0});
  EXPECT_EQ(peer.receive(), std::optional<std::string>(big));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 250ms);
  EXPECT_TRUE(r.wait_log("timed out): the request goes over UDP"));
  EXPECT_EQ(r.error_count(), 0u);
}

TEST_P(WorkerSizeRule, NoRoomForAConnectionMeansUdp) {
  WorkerConfig c = loopback_config();
  c.max_connections = 0;
  Recorder r;
  RunningWorker full{r, c, false};
  ASSERT_FALSE(full.start_error);
  UdpPeer peer(v6());
  const std::string big = request("full1");
  full.worker.send(big, Target{udp_at(peer.port()), 0});
  EXPECT_EQ(peer.receive(), std::optional<std::string>(big));
  EXPECT_EQ(r.error_count(), 0u);
}

// A failure that UDP would not cure is reported, against the UDP destination the sender named
// (the transaction that sent it knows that one).
TEST_P(WorkerSizeRule, OtherFailuresAreReportedAgainstTheUdpTarget) {
  WorkerConfig c = loopback_config();
  c.max_queued_bytes = 1000;  // the moved request cannot even be queued
  Recorder r;
  RunningWorker small{r, c, false};
  ASSERT_FALSE(small.start_error);
  Recorder far_rec;
  RunningWorker far{far_rec, loopback_config(), false};
  ASSERT_FALSE(far.start_error);
  const Endpoint to = far.local(TransportKind::kUdp, v6());
  small.worker.send(request("q1"), Target{to, 0});
  ASSERT_TRUE(r.wait_errors(1));
  const auto errors = r.errors();
  EXPECT_EQ(errors[0].first.remote, to);
  EXPECT_EQ(errors[0].second, std::errc::no_buffer_space);
  EXPECT_FALSE(far_rec.wait_messages(1, 100ms));
}

TEST_P(WorkerSizeRule, WorkerWithoutTcpKeepsLargeRequestsOnUdp) {
  WorkerConfig c = loopback_config();
  c.tcp = false;
  Recorder r;
  RunningWorker udp_only{r, c, false};
  ASSERT_FALSE(udp_only.start_error);
  UdpPeer peer(v6());
  const std::string big = request("u1");
  udp_only.worker.send(big, Target{udp_at(peer.port()), 0});
  EXPECT_EQ(peer.receive(), std::optional<std::string>(big));
  EXPECT_EQ(r.log_count("no TCP connection"), 0u);
}

std::string family(const ::testing::TestParamInfo<bool>& p) { return p.param ? "IPv6" : "IPv4"; }
INSTANTIATE_TEST_SUITE_P(Loopback, WorkerSizeRule, ::testing::Values(false, true), family);

}  // namespace
}  // namespace trapezoid::transport
