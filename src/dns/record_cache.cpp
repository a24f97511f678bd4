#include "dns/record_cache.hpp"

#include <utility>

namespace trapezoid::dns {

std::string RecordCache::key(std::string_view name, RecordType type) {
  std::string k = canonical_name(name);
  k += '/';
  k += to_string(type);
  return k;
}

const RecordCache::Entry* RecordCache::find(std::string_view name, RecordType type, TimePoint now) {
  auto it = entries_.find(key(name, type));
  if (it == entries_.end()) return nullptr;
  if (it->second.entry.expires <= now) {
    lru_.erase(it->second.lru);
    entries_.erase(it);
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, it->second.lru);
  return &it->second.entry;
}

void RecordCache::put(std::string_view name, RecordType type, std::vector<ResourceRecord> records, TimePoint expires) {
  if (capacity_ == 0) return;
  std::string k = key(name, type);
  if (auto it = entries_.find(k); it != entries_.end()) {
    it->second.entry = Entry{std::move(records), expires};
    lru_.splice(lru_.begin(), lru_, it->second.lru);
    return;
  }
  while (entries_.size() >= capacity_) {
    entries_.erase(lru_.back());
    lru_.pop_back();
  }
  lru_.push_front(k);
  entries_.emplace(std::move(k), Slot{Entry{std::move(records), expires}, lru_.begin()});
}

}  // namespace trapezoid::dns
