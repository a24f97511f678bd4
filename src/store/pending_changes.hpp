// Changes waiting to be written, coalesced: the last change per aor+contact wins, so a batch
// holds at most one change per binding however often the UA refreshed it in the meantime.
//
//   PendingChanges pending;
//   pending.upsert(b);                       // b.aor -> b.contact
//   pending.remove(b.aor, b.contact);        // replaces the upsert above
//   std::vector<BindingChange> batch = pending.take();    // and pending is empty
//   if (!store.write(batch).ok()) pending.restore(std::move(batch));
//
// Not thread-safe: WriteBehindStore guards it with its mutex.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "registrar/binding.hpp"
#include "store/binding_change.hpp"

namespace trapezoid::store {

class PendingChanges {
 public:
  void upsert(const registrar::Binding& b);
  void remove(std::string_view aor, std::string_view contact);

  [[nodiscard]] std::size_t size() const noexcept { return changes_.size(); }
  [[nodiscard]] bool empty() const noexcept { return changes_.empty(); }

  // Every pending change, ordered by aor then contact; leaves this empty.
  [[nodiscard]] std::vector<BindingChange> take();

  // Puts back the changes of a write that failed. A change queued since take() is newer
  // and wins over the restored one for the same aor+contact.
  void restore(std::vector<BindingChange>&& failed);

 private:
  using Key = std::pair<std::string, std::string>;  // aor, contact
  std::map<Key, BindingChange, std::less<>> changes_;
};

}  // namespace trapezoid::store
