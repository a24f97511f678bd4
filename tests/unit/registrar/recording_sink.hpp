// A BindingSink for tests: records every call, in order, under a mutex (the location service
// calls it from whichever thread made the change).
//
//   RecordingSink sink;
//   LocationService service({}, &sink);
//   ...
//   sink.events();   // {{kUpsert, aor, contact, binding}, {kRemove, aor, contact, {}}, ...}
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "registrar/binding.hpp"
#include "registrar/binding_sink.hpp"

namespace trapezoid::registrar::testing {

struct SinkEvent {
  enum class Kind { kUpsert, kRemove };
  Kind kind;
  std::string aor;
  std::string contact;
  Binding binding;  // the upserted value; empty for a removal
};

class RecordingSink final : public BindingSink {
 public:
  void on_upsert(const Binding& b) override {
    std::lock_guard lock(mutex_);
    events_.push_back({SinkEvent::Kind::kUpsert, b.aor, b.contact, b});
  }
  void on_remove(std::string_view aor, std::string_view contact) override {
    std::lock_guard lock(mutex_);
    events_.push_back({SinkEvent::Kind::kRemove, std::string(aor), std::string(contact), {}});
  }
  [[nodiscard]] std::vector<SinkEvent> events() const {
    std::lock_guard lock(mutex_);
    return events_;
  }
  std::vector<SinkEvent> take() {
    std::lock_guard lock(mutex_);
    return std::exchange(events_, {});
  }

 private:
  mutable std::mutex mutex_;
  std::vector<SinkEvent> events_;
};

}  // namespace trapezoid::registrar::testing
