// The worker's TCP side on real loopback sockets: framing, keep-alives, errors, reuse.
#include <gtest/gtest.h>

#include "sip_samples.hpp"
#include "socket_peer.hpp"

namespace trapezoid::transport {
namespace {

using namespace testing;

class WorkerTcp : public ::testing::TestWithParam<bool> {
 protected:
  bool v6() const { return GetParam(); }
  std::string bare_loopback() const { return v6() ? "::1" : "127.0.0.1"; }
  static std::string via(std::string_view branch) {
    return "SIP/2.0/TCP client.example.com;branch=z9hG4bK" + std::string(branch);
  }
  Endpoint server() const { return w.local(TransportKind::kTcp, v6()); }

  Recorder rec;
  RunningWorker w{rec};
};

TEST_P(WorkerTcp, ByteByByteAndTheAnswerComesBackOnTheConnection) {
  ASSERT_FALSE(w.start_error);
  TcpPeer peer(server());
  ASSERT_TRUE(peer.connected);
  for (char c : options_request(via("t1"))) ASSERT_TRUE(peer.send(std::string_view(&c, 1)));
  ASSERT_TRUE(rec.wait_messages(1));
  std::vector<Received> got = rec.take();
  EXPECT_EQ(got[0].msg.find(sip::HeaderId::kVia)->value, via("t1") + ";received=" + bare_loopback());
  EXPECT_EQ(got[0].from.remote.port, peer.port());
  EXPECT_NE(got[0].from.connection, 0u);
  EXPECT_EQ(got[0].from.local, server());
  // RFC 3261 §18.2.2: the response goes back on the request's connection.
  ASSERT_TRUE(peer.read_until("\r\n\r\n"));
  EXPECT_TRUE(peer.buffer.starts_with("SIP/2.0 200 OK\r\n"));
  EXPECT_NE(peer.buffer.find("z9hG4bKt1"), std::string::npos);
}

TEST_P(WorkerTcp, RportIsFilledOverTcpAndBodiesSplitAcrossReads) {
  ASSERT_FALSE(w.start_error);
  TcpPeer peer(server());
  std::string msg = options_request("SIP/2.0/TCP client.example.com;rport;branch=z9hG4bKb1", "Content-Type: text/plain\r\n");
  msg.replace(msg.find("Content-Length: 0"), 17, "Content-Length: 11");
  msg += "hello world";
  const std::size_t half = msg.size() - 6;
  ASSERT_TRUE(peer.send(msg.substr(0, half)));
  EXPECT_FALSE(rec.wait_messages(1, 50ms));
  ASSERT_TRUE(peer.send(msg.substr(half)));
  ASSERT_TRUE(rec.wait_messages(1));
  std::vector<Received> got = rec.take();
  EXPECT_EQ(got[0].msg.body(), "hello world");
  EXPECT_EQ(got[0].msg.find(sip::HeaderId::kVia)->value,
            "SIP/2.0/TCP client.example.com;received=" + bare_loopback() + ";rport=" + std::to_string(peer.port()) +
                ";branch=z9hG4bKb1");
}

TEST_P(WorkerTcp, PipelinedMessagesInOrder) {
  ASSERT_FALSE(w.start_error);
  TcpPeer peer(server());
  ASSERT_TRUE(peer.send(options_request(via("p1"), "", "c1") + options_request(via("p2"), "", "c2") +
                        options_request(via("p3"), "", "c3")));
  ASSERT_TRUE(rec.wait_messages(3));
  std::vector<Received> got = rec.take();
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].msg.find(sip::HeaderId::kCallId)->value, "c1");
  EXPECT_EQ(got[2].msg.find(sip::HeaderId::kCallId)->value, "c3");
  EXPECT_EQ(got[0].from.connection, got[2].from.connection);
  ASSERT_TRUE(peer.read_until("Call-ID: c3"));
  EXPECT_EQ(peer.count("SIP/2.0 200 OK"), 3u);
}

TEST_P(WorkerTcp, KeepAlivePingGetsPong) {
  ASSERT_FALSE(w.start_error);
  TcpPeer peer(server());
  ASSERT_TRUE(peer.send("\r\n\r\n"));
  ASSERT_TRUE(peer.read_until("\r\n"));
  EXPECT_EQ(peer.buffer, "\r\n");
  // The connection still serves messages.
  ASSERT_TRUE(peer.send(options_request(via("k1"))));
  ASSERT_TRUE(rec.wait_messages(1));
}

TEST_P(WorkerTcp, EndlessHeaderGets513AndClose) {
  ASSERT_FALSE(w.start_error);
  TcpPeer peer(server());
  std::string head = options_request(via("e1"));
  head.erase(head.find("Content-Length"));
  peer.send(head + "X-Endless: " + std::string(70 * 1024, 'a'));  // no CRLFCRLF, ever
  EXPECT_TRUE(peer.wait_closed());
  EXPECT_TRUE(peer.buffer.starts_with("SIP/2.0 513 Message Too Large\r\n")) << peer.buffer.substr(0, 80);
  EXPECT_NE(peer.buffer.find("z9hG4bKe1"), std::string::npos);
  EXPECT_FALSE(rec.wait_messages(1, 50ms));
  // The worker goes on serving: a new connection is answered.
  TcpPeer next(server());
  ASSERT_TRUE(next.send(options_request(via("e2"))));
  ASSERT_TRUE(next.read_until("\r\n\r\n"));
  EXPECT_TRUE(next.buffer.starts_with("SIP/2.0 200 OK\r\n"));
  EXPECT_TRUE(rec.wait_messages(1));
}

