// One change of the location service as the store writes it: a binding's whole new value
// (upsert) or the removal of the binding of an AoR to a contact. A batch is a sequence of
// changes with at most one per aor+contact (pending_changes.hpp coalesces them).
//
//   std::vector<BindingChange> batch{BindingChange::upsert(b),
//                                    BindingChange::remove("sip:bob@biloxi.com", "sip:bob@192.0.2.9")};
//   if (std::string why = binding_problem(b); !why.empty()) reject(why);
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "registrar/binding.hpp"

namespace trapezoid::store {

struct BindingChange {
  enum class Kind : unsigned char { kUpsert, kRemove };

  Kind kind = Kind::kUpsert;
  registrar::Binding binding;  // kRemove: only aor and contact are set

  static BindingChange upsert(registrar::Binding b) { return {Kind::kUpsert, std::move(b)}; }
  static BindingChange remove(std::string_view aor, std::string_view contact) {
    BindingChange c{Kind::kRemove, {}};
    c.binding.aor = aor;
    c.binding.contact = contact;
    return c;
  }

  friend bool operator==(const BindingChange&, const BindingChange&) = default;
};

// Why the store cannot hold `change` ("empty contact", "q 1200 is outside -1..1000"), or ""
// when it can. The same rules as the schema's CHECK constraints, so that a bad binding is
// refused when it is queued rather than failing its whole batch later.
[[nodiscard]] std::string binding_problem(BindingChange::Kind kind, const registrar::Binding& b);
[[nodiscard]] inline std::string binding_problem(const BindingChange& change) {
  return binding_problem(change.kind, change.binding);
}

}  // namespace trapezoid::store
