#include "registrar/location_service.hpp"

#include <algorithm>
#include <functional>
#include <iterator>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <unordered_map>
#include <utility>

#include "sip/charset.hpp"
#include "sip/host.hpp"
#include "sip/uri.hpp"

namespace trapezoid::registrar {
namespace {

constexpr UnixSeconds kNever = std::numeric_limits<UnixSeconds>::max();

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

using BindingList = std::vector<StoredBinding>;
using AorMap = std::unordered_map<std::string, BindingList, StringHash, std::equal_to<>>;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = sip::charset::lower(c);
  return out;
}

int effective_q(int q) noexcept { return q < 0 ? 1000 : q; }

// lookup() order: highest q first (none counts as 1.0), then the most recently updated.
void sort_by_preference(std::vector<Binding>& bindings) {
  if (bindings.size() < 2) return;  // most AoRs have one binding: no sort, no temporary buffer
  std::stable_sort(bindings.begin(), bindings.end(), [](const Binding& a, const Binding& b) {
    if (effective_q(a.q) != effective_q(b.q)) return effective_q(a.q) > effective_q(b.q);
    return a.updated_at > b.updated_at;
  });
}

std::vector<Binding> live_bindings(std::string_view aor, const BindingList& list, UnixSeconds now) {
  std::vector<Binding> out;
  out.reserve(list.size());
  for (const StoredBinding& s : list)
    if (s.live_at(now)) out.push_back(s.to_binding(aor));
  return out;
}

// Whether two contact texts name the same contact (§19.1.4; texts that do not parse compare
// byte for byte).
bool same_contact(std::string_view a, std::string_view b) {
  if (a == b) return true;
  sip::Uri ua;
  sip::Uri ub;
  if (!sip::parse_uri(a, ua).empty() || !sip::parse_uri(b, ub).empty()) return false;
  return sip::uri_equal(ua, ub);
}

bool edit_is_consistent(const BindingEdit& edit, std::size_t live_count) {
  std::vector<bool> named(live_count, false);
  auto claim = [&named, live_count](std::size_t i) {
    if (i >= live_count || named[i]) return false;
    named[i] = true;
    return true;
  };
  for (std::size_t i : edit.removals)
    if (!claim(i)) return false;
  for (const BindingEdit::Write& w : edit.writes)
    if (w.index != BindingEdit::kNew && !claim(w.index)) return false;
  return true;
}

}  // namespace

struct alignas(64) LocationService::Shard {
  mutable std::shared_mutex mutex;
  AorMap aors;
  std::size_t bound_aors = 0;
  std::size_t bindings = 0;
  UnixSeconds next_expiry = kNever;  // no binding of the shard expires before this

  // Removes the expired bindings of one AoR, reporting each to `sink`, `changes` and `removed`.
  void reap(std::string_view aor, BindingList& list, UnixSeconds now, BindingSink* sink,
            std::vector<BindingChange>* changes, std::vector<Binding>* removed) {
    const std::size_t before = list.size();
    auto dead = std::stable_partition(list.begin(), list.end(),
                                      [now](const StoredBinding& s) { return s.live_at(now); });
    if (dead == list.end()) return;
    std::vector<StoredBinding> gone(std::make_move_iterator(dead), std::make_move_iterator(list.end()));
    list.erase(dead, list.end());
    bindings -= before - list.size();
    if (list.empty()) {
      --bound_aors;
      list.shrink_to_fit();
    }
    for (const StoredBinding& g : gone) {
      if (sink != nullptr) sink->on_remove(aor, g.contact());
      if (changes != nullptr) changes->push_back({BindingChange::Kind::kExpired, std::string(g.contact())});
      if (removed != nullptr) removed->push_back(g.to_binding(aor));
    }
  }

  void note_expiry(UnixSeconds at) noexcept { next_expiry = std::min(next_expiry, at); }
};