// Bytes that never form a start line (no CRLF at all) hit the buffer limit: the connection
// gets an error and is closed; the worker goes on serving.
TEST_P(WorkerTcp, EndlessGarbageIsCutOffAtTheLimit) {
  WorkerConfig c = loopback_config();
  c.limits.max_header_bytes = 4096;
  c.limits.max_body_bytes = 4096;
  Recorder small_rec;
  RunningWorker small{small_rec, c};
  ASSERT_FALSE(small.start_error);
  const Endpoint to = small.local(TransportKind::kTcp, v6());
  TcpPeer peer(to);
  peer.send(std::string(70 * 1024, 'z'));
  EXPECT_TRUE(peer.wait_closed());
  EXPECT_TRUE(peer.buffer.starts_with("SIP/2.0 ")) << peer.buffer.substr(0, 80);
  TcpPeer next(to);
  ASSERT_TRUE(next.send(options_request(via("z2"))));
  ASSERT_TRUE(next.read_until("\r\n\r\n"));
  EXPECT_TRUE(next.buffer.starts_with("SIP/2.0 200 OK\r\n"));
}

TEST_P(WorkerTcp, BadSyntaxIsAnsweredAndTheConnectionStays) {
  ASSERT_FALSE(w.start_error);
  TcpPeer peer(server());
  std::string bad = options_request(via("v1"));
  bad.replace(bad.find("Max-Forwards: 70"), 16, "Max-Forwards: many");
  ASSERT_TRUE(peer.send(bad));
  ASSERT_TRUE(peer.read_until("\r\n\r\n"));
  EXPECT_TRUE(peer.buffer.starts_with("SIP/2.0 400 ")) << peer.buffer.substr(0, 60);
  EXPECT_FALSE(rec.wait_messages(1, 20ms));
  // Framing was intact: the connection goes on serving.
  ASSERT_TRUE(peer.send(options_request(via("v2"))));
  ASSERT_TRUE(rec.wait_messages(1));
  ASSERT_TRUE(peer.read_until("SIP/2.0 200 OK"));
}

TEST_P(WorkerTcp, GarbageGetsAnErrorAndClose) {
  ASSERT_FALSE(w.start_error);
  TcpPeer peer(server());
  peer.send("GARBAGE\r\n\r\n");
  EXPECT_TRUE(peer.wait_closed());
  EXPECT_TRUE(peer.buffer.starts_with("SIP/2.0 400 ")) << peer.buffer;
}

TEST_P(WorkerTcp, SendReusesTheConnectionToTheSameTarget) {
  ASSERT_FALSE(w.start_error);
  // A second worker plays the far end: it must see one connection carry both requests, and
  // its answers come back on that connection.
  Recorder far_rec;
  RunningWorker far{far_rec, loopback_config(), true};
  ASSERT_FALSE(far.start_error);
  const Target to{far.local(TransportKind::kTcp, v6()), 0};
  w.worker.send(options_request(via("r1"), "", "r1"), to);
  w.worker.send(options_request(via("r2"), "", "r2"), to);
  ASSERT_TRUE(far_rec.wait_messages(2));
  std::vector<Received> got = far_rec.take();
  EXPECT_EQ(got[0].from.connection, got[1].from.connection);
  EXPECT_EQ(far.worker.connection_count(), 1u);
  ASSERT_TRUE(rec.wait_messages(2));
  std::vector<Received> answers = rec.take();
  EXPECT_EQ(answers[0].msg.status_code(), 200);
  EXPECT_EQ(answers[1].msg.status_code(), 200);
  EXPECT_EQ(answers[0].from.connection, answers[1].from.connection);
  // An opened connection knows its local end too (an ephemeral port on the same address).
  EXPECT_EQ(answers[0].from.local.address, to.remote.address);
  EXPECT_NE(answers[0].from.local.port, 0);
  EXPECT_EQ(w.worker.connection_count(), 1u);
}

TEST_P(WorkerTcp, AClosedConnectionFallsBackToTheAddress) {
  ASSERT_FALSE(w.start_error);
  // RFC 3261 §18.2.2: the request's connection is gone: open one to the address instead.
  Recorder far_rec;
  RunningWorker far{far_rec, loopback_config(), false};
  ASSERT_FALSE(far.start_error);
  w.worker.send(ok_response(via("f1") + ";received=" + bare_loopback()),
                Target{far.local(TransportKind::kTcp, v6()), 987654});
  ASSERT_TRUE(far_rec.wait_messages(1));
  EXPECT_EQ(far_rec.take()[0].msg.status_code(), 200);
  EXPECT_EQ(rec.error_count(), 0u);
}

TEST_P(WorkerTcp, SendToAClosedPortReportsAnError) {
  ASSERT_FALSE(w.start_error);
  Endpoint nowhere = server();
  nowhere.port = free_port(nowhere);
  w.worker.send(options_request(via("x1")), Target{nowhere, 0});
  EXPECT_TRUE(rec.wait_errors(1));
}

std::string family(const ::testing::TestParamInfo<bool>& p) { return p.param ? "IPv6" : "IPv4"; }
INSTANTIATE_TEST_SUITE_P(Loopback, WorkerTcp, ::testing::Values(false, true), family);

}  // namespace
}  // namespace trapezoid::transport
