// The in-memory location service (RFC 3261 §10): address-of-record -> bindings, read by the
// proxy on every request and written by REGISTERs, from many worker threads at once.
//
//   LocationService service({.domains = {"atlanta.com"}, .own_addresses = {"192.0.2.10"}}, &sink);
//   service.load(bindings_from_store);                       // at start-up, no sink calls
//   std::vector<Binding> targets = service.lookup("sip:alice@atlanta.com", now);
//   UpdateResult r = service.update("sip:alice@atlanta.com", now,
//       [&](std::span<const StoredBinding> live, BindingEdit& edit) { ...; return true; });
//   std::vector<Binding> gone = service.expire(now);         // from a periodic timer
//
// Concurrency: the AoRs are spread over shards by hash, each with its own std::shared_mutex and
// map; there is no global lock. lookup() and is_known() take one shard's lock shared; update(),
// expire() and load() take one shard's lock exclusively at a time. Every public function is
// safe to call from any thread.
//
// Order of contacts (lookup(), UpdateResult::bindings): highest q first, a contact without q
// counting as q=1.0 (RFC 3261 gives no default; like an accept-param without q, §20.1, it states
// no lower preference); among equal q, the most recently updated first.
//
// Sink (binding_sink.hpp): every change that update() and expire() make is reported after the
// change is made and before the shard's lock is released, so no reader sees a change before the
// sink does, and the sink sees the changes of one AoR in the order they happened. The sink must therefore be quick (queue, do not write) and
// must not call back into the LocationService. A binding refreshed under another spelling of its
// contact (equal per §19.1.4) is reported as on_remove(old text) then on_upsert(new value), as a
// store keys bindings by contact text. load() and add_known() report nothing (what they add
// came from the store).
//
// Memory: a binding is a StoredBinding (one allocation for its texts); an AoR is one map node
// whose vector is grown one binding at a time, never doubled. An AoR whose last binding is
// removed keeps its (empty) node: that is how it stays "known" (is_known()).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "registrar/binding.hpp"
#include "registrar/binding_sink.hpp"
#include "registrar/function_ref.hpp"
#include "registrar/locator.hpp"
#include "registrar/stored_binding.hpp"

namespace trapezoid::registrar {

struct LocationServiceConfig {
  // Domains this server is responsible for, matched case-insensitively; empty means every
  // domain is local.
  std::vector<std::string> domains;
  // The server's own host names and addresses ("192.0.2.10", "[2001:db8::1]", "::1"): always
  // local. Addresses compare by value, so any spelling of one matches.
  std::vector<std::string> own_addresses;
  // How many shards the AoRs are spread over (at least 1).
  std::size_t shard_count = 64;
};

// One change to an AoR's bindings, for logging.
struct BindingChange {
  enum class Kind : std::uint8_t {
    kAdded,      // a new binding
    kRefreshed,  // an existing binding rewritten (new expiry, Call-ID/CSeq, ...)
    kRemoved,    // removed by its UA (expires 0, or "*")
    kExpired,    // its time ran out
  };
  Kind kind = Kind::kAdded;
  std::string contact;
  friend bool operator==(const BindingChange&, const BindingChange&) = default;
};

// What a registrar decided to do with one AoR's live bindings; update() applies it.
struct BindingEdit {
  static constexpr std::size_t kNew = std::numeric_limits<std::size_t>::max();
  struct Write {
    std::size_t index = kNew;  // the live binding this one replaces, or kNew to add it
    Binding binding;           // its whole new value (binding.aor is ignored)
  };
  std::vector<std::size_t> removals;  // indices of live bindings to remove
  std::vector<Write> writes;
};

struct UpdateResult {
  // Whether the edit was applied. False when the decision refused (returned false) or the
  // edit named an index twice or out of range; the AoR is then as it was (apart from reaping).
  bool committed = false;
  // Expired bindings reaped before the decision (kExpired; done whatever was decided), then,
  // when committed, the edit's changes in the order removals, writes.
  std::vector<BindingChange> changes;
  // When committed: the AoR's live bindings afterwards, in lookup() order.
  std::vector<Binding> bindings;
};

// Sees the AoR's live bindings (expired ones are already reaped) and fills `edit`; returns
// false to change nothing. Called under the AoR's shard lock: keep it short, and do not call
// into the LocationService from it.
using DecideFn = FunctionRef<bool(std::span<const StoredBinding> live, BindingEdit& edit)>;

class LocationService final : public Locator {
 public:
  explicit LocationService(LocationServiceConfig config, BindingSink* sink = nullptr);
  ~LocationService() override;
  LocationService(const LocationService&) = delete;
  LocationService& operator=(const LocationService&) = delete;

  // Locator.
  [[nodiscard]] bool is_local_domain(std::string_view host) const override;
  [[nodiscard]] bool is_known(std::string_view aor) const override;
  [[nodiscard]] std::vector<Binding> lookup(std::string_view aor, UnixSeconds now) const override;

  // Reads and changes the bindings of `aor` (canonical, aor.hpp) as one step under its shard's
  // lock: reaps its expired bindings, calls decide(live, edit), and applies the edit when
  // decide returns true. The AoR becomes known when an edit adds a binding to it.
  UpdateResult update(std::string_view aor, UnixSeconds now, DecideFn decide);

  // Removes every binding expired at `now` and returns them (with their aor).
  std::vector<Binding> expire(UnixSeconds now);

  // Adds bindings read from a store at start-up, without telling the sink. A binding whose
  // contact (§19.1.4) is already bound to its AoR replaces it; one with an empty aor is skipped.
  // Expired bindings are loaded too (expire() reaps them, and so tells the store). Returns how
  // many were loaded.
  std::size_t load(std::span<const Binding> bindings);

  // Replaces the list of domains this server is responsible for (a configuration reload);
  // empty means every domain. The own addresses stay.
  void set_domains(const std::vector<std::string>& domains);

  // Marks AoRs as known without binding them (the store's list of AoRs that ever registered).
  void add_known(std::span<const std::string> aors);
  void add_known(std::string_view aor);

  struct Counts {
    std::size_t known_aors = 0;       // AoRs ever bound (or marked known)
    std::size_t bound_aors = 0;       // AoRs with at least one stored binding
    std::size_t bindings = 0;         // stored bindings (expired ones until reaped)
  };
  // For metrics: each shard is read under its lock in turn, so the sum is not one instant's.
  [[nodiscard]] Counts counts() const;

 private:
  struct Shard;

  [[nodiscard]] Shard& shard_for(std::string_view aor) const noexcept;

  struct IpAddress {
    bool v6 = false;
    std::array<std::uint8_t, 16> bytes{};
    friend bool operator==(const IpAddress&, const IpAddress&) = default;
  };

  mutable std::shared_mutex domains_mutex_;  // reloads write, every request reads
  std::vector<std::string> domains_;    // lower case
  std::vector<std::string> own_names_;  // lower case: own addresses that are host names
  std::vector<IpAddress> own_ips_;
  BindingSink* sink_;
  std::size_t shard_count_;
  std::unique_ptr<Shard[]> shards_;
};

}  // namespace trapezoid::registrar
