// Which worker owns the stream connection to a far end, for the workers of one server.
//
// A TCP or TLS connection lives in the worker that accepted or opened it; another worker that
// must send to that far end (a request for a UA registered over it, RFC 3261 §18.1.1 / RFC 5626
// reasoning: behind NAT only that flow reaches the UA) finds it here and hands the bytes to the
// owner's event loop. The owner is in the connection id itself (its top 16 bits), so a send on
// a named connection needs no look-up at all; the directory maps a far end to the id.
//
//   StreamDirectory directory(4);
//   worker_a.join(directory, 0);  worker_b.join(directory, 1);   // before start()
//   // worker_b.send(bytes, Target{{kTcp, addr, port}, 0}) now writes on worker_a's connection
//
// Written only when a connection is added or closed; read only when a worker has no
// connection of its own for a stream target. Sharded by the far end, each shard under its own
// reader-writer lock: no lock is shared by all workers on the per-message path.
#pragma once

#include <array>
#include <cstddef>
#include <map>
#include <optional>
#include <shared_mutex>
#include <vector>

#include "transport/endpoint.hpp"

namespace trapezoid::transport {

class TransportWorker;

class StreamDirectory {
 public:
  explicit StreamDirectory(std::size_t workers);
  StreamDirectory(const StreamDirectory&) = delete;
  StreamDirectory& operator=(const StreamDirectory&) = delete;

  // The worker that owns connection `id` (its top 16 bits), and the first id worker `index`
  // gives out. Worker 0's ids are 1, 2, ...: a worker outside any directory keeps those.
  [[nodiscard]] static unsigned owner_of(ConnectionId id) noexcept { return static_cast<unsigned>(id >> kOwnerShift); }
  [[nodiscard]] static ConnectionId first_id(unsigned index) noexcept {
    return (static_cast<ConnectionId>(index) << kOwnerShift) + 1;
  }

  // TransportWorker::join() registers itself; the worker must outlive every other worker's sends.
  void attach(unsigned index, TransportWorker& worker);
  // The worker at `index`, or nullptr.
  [[nodiscard]] TransportWorker* worker(unsigned index) const noexcept;

  // A connection to `remote` that any worker may use by address (the latest one wins).
  void publish(const Endpoint& remote, ConnectionId id);
  // Forgets `remote` if it still names `id` (a newer connection stays).
  void withdraw(const Endpoint& remote, ConnectionId id);
  [[nodiscard]] std::optional<ConnectionId> find(const Endpoint& remote) const;

 private:
  static constexpr unsigned kOwnerShift = 48;
  static constexpr std::size_t kShards = 16;
  struct Shard {
    mutable std::shared_mutex mutex;
    std::map<Endpoint, ConnectionId> by_remote;
  };
  [[nodiscard]] Shard& shard(const Endpoint& remote) const noexcept;

  std::vector<TransportWorker*> workers_;
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace trapezoid::transport
