// What the proxy needs of a real SipWorker beyond the transaction layer: TU timers on the
// worker's one wake-up (Timer C), a stateless send (§16.11) and giving up a client transaction
// (§9.1, §16.8).
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <memory>
#include <thread>
#include <vector>

#include "sip_client.hpp"
#include "transaction/sip_worker.hpp"
#include "transaction/transport_peer.hpp"

namespace trapezoid::integration {
namespace {

using transaction::SipWorker;

// A TU that only records which transactions ended.
class QuietUser final : public transaction::TransactionUser, public transport::Logger {
 public:
  void on_request(transaction::TransactionId, const sip::Message&) override {}
  void on_response(transaction::TransactionId, const sip::Message&) override {}
  void on_stray_ack(const sip::Message&, const transaction::Peer&) override {}
  void on_stray_response(const sip::Message&, const transaction::Peer&) override {}
  void on_timeout(transaction::TransactionId) override {}
  void on_transport_error(transaction::TransactionId) override {}
  void on_terminated(transaction::TransactionId tx) override { terminated.push_back(tx); }
  void log(transport::LogLevel, std::string_view) override {}
  std::vector<transaction::TransactionId> terminated;  // worker thread only
};

transport::WorkerConfig loopback() {
  transport::WorkerConfig c;
  c.addresses = {"127.0.0.1"};
  c.port = 0;
  c.tcp = false;
  return c;
}

transaction::TimerConfig fast_timers() {
  transaction::TimerConfig t;
  t.T1 = std::chrono::milliseconds(50);
  return t;
}

class WorkerFacilities : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(worker.start());
    thread = std::thread([this] { worker.run(); });
  }
  void TearDown() override {
    worker.stop();
    if (thread.joinable()) thread.join();
  }
  // Runs `fn` on the worker's thread and waits for it.
  template <class F>
  auto on_worker(F&& fn) {
    std::promise<decltype(fn())> done;
    auto result = done.get_future();
    worker.post([&] { done.set_value(fn()); });
    return result.get();
  }
  transaction::Peer to(const UdpPeer& p) const {
    return transaction::to_peer(transport::Target{
        {transport::TransportKind::kUdp, *transport::IpAddress::parse("127.0.0.1"), p.port()}, 0});
  }

  QuietUser user;
  SipWorker worker{loopback(), user, user, fast_timers()};
  std::thread thread;
};

TEST_F(WorkerFacilities, TimersFireInOrderAndCancelledOnesNever) {
  std::promise<std::vector<int>> fired;
  auto result = fired.get_future();
  auto order = std::make_shared<std::vector<int>>();
  on_worker([&] {
    const auto now = SipWorker::now();
    worker.schedule(now + std::chrono::milliseconds(60), [order, &fired] {
      order->push_back(2);
      fired.set_value(*order);
    });
    const auto dropped = worker.schedule(now + std::chrono::milliseconds(30), [order] { order->push_back(99); });
    worker.schedule(now + std::chrono::milliseconds(20), [order] { order->push_back(1); });
    worker.cancel_timer(dropped);
    worker.cancel_timer(12345);  // unknown: nothing happens
    return 0;
  });
  ASSERT_EQ(result.wait_for(std::chrono::seconds(3)), std::future_status::ready);
  EXPECT_EQ(result.get(), (std::vector<int>{1, 2}));
}

TEST_F(WorkerFacilities, StatelessSendReachesThePeer) {
  UdpPeer peer(false);
  const std::string bytes = "SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n";
  EXPECT_TRUE(on_worker([&] { return worker.send_stateless(bytes, to(peer)); }));
  EXPECT_EQ(peer.receive(), bytes);
}

TEST_F(WorkerFacilities, AbandonedClientTransactionEndsSilently) {
  UdpPeer peer(false);
  const std::string invite =
      "INVITE sip:bob@127.0.0.1 SIP/2.0\r\n"
      "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKabandon1\r\n"
      "Max-Forwards: 70\r\n"
      "To: <sip:bob@127.0.0.1>\r\n"
      "From: <sip:alice@127.0.0.1>;tag=a\r\n"
      "Call-ID: abandon@127.0.0.1\r\n"
      "CSeq: 1 INVITE\r\n"
      "Content-Length: 0\r\n\r\n";
  const auto tx = on_worker([&] { return worker.send_request(invite, to(peer)); });
  ASSERT_TRUE(tx);
  ASSERT_TRUE(peer.receive());
  on_worker([&] {
    worker.abandon(*tx);
    return 0;
  });
  EXPECT_FALSE(peer.receive(std::chrono::milliseconds(300)));  // no Timer A retransmission
  EXPECT_EQ(on_worker([&] { return worker.layer().contains(*tx); }), false);
  EXPECT_EQ(on_worker([&] { return user.terminated; }), std::vector<transaction::TransactionId>{*tx});
}

}  // namespace
}  // namespace trapezoid::integration
