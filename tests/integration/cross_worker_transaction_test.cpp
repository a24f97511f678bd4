// Two SipWorkers of one server sharing a stream directory on loopback: a client transaction in
// one worker sends on a connection the other accepted, and when that connection has closed
// meanwhile the transaction ends with a transport error (RFC 3261 §8.1.3.1, §17.1.4).
#include <gtest/gtest.h>

#include "sip_client.hpp"
#include "test_server.hpp"
#include "transaction/transport_peer.hpp"
#include "transport/stream_directory.hpp"

namespace trapezoid::integration {
namespace {

using transport::TransportKind;
using transport::testing::eventually;

class CrossWorkerTransaction : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(a.start_error);
    ASSERT_FALSE(b.start_error);
  }
  RequestSpec options(std::uint16_t via_port, std::string branch) const {
    RequestSpec s;
    s.transport = "TCP";
    s.port = via_port;
    s.branch = "z9hG4bK" + std::move(branch);
    return s;
  }

  transport::StreamDirectory directory{2};
  TestServer a{{}, &directory, 0};
  TestServer b{{}, &directory, 1};
};

TEST_F(CrossWorkerTransaction, RequestGoesOutOnTheOtherWorkersConnection) {
  // The client connects to A (its OPTIONS is answered there) and listens on nothing.
  TcpPeer client(a.local(TransportKind::kTcp));
  ASSERT_TRUE(client.connected);
  ASSERT_TRUE(client.send(request_text(options(client.port(), "hello"))));
  ASSERT_TRUE(client.read_until("SIP/2.0 200"));
  const transport::Endpoint flow{TransportKind::kTcp, *transport::IpAddress::parse("127.0.0.1"), client.port()};

  // B's client transaction: the request arrives on the client's one connection.
  b.send_request(request_text(options(b.local(TransportKind::kTcp).port, "from-b")),
                 transaction::to_peer(transport::Target{flow, 0}));
  ASSERT_TRUE(client.read_until("branch=z9hG4bKfrom-b"));
  EXPECT_EQ(b.transport_errors(), 0);
}

TEST_F(CrossWorkerTransaction, ConnectionClosedMeanwhileEndsTheTransactionWithATransportError) {
  transport::Endpoint flow;
  {
    TcpPeer client(a.local(TransportKind::kTcp));
    ASSERT_TRUE(client.connected);
    ASSERT_TRUE(client.send(request_text(options(client.port(), "hello"))));
    ASSERT_TRUE(client.read_until("SIP/2.0 200"));
    flow = {TransportKind::kTcp, *transport::IpAddress::parse("127.0.0.1"), client.port()};
  }  // the client closes
  ASSERT_TRUE(eventually([&] { return !directory.find(flow); }));  // A has seen it go

  // The connection's id (A's first) names its owner: B hands the request to A, which finds it
  // closed; the failure comes back to B's transaction.
  const transport::ConnectionId gone = transport::StreamDirectory::first_id(0);
  b.send_request(request_text(options(b.local(TransportKind::kTcp).port, "too-late")),
                 transaction::to_peer(transport::Target{flow, gone}));
  EXPECT_TRUE(eventually([&] { return b.transport_errors() == 1; }));
  EXPECT_EQ(a.transport_errors(), 0);
}

}  // namespace
}  // namespace trapezoid::integration
