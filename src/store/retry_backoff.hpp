// How long to wait before retrying a write that failed: doubling from `initial` up to `max`,
// back to `initial` once a write succeeds. No clock: the caller adds the delay to its now.
//
//   RetryBackoff backoff(100ms, 10s);
//   auto wait = backoff.next();   // 100ms, then 200ms, 400ms, ... 10s, 10s
//   backoff.reset();              // after a successful write
#pragma once

#include <algorithm>
#include <chrono>

namespace trapezoid::store {

class RetryBackoff {
 public:
  using Duration = std::chrono::milliseconds;

  RetryBackoff(Duration initial, Duration max)
      : initial_(std::max(initial, Duration{1})), max_(std::max(max, initial_)), next_(initial_) {}

  // The delay before the next attempt; each call doubles the following one, up to max.
  [[nodiscard]] Duration next() noexcept {
    Duration d = next_;
    next_ = next_ >= max_ / 2 ? max_ : next_ * 2;
    ++failures_;
    return d;
  }
  void reset() noexcept {
    next_ = initial_;
    failures_ = 0;
  }
  // The number of next() calls since the last reset(): failed attempts in a row.
  [[nodiscard]] unsigned failures() const noexcept { return failures_; }

 private:
  Duration initial_;
  Duration max_;
  Duration next_;
  unsigned failures_ = 0;
};

}  // namespace trapezoid::store
