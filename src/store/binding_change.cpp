#include "store/binding_change.hpp"

namespace trapezoid::store {

std::string binding_problem(BindingChange::Kind kind, const registrar::Binding& b) {
  if (b.aor.empty()) return "empty address-of-record";
  if (b.contact.empty()) return "empty contact for " + b.aor;
  if (kind == BindingChange::Kind::kRemove) return {};
  if (b.q < -1 || b.q > 1000) {
    return "q " + std::to_string(b.q) + " of " + b.aor + " -> " + b.contact + " is outside -1..1000";
  }
  return {};
}

}  // namespace trapezoid::store
