// Records of one type for one name, from the cache when fresh, else by a query: CNAME chains
// followed, answers cached for their TTL, the A/AAAA/SRV records of the additional section
// kept for the names the answer points to (RFC 2782 "Usage rules", RFC 3263 §4.2), negative
// answers kept briefly (RFC 2308), and concurrent lookups of one (name, type) sharing a query.
//
//   RecordLookup lookup(channel, cfg);
//   lookup.lookup("_sip._udp.example.com", RecordType::kSrv, [](const LookupResult& r) {...});
//
// The callback runs at once on a cache hit, else later on the channel's event loop.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dns/ares_channel.hpp"
#include "dns/record_cache.hpp"
#include "dns/records.hpp"
#include "dns/resolver_config.hpp"

namespace trapezoid::dns {

struct LookupResult {
  QueryStatus status = QueryStatus::kFailed;
  std::vector<ResourceRecord> records;  // of the type asked, owned by the name (or its alias)
};

class RecordLookup {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  using Clock = std::function<TimePoint()>;
  using Callback = std::function<void(const LookupResult&)>;

  // `channel` must outlive the lookup. `clock` null: steady_clock.
  RecordLookup(AresChannel& channel, const ResolverConfig& config, Clock clock = {});

  void lookup(std::string_view name, RecordType type, Callback done);

  [[nodiscard]] std::size_t cached_entries() const noexcept { return cache_.size(); }

 private:
  // Asks `name` (an alias of `key_name` after a CNAME) and completes the lookup of key_name.
  void ask(const std::string& key_name, const std::string& name, RecordType type, int depth);
  void complete(const std::string& key_name, RecordType type, const LookupResult& result);
  void keep_additional(const DnsResponse& response, TimePoint now);
  [[nodiscard]] TimePoint expiry(std::uint32_t ttl, TimePoint now) const;

  AresChannel& channel_;
  ResolverConfig config_;
  Clock clock_;
  RecordCache cache_;
  std::unordered_map<std::string, std::vector<Callback>> waiting_;  // by cache key
};

}  // namespace trapezoid::dns
