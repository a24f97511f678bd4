// UDP sends made within one turn of the worker's loop (the handling of one receive batch, or
// one wake-up) leave together at its end (sendmmsg); sends outside such a turn leave at once.
#include <gtest/gtest.h>

#include <atomic>

#include "sip_samples.hpp"
#include "socket_peer.hpp"

namespace trapezoid::transport {
namespace {

using namespace testing;

// On each request, sends the datagrams of `plan` from the worker's thread (inside the turn),
// then notes whether the first destination could already read anything.
class FanOut final : public MessageHandler {
 public:
  struct Send {
    Endpoint to;
    std::string bytes;
  };
  TransportWorker* worker = nullptr;
  std::vector<Send> plan;
  UdpPeer* watch = nullptr;
  std::atomic<int> delivered_during_turn{0};
  std::atomic<int> turns{0};

  void on_message(sip::Message&& msg, const Source&) override {
    if (!msg.is_request()) return;
    run_plan();
  }
  void run_plan() {
    for (const Send& s : plan) worker->send(s.bytes, Target{s.to, 0});
    if (watch != nullptr && watch->readable(0ms)) ++delivered_during_turn;
    ++turns;
  }
  void on_transport_error(const Target& to, std::error_code ec) override { errors.on_transport_error(to, ec); }

  Recorder errors;
};

class WorkerUdpBatch : public ::testing::TestWithParam<bool> {
 protected:
  bool v6() const { return GetParam(); }
  IpAddress loopback() const { return *IpAddress::parse(v6() ? "::1" : "127.0.0.1"); }
  Endpoint at(const UdpPeer& p) const { return Endpoint{TransportKind::kUdp, loopback(), p.port()}; }
  std::string via(const UdpPeer& p, std::string_view branch) const {
    return "SIP/2.0/UDP " + loopback().to_uri_host() + ":" + std::to_string(p.port()) + ";branch=z9hG4bK" +
           std::string(branch);
  }

  void SetUp() override {
    fan.worker = &worker;
    ASSERT_FALSE(worker.start()) << "start";
    thread = std::thread([this] { worker.run(); });
  }
  void TearDown() override {
    worker.stop();
    if (thread.joinable()) thread.join();
  }
  Endpoint server() const {
    for (const Endpoint& e : worker.local_endpoints())
      if (e.transport == TransportKind::kUdp && e.address.is_v6() == v6()) return e;
    return {};
  }

  FanOut fan;
  NullLogger log;
  TransportWorker worker{loopback_config(), fan, log};
  std::thread thread;
  UdpPeer client{GetParam()};
  UdpPeer a{GetParam()};
  UdpPeer b{GetParam()};
};

TEST_P(WorkerUdpBatch, SendsOfOneReceiveBatchLeaveTogetherInOrder) {
  Endpoint port_zero = at(a);
  port_zero.port = 0;  // the kernel refuses it when the batch is flushed
  fan.plan = {{at(a), "a1"}, {port_zero, "lost"}, {at(b), "b1"}, {at(a), "a2"}, {at(b), "b2"}, {at(a), "a3"}};
  fan.watch = &a;
  ASSERT_EQ(client.send(server(), options_request(via(client, "f1"))), 0);
  for (const char* want : {"a1", "a2", "a3"}) EXPECT_EQ(a.receive(), std::optional<std::string>(want));
  for (const char* want : {"b1", "b2"}) EXPECT_EQ(b.receive(), std::optional<std::string>(want));
  // Nothing had left while the handler was still sending: they went out after the turn.
  EXPECT_EQ(fan.turns.load(), 1);
  EXPECT_EQ(fan.delivered_during_turn.load(), 0);
  // The refused destination's datagram alone is reported.
  ASSERT_TRUE(fan.errors.wait_errors(1));
  EXPECT_FALSE(fan.errors.wait_errors(2, 100ms));
  const auto errors = fan.errors.errors();
  EXPECT_EQ(errors[0].first.remote, port_zero);
  EXPECT_EQ(errors[0].second, std::errc::invalid_argument);
}

TEST_P(WorkerUdpBatch, AnOversizedDatagramIsReportedAtOnceAndAlone) {
  // A datagram no IP packet can carry fails as it is sent, not at the flush: the failure is
  // the message's, never its destination's.
  fan.plan = {{at(a), "a1"}, {at(a), std::string(70 * 1024, 'x')}, {at(a), "a2"}};
  ASSERT_EQ(client.send(server(), options_request(via(client, "f2"))), 0);
  EXPECT_EQ(a.receive(), std::optional<std::string>("a1"));
  EXPECT_EQ(a.receive(), std::optional<std::string>("a2"));
  ASSERT_TRUE(fan.errors.wait_errors(1));
  EXPECT_FALSE(fan.errors.wait_errors(2, 100ms));
  EXPECT_EQ(fan.errors.errors()[0].second, std::errc::message_size);
}

TEST_P(WorkerUdpBatch, AManyMessageBatchGetsEveryAnswer) {
  // More requests than one recvmmsg takes, all answered (one datagram to the client each).
  fan.plan = {{at(client), "ok"}};
  constexpr int kCount = 40;
  for (int i = 0; i < kCount; ++i)
    ASSERT_EQ(client.send(server(), options_request(via(client, "m" + std::to_string(i)))), 0);
  for (int i = 0; i < kCount; ++i) ASSERT_EQ(client.receive(), std::optional<std::string>("ok")) << i;
  EXPECT_EQ(fan.turns.load(), kCount);
  EXPECT_EQ(fan.errors.error_count(), 0u);
}

TEST_P(WorkerUdpBatch, SendsOfOneWakeUpLeaveTogether) {
  fan.plan = {{at(a), "t1"}, {at(b), "t2"}, {at(a), "t3"}};
  fan.watch = &a;
  worker.wake_at(std::chrono::steady_clock::now(), [this] { fan.run_plan(); });
  EXPECT_EQ(a.receive(), std::optional<std::string>("t1"));
  EXPECT_EQ(a.receive(), std::optional<std::string>("t3"));
  EXPECT_EQ(b.receive(), std::optional<std::string>("t2"));
  EXPECT_TRUE(eventually([&] { return fan.turns.load() == 1; }));
  EXPECT_EQ(fan.delivered_during_turn.load(), 0);
}

TEST_P(WorkerUdpBatch, ASendOutsideATurnLeavesAtOnce) {
  std::atomic<int> readable{-1};
  worker.post([&] {
    worker.send("now", Target{at(a), 0});
    readable = a.readable(2s) ? 1 : 0;  // still inside the posted function
  });
  EXPECT_TRUE(eventually([&] { return readable.load() != -1; }));
  EXPECT_EQ(readable.load(), 1);
  EXPECT_EQ(a.receive(), std::optional<std::string>("now"));
}

std::string family(const ::testing::TestParamInfo<bool>& p) { return p.param ? "IPv6" : "IPv4"; }
INSTANTIATE_TEST_SUITE_P(Loopback, WorkerUdpBatch, ::testing::Values(false, true), family);

}  // namespace
}  // namespace trapezoid::transport
