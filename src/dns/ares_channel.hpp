// One c-ares channel driven by a worker's Asio event loop: the sockets c-ares opens are
// watched with posix descriptors and its retransmission deadline with a steady timer, so
// queries never block and every callback runs on the worker's thread. One per worker
// (shared-nothing), used from that thread only.
//
//   std::string error;
//   auto channel = AresChannel::create(io, cfg, error);     // nullptr + error when it cannot
//   channel->query("_sip._udp.example.com", RecordType::kSrv,
//                  [](QueryStatus s, std::span<const std::uint8_t> answer) { ... });
//
// Destroying the channel drops the callbacks of the queries still out (they are not called).
// It must be destroyed before the io_context, on the worker's thread or after its loop ended.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "dns/records.hpp"
#include "dns/resolver_config.hpp"

namespace boost::asio {
class io_context;
}

namespace trapezoid::dns {

enum class QueryStatus : std::uint8_t {
  kAnswered,   // NOERROR with records in the answer section
  kNoRecords,  // NXDOMAIN, or NOERROR with no answer (RFC 2308 NODATA)
  kFailed,     // timeout, SERVFAIL, refused, malformed
};

class AresChannel {
 public:
  using Callback = std::function<void(QueryStatus status, std::span<const std::uint8_t> message)>;

  static std::unique_ptr<AresChannel> create(boost::asio::io_context& io, const ResolverConfig& config,
                                             std::string& error);
  ~AresChannel();
  AresChannel(const AresChannel&) = delete;
  AresChannel& operator=(const AresChannel&) = delete;

  // Sends one query (class IN, no search list). `done` runs later, never from inside this call.
  void query(const std::string& name, RecordType type, Callback done);
  // Queries sent by this channel (retransmissions not counted).
  [[nodiscard]] std::uint64_t queries_sent() const noexcept;

 private:
  struct Impl;
  explicit AresChannel(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace trapezoid::dns
