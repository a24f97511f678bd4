// The two transaction layer calls the proxy relies on: where a transaction's peer is (for
// Record-Route and the registrar's `received`), and giving a client transaction up.
#include <gtest/gtest.h>

#include "proxy_test_support.hpp"
#include "transaction/transaction_layer.hpp"

namespace trapezoid::proxy::test {
namespace {

class CountingUser final : public transaction::TransactionUser {
 public:
  void on_request(TransactionId, const sip::Message&) override {}
  void on_response(TransactionId, const sip::Message&) override {}
  void on_stray_ack(const sip::Message&, const Peer&) override {}
  void on_stray_response(const sip::Message&, const Peer&) override {}
  void on_timeout(TransactionId) override { ++timeouts; }
  void on_transport_error(TransactionId) override {}
  void on_terminated(TransactionId tx) override { terminated.push_back(tx); }
  int timeouts = 0;
  std::vector<TransactionId> terminated;
};

class CountingSender final : public transaction::MessageSender {
 public:
  bool send(const Peer&, std::string_view) override {
    ++sends;
    return true;
  }
  int sends = 0;
};

TEST(LayerFacilities, PeerOfAServerAndAClientTransaction) {
  CountingSender sender;
  CountingUser user;
  TransactionLayer layer(sender, user);
  const TimePoint now{};
  ASSERT_EQ(layer.receive(parse(request_text(RequestSpec{})), false, peer(10), now),
            TransactionLayer::Received::kNewServerTransaction);
  EXPECT_EQ(layer.peer(1), peer(10));
  RequestSpec out;
  out.branch = "z9hG4bKout1";
  const auto tx = layer.send_request(request_text(out), peer(20), transaction::Reliability::kUnreliable, now);
  ASSERT_TRUE(tx);
  EXPECT_EQ(layer.peer(*tx), peer(20));
  EXPECT_EQ(layer.peer(999), std::nullopt);
}

TEST(LayerFacilities, AbandonEndsAClientTransactionWithoutRetransmissionOrTimeout) {
  CountingSender sender;
  CountingUser user;
  TransactionLayer layer(sender, user);
  TimePoint now{};
  const auto tx = layer.send_request(request_text(RequestSpec{}), peer(20), transaction::Reliability::kUnreliable, now);
  ASSERT_TRUE(tx);
  EXPECT_EQ(sender.sends, 1);
  layer.abandon(*tx, now);
  EXPECT_FALSE(layer.contains(*tx));
  EXPECT_EQ(user.terminated, std::vector<TransactionId>{*tx});
  layer.advance(now += std::chrono::seconds(64));
  EXPECT_EQ(sender.sends, 1);  // Timer A entries are stale
  EXPECT_EQ(user.timeouts, 0);  // and Timer B too
  layer.abandon(*tx, now);      // a second time: nothing
  EXPECT_EQ(user.terminated.size(), 1u);
}

}  // namespace
}  // namespace trapezoid::proxy::test
