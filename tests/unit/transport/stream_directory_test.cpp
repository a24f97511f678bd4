// The server-wide directory of stream connections: owners from ids, far ends to ids.
#include "transport/stream_directory.hpp"

#include <gtest/gtest.h>

namespace trapezoid::transport {
namespace {

Endpoint far_end(std::uint16_t port) { return Endpoint{TransportKind::kTcp, *IpAddress::parse("192.0.2.4"), port}; }

TEST(StreamDirectory, TheOwnerIsInTheId) {
  EXPECT_EQ(StreamDirectory::first_id(0), 1u);  // a worker alone keeps 1, 2, ...
  EXPECT_EQ(StreamDirectory::owner_of(StreamDirectory::first_id(0) + 41), 0u);
  EXPECT_EQ(StreamDirectory::owner_of(StreamDirectory::first_id(3)), 3u);
  EXPECT_EQ(StreamDirectory::owner_of(StreamDirectory::first_id(3) + 1000), 3u);
}

TEST(StreamDirectory, LatestConnectionWinsAndAnOlderCloseKeepsIt) {
  StreamDirectory d(2);
  EXPECT_FALSE(d.find(far_end(5060)));
  const ConnectionId older = StreamDirectory::first_id(0);
  const ConnectionId newer = StreamDirectory::first_id(1);
  d.publish(far_end(5060), older);
  d.publish(far_end(5060), newer);
  EXPECT_EQ(d.find(far_end(5060)), newer);
  d.withdraw(far_end(5060), older);  // the older one closed: the newer stays
  EXPECT_EQ(d.find(far_end(5060)), newer);
  d.withdraw(far_end(5060), newer);
  EXPECT_FALSE(d.find(far_end(5060)));
}

TEST(StreamDirectory, FarEndsDifferByTransportAndPort) {
  StreamDirectory d(1);
  d.publish(far_end(5060), 7);
  EXPECT_FALSE(d.find(far_end(5061)));
  EXPECT_FALSE(d.find(Endpoint{TransportKind::kTls, far_end(5060).address, 5060}));
  EXPECT_EQ(d.find(far_end(5060)), 7u);
}

TEST(StreamDirectory, WorkersByIndex) {
  StreamDirectory d(2);
  EXPECT_EQ(d.worker(0), nullptr);
  EXPECT_EQ(d.worker(5), nullptr);
}

}  // namespace
}  // namespace trapezoid::transport
