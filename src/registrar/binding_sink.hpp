// Where the location service reports each change of a binding, so that a store can write it
// through (in batches) and be the truth after a restart. Called on the thread that made the
// change, after the change; implementations must be quick (queue, do not write here).
#pragma once

#include <string_view>

#include "registrar/binding.hpp"

namespace trapezoid::registrar {

class BindingSink {
 public:
  virtual ~BindingSink() = default;
  // A binding was added or refreshed: `b` is its whole new value.
  virtual void on_upsert(const Binding& b) = 0;
  // The binding of `aor` to `contact` is gone (removed by its UA or expired).
  virtual void on_remove(std::string_view aor, std::string_view contact) = 0;
};

}  // namespace trapezoid::registrar
