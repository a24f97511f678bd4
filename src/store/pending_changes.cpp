#include "store/pending_changes.hpp"

namespace trapezoid::store {

void PendingChanges::upsert(const registrar::Binding& b) {
  changes_.insert_or_assign(Key{b.aor, b.contact}, BindingChange::upsert(b));
}

void PendingChanges::remove(std::string_view aor, std::string_view contact) {
  changes_.insert_or_assign(Key{std::string(aor), std::string(contact)}, BindingChange::remove(aor, contact));
}

std::vector<BindingChange> PendingChanges::take() {
  std::vector<BindingChange> batch;
  batch.reserve(changes_.size());
  for (auto& [key, change] : changes_) batch.push_back(std::move(change));
  changes_.clear();
  return batch;
}

void PendingChanges::restore(std::vector<BindingChange>&& failed) {
  for (BindingChange& c : failed) {
    Key key{c.binding.aor, c.binding.contact};
    changes_.try_emplace(std::move(key), std::move(c));  // keeps a newer change already queued
  }
  failed.clear();
}

}  // namespace trapezoid::store