LocationService::LocationService(LocationServiceConfig config, BindingSink* sink)
    : sink_(sink),
      shard_count_(std::max<std::size_t>(config.shard_count, 1)),
      shards_(std::make_unique<Shard[]>(shard_count_)) {
  for (const std::string& d : config.domains) domains_.push_back(lower(d));
  for (const std::string& a : config.own_addresses) {
    IpAddress ip;
    sip::HostKind kind = sip::HostKind::kNone;
    if (sip::ip_address_bytes(a, ip.bytes, kind)) {
      ip.v6 = kind == sip::HostKind::kIPv6;
      own_ips_.push_back(ip);
    } else {
      own_names_.push_back(lower(a));
    }
  }
}

LocationService::~LocationService() = default;

LocationService::Shard& LocationService::shard_for(std::string_view aor) const noexcept {
  // The map hashes the same key; mixing keeps the shard choice independent of its buckets.
  std::uint64_t h = StringHash{}(aor);
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return shards_[h % shard_count_];
}

void LocationService::set_domains(const std::vector<std::string>& domains) {
  std::vector<std::string> lowered;
  for (const std::string& d : domains) lowered.push_back(lower(d));
  std::unique_lock lock(domains_mutex_);
  domains_.swap(lowered);
}

bool LocationService::is_local_domain(std::string_view host) const {
  std::shared_lock lock(domains_mutex_);
  if (domains_.empty()) return true;
  IpAddress ip;
  sip::HostKind kind = sip::HostKind::kNone;
  if (sip::ip_address_bytes(host, ip.bytes, kind)) {
    ip.v6 = kind == sip::HostKind::kIPv6;
    if (std::find(own_ips_.begin(), own_ips_.end(), ip) != own_ips_.end()) return true;
  }
  auto matches = [host](const std::string& name) { return sip::charset::iequals(name, host); };
  return std::any_of(own_names_.begin(), own_names_.end(), matches) ||
         std::any_of(domains_.begin(), domains_.end(), matches);
}

bool LocationService::is_known(std::string_view aor) const {
  const Shard& s = shard_for(aor);
  std::shared_lock lock(s.mutex);
  return s.aors.find(aor) != s.aors.end();
}

std::vector<Binding> LocationService::lookup(std::string_view aor, UnixSeconds now) const {
  std::vector<Binding> out;
  {
    const Shard& s = shard_for(aor);
    std::shared_lock lock(s.mutex);
    const auto it = s.aors.find(aor);
    if (it == s.aors.end()) return out;
    out = live_bindings(aor, it->second, now);
  }
  sort_by_preference(out);
  return out;
}

UpdateResult LocationService::update(std::string_view aor, UnixSeconds now, DecideFn decide) {
  UpdateResult result;
  Shard& s = shard_for(aor);
  std::unique_lock lock(s.mutex);

  auto it = s.aors.find(aor);
  if (it != s.aors.end()) s.reap(aor, it->second, now, sink_, &result.changes, nullptr);
  const std::span<const StoredBinding> live =
      it != s.aors.end() ? std::span<const StoredBinding>(it->second) : std::span<const StoredBinding>();

  BindingEdit edit;
  if (!decide(live, edit) || !edit_is_consistent(edit, live.size())) return result;
  result.committed = true;
  if (it == s.aors.end()) {
    // An AoR becomes known only when it gets a binding: a query or a removal for an unknown
    // AoR leaves no trace.
    if (edit.writes.empty()) return result;
    it = s.aors.emplace(std::string(aor), BindingList{}).first;
  }
  BindingList& list = it->second;
  const std::size_t before = list.size();

  // Changes, in the order the sink hears them: removals, then writes.
  std::vector<bool> removed(list.size(), false);
  const std::size_t first_removal = result.changes.size();
  for (std::size_t i : edit.removals) {
    removed[i] = true;
    result.changes.push_back({BindingChange::Kind::kRemoved, std::string(list[i].contact())});
  }
  // A refreshed binding whose contact is spelled differently now (equal per §19.1.4): the
  // sink hears the old text removed, since a store keys bindings by that text.
  std::vector<std::string> respelled(edit.writes.size());
  std::size_t added = 0;
  for (std::size_t k = 0; k < edit.writes.size(); ++k) {
    BindingEdit::Write& w = edit.writes[k];
    w.binding.aor = aor;
    s.note_expiry(w.binding.expires_at);
    if (w.index == BindingEdit::kNew) {
      ++added;
      result.changes.push_back({BindingChange::Kind::kAdded, w.binding.contact});
      continue;
    }
    result.changes.push_back({BindingChange::Kind::kRefreshed, w.binding.contact});
    if (list[w.index].contact() != w.binding.contact) respelled[k] = list[w.index].contact();
  }

  // Apply: rewrite in place, drop the removed, append the new (growing by exactly what is added).
  for (const BindingEdit::Write& w : edit.writes)
    if (w.index != BindingEdit::kNew) list[w.index] = StoredBinding(w.binding);
  if (!edit.removals.empty()) {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (removed[i]) continue;
      if (kept != i) list[kept] = std::move(list[i]);
      ++kept;
    }
    list.erase(list.begin() + static_cast<std::ptrdiff_t>(kept), list.end());
  }
  if (added != 0) {
    list.reserve(list.size() + added);
    for (const BindingEdit::Write& w : edit.writes)
      if (w.index == BindingEdit::kNew) list.emplace_back(w.binding);
  }
  if (list.empty() && list.capacity() != 0) list.shrink_to_fit();

  s.bindings = s.bindings - before + list.size();
  if (before == 0 && !list.empty()) ++s.bound_aors;
  if (before != 0 && list.empty()) --s.bound_aors;

  // The sink hears of the changes once they are made, still under the lock (location_service.hpp).
  if (sink_ != nullptr) {
    for (std::size_t j = 0; j < edit.removals.size(); ++j)
      sink_->on_remove(aor, result.changes[first_removal + j].contact);
    for (std::size_t k = 0; k < edit.writes.size(); ++k) {
      if (!respelled[k].empty()) sink_->on_remove(aor, respelled[k]);
      sink_->on_upsert(edit.writes[k].binding);
    }
  }

  result.bindings = live_bindings(aor, list, now);
  lock.unlock();
  sort_by_preference(result.bindings);
  return result;
}

