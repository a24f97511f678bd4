#include "dns/record_lookup.hpp"

#include <algorithm>
#include <utility>

namespace trapezoid::dns {
namespace {

constexpr int kMaxAliasHops = 8;

std::string waiting_key(std::string_view name, RecordType type) {
  std::string k = canonical_name(name);
  k += '/';
  k += to_string(type);
  return k;
}

// Follows CNAMEs within one answer section from `name`; returns the records of `type` at the
// end of the chain, the name the chain ends at, and the smallest TTL on the way.
std::vector<ResourceRecord> follow_aliases(const std::vector<ResourceRecord>& answers, std::string& name,
                                           RecordType type, std::uint32_t& ttl) {
  for (int hop = 0; hop <= kMaxAliasHops; ++hop) {
    std::vector<ResourceRecord> found;
    for (const ResourceRecord& rr : answers)
      if (rr.type == type && same_name(rr.name, name)) found.push_back(rr);
    if (!found.empty()) {
      for (const ResourceRecord& rr : found) ttl = std::min(ttl, rr.ttl);
      return found;
    }
    const auto alias = std::find_if(answers.begin(), answers.end(), [&](const ResourceRecord& rr) {
      return rr.type == RecordType::kCname && same_name(rr.name, name);
    });
    if (alias == answers.end()) return {};
    ttl = std::min(ttl, alias->ttl);
    name = std::get<std::string>(alias->data);
  }
  return {};
}

}  // namespace

RecordLookup::RecordLookup(AresChannel& channel, const ResolverConfig& config, Clock clock)
    : channel_(channel),
      config_(config),
      clock_(clock ? std::move(clock) : Clock([] { return std::chrono::steady_clock::now(); })),
      cache_(config.cache_entries) {}

RecordLookup::TimePoint RecordLookup::expiry(std::uint32_t ttl, TimePoint now) const {
  const auto seconds = std::min<std::chrono::seconds>(std::chrono::seconds(ttl), config_.max_ttl);
  return now + seconds;
}

void RecordLookup::lookup(std::string_view name, RecordType type, Callback done) {
  if (const RecordCache::Entry* hit = cache_.find(name, type, clock_())) {
    LookupResult r;
    r.status = hit->records.empty() ? QueryStatus::kNoRecords : QueryStatus::kAnswered;
    r.records = hit->records;
    return done(r);
  }
  std::string key = waiting_key(name, type);
  auto [it, first] = waiting_.try_emplace(key);
  it->second.push_back(std::move(done));
  if (!first) return;  // a query for it is already out
  const std::string asked(name);
  ask(asked, asked, type, 0);
}

void RecordLookup::ask(const std::string& key_name, const std::string& name, RecordType type, int depth) {
  channel_.query(name, type, [this, key_name, name, type, depth](QueryStatus status, std::span<const std::uint8_t> msg) {
    const TimePoint now = clock_();
    DnsResponse response;
    const bool parsed = !msg.empty() && parse_response(msg, response);
    LookupResult result;
    result.status = status;
    if (status == QueryStatus::kAnswered) {
      if (!parsed) {
        result.status = QueryStatus::kFailed;
        return complete(key_name, type, result);
      }
      std::string end = name;
      std::uint32_t ttl = UINT32_MAX;
      result.records = follow_aliases(response.answers, end, type, ttl);
      if (result.records.empty() && !same_name(end, name) && depth < kMaxAliasHops) {
        // The alias's records were not in the answer: ask for them.
        return ask(key_name, end, type, depth + 1);
      }
      keep_additional(response, now);
      if (result.records.empty()) {
        result.status = QueryStatus::kNoRecords;
        cache_.put(key_name, type, {}, now + config_.negative_ttl);
      } else if (ttl > 0) {
        cache_.put(key_name, type, result.records, expiry(ttl, now));
      }
    } else if (status == QueryStatus::kNoRecords) {
      // RFC 2308 §5: kept for the SOA minimum when the server sent one, within our bound.
      std::chrono::seconds keep = config_.negative_ttl;
      if (parsed && response.negative_ttl) keep = std::min(keep, std::chrono::seconds(*response.negative_ttl));
      if (keep.count() > 0) cache_.put(key_name, type, {}, now + keep);
    }
    complete(key_name, type, result);
  });
}

void RecordLookup::complete(const std::string& key_name, RecordType type, const LookupResult& result) {
  auto it = waiting_.find(waiting_key(key_name, type));
  if (it == waiting_.end()) return;
  std::vector<Callback> callbacks = std::move(it->second);
  waiting_.erase(it);
  for (Callback& cb : callbacks) cb(result);
}

void RecordLookup::keep_additional(const DnsResponse& response, TimePoint now) {
  // Only for names the answer itself points to (SRV targets, NAPTR replacements, and the SRV
  // targets of additional SRV records): a server's other extras are not trusted.
  std::vector<std::string> referenced;
  auto refer = [&](const ResourceRecord& rr) {
    if (const auto* srv = std::get_if<SrvData>(&rr.data)) referenced.push_back(srv->target);
    if (const auto* naptr = std::get_if<NaptrData>(&rr.data)) referenced.push_back(naptr->replacement);
  };
  for (const ResourceRecord& rr : response.answers) refer(rr);
  for (const ResourceRecord& rr : response.additional)
    if (rr.type == RecordType::kSrv) {
      const bool pointed = std::any_of(referenced.begin(), referenced.end(),
                                       [&](const std::string& n) { return same_name(n, rr.name); });
      if (pointed) refer(rr);
    }
  for (const std::string& name : referenced) {
    for (RecordType type : {RecordType::kSrv, RecordType::kA, RecordType::kAaaa}) {
      std::vector<ResourceRecord> group;
      std::uint32_t ttl = UINT32_MAX;
      for (const ResourceRecord& rr : response.additional)
        if (rr.type == type && same_name(rr.name, name)) {
          group.push_back(rr);
          ttl = std::min(ttl, rr.ttl);
        }
      if (group.empty() || ttl == 0 || cache_.find(name, type, now) != nullptr) continue;
      cache_.put(name, type, std::move(group), expiry(ttl, now));
    }
  }
}

}  // namespace trapezoid::dns
