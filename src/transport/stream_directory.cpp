#include "transport/stream_directory.hpp"

#include <mutex>

namespace trapezoid::transport {

StreamDirectory::StreamDirectory(std::size_t workers) : workers_(workers, nullptr) {}

void StreamDirectory::attach(unsigned index, TransportWorker& worker) {
  if (index >= workers_.size()) workers_.resize(index + 1, nullptr);
  workers_[index] = &worker;
}

TransportWorker* StreamDirectory::worker(unsigned index) const noexcept {
  return index < workers_.size() ? workers_[index] : nullptr;
}

StreamDirectory::Shard& StreamDirectory::shard(const Endpoint& remote) const noexcept {
  // Ports of one far host differ, so they spread the shards on their own; mix in the address.
  std::size_t h = remote.port;
  for (std::uint8_t b : remote.address.bytes()) h = h * 31 + b;
  return shards_[h % kShards];
}

void StreamDirectory::publish(const Endpoint& remote, ConnectionId id) {
  Shard& s = shard(remote);
  std::unique_lock lock(s.mutex);
  s.by_remote[remote] = id;
}

void StreamDirectory::withdraw(const Endpoint& remote, ConnectionId id) {
  Shard& s = shard(remote);
  std::unique_lock lock(s.mutex);
  auto it = s.by_remote.find(remote);
  if (it != s.by_remote.end() && it->second == id) s.by_remote.erase(it);
}

std::optional<ConnectionId> StreamDirectory::find(const Endpoint& remote) const {
  Shard& s = shard(remote);
  std::shared_lock lock(s.mutex);
  auto it = s.by_remote.find(remote);
  if (it == s.by_remote.end()) return std::nullopt;
  return it->second;
}

}  // namespace trapezoid::transport
