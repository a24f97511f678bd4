// Answers kept by (name, type) until their TTL runs out (RFC 1035 §3.2.1), negative answers
// for a short while (RFC 2308), at most `capacity` entries, least recently used out first.
//
//   RecordCache cache(4096);
//   cache.put("example.com", RecordType::kNaptr, records, now + 300s);
//   if (const RecordCache::Entry* e = cache.find("example.com", RecordType::kNaptr, now)) ...
#pragma once

#include <chrono>
#include <cstddef>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "dns/records.hpp"

namespace trapezoid::dns {

class RecordCache {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  struct Entry {
    std::vector<ResourceRecord> records;  // empty: the name or the type does not exist
    TimePoint expires;
  };

  explicit RecordCache(std::size_t capacity) : capacity_(capacity) {}

  // The entry while it is fresh at `now` (an expired one is dropped), or nullptr.
  [[nodiscard]] const Entry* find(std::string_view name, RecordType type, TimePoint now);
  // Stores or replaces; with capacity 0 nothing is kept.
  void put(std::string_view name, RecordType type, std::vector<ResourceRecord> records, TimePoint expires);
  [[nodiscard]] std::size_t size() const noexcept { return entries_.size(); }

 private:
  struct Slot {
    Entry entry;
    std::list<std::string>::iterator lru;
  };
  static std::string key(std::string_view name, RecordType type);

  std::size_t capacity_;
  std::unordered_map<std::string, Slot> entries_;
  std::list<std::string> lru_;  // most recently used first
};

}  // namespace trapezoid::dns