std::vector<Binding> LocationService::expire(UnixSeconds now) {
  std::vector<Binding> removed;
  for (std::size_t i = 0; i < shard_count_; ++i) {
    Shard& s = shards_[i];
    std::unique_lock lock(s.mutex);
    if (s.next_expiry > now) continue;
    UnixSeconds next = kNever;
    for (auto& [aor, list] : s.aors) {
      if (list.empty()) continue;
      s.reap(aor, list, now, sink_, nullptr, &removed);
      for (const StoredBinding& b : list) next = std::min(next, b.expires_at());
    }
    s.next_expiry = next;
  }
  return removed;
}

std::size_t LocationService::load(std::span<const Binding> bindings) {
  std::size_t loaded = 0;
  for (const Binding& b : bindings) {
    if (b.aor.empty()) continue;
    Shard& s = shard_for(b.aor);
    std::unique_lock lock(s.mutex);
    auto it = s.aors.find(std::string_view(b.aor));
    if (it == s.aors.end()) it = s.aors.emplace(b.aor, BindingList{}).first;
    BindingList& list = it->second;
    s.note_expiry(b.expires_at);
    ++loaded;
    auto same = std::find_if(list.begin(), list.end(),
                             [&b](const StoredBinding& x) { return same_contact(x.contact(), b.contact); });
    if (same != list.end()) {
      *same = StoredBinding(b);
      continue;
    }
    if (list.empty()) ++s.bound_aors;
    list.reserve(list.size() + 1);
    list.emplace_back(b);
    ++s.bindings;
  }
  return loaded;
}

void LocationService::add_known(std::string_view aor) {
  if (aor.empty()) return;
  Shard& s = shard_for(aor);
  std::unique_lock lock(s.mutex);
  if (s.aors.find(aor) == s.aors.end()) s.aors.emplace(std::string(aor), BindingList{});
}

void LocationService::add_known(std::span<const std::string> aors) {
  for (const std::string& aor : aors) add_known(std::string_view(aor));
}

LocationService::Counts LocationService::counts() const {
  Counts c;
  for (std::size_t i = 0; i < shard_count_; ++i) {
    const Shard& s = shards_[i];
    std::shared_lock lock(s.mutex);
    c.known_aors += s.aors.size();
    c.bound_aors += s.bound_aors;
    c.bindings += s.bindings;
  }
  return c;
}

}  // namespace trapezoid::registrar
