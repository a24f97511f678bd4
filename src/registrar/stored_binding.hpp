// One binding as the location service keeps it in memory: the Binding's numbers, and its texts
// packed back to back in one allocation (the AoR is not repeated: the map key holds it). A
// registration costs one small block instead of six strings.
//
//   StoredBinding s(binding);                  // packs
//   s.contact();                               // "sip:alice@192.0.2.4:5060" (a view into s)
//   Binding b = s.to_binding("sip:alice@atlanta.com");
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>

#include "registrar/binding.hpp"

namespace trapezoid::registrar {

class StoredBinding {
 public:
  StoredBinding() = default;
  // Copies every field of `b` but its aor. A q outside -1..1000 is kept as -1 (none).
  explicit StoredBinding(const Binding& b);

  StoredBinding(StoredBinding&&) noexcept = default;
  StoredBinding& operator=(StoredBinding&&) noexcept = default;
  StoredBinding(const StoredBinding&) = delete;
  StoredBinding& operator=(const StoredBinding&) = delete;
  ~StoredBinding() = default;

  // The whole Binding back, under `aor`.
  [[nodiscard]] Binding to_binding(std::string_view aor) const;

  [[nodiscard]] std::string_view contact() const noexcept { return field(kContact); }
  [[nodiscard]] std::string_view call_id() const noexcept { return field(kCallId); }
  [[nodiscard]] std::string_view path() const noexcept { return field(kPath); }
  [[nodiscard]] std::string_view received() const noexcept { return field(kReceived); }
  [[nodiscard]] std::string_view instance() const noexcept { return field(kInstance); }
  [[nodiscard]] std::string_view user_agent() const noexcept { return field(kUserAgent); }
  [[nodiscard]] std::uint32_t cseq() const noexcept { return cseq_; }
  [[nodiscard]] int q() const noexcept { return q_; }
  [[nodiscard]] UnixSeconds expires_at() const noexcept { return expires_at_; }
  [[nodiscard]] UnixSeconds updated_at() const noexcept { return updated_at_; }

  // A binding is live until the second it expires: at expires_at it is gone.
  [[nodiscard]] bool live_at(UnixSeconds now) const noexcept { return expires_at_ > now; }

 private:
  enum Field : std::uint8_t { kContact, kCallId, kPath, kReceived, kInstance, kUserAgent, kFieldCount };

  [[nodiscard]] std::string_view field(Field f) const noexcept {
    if (!text_) return {};
    const std::uint32_t begin = f == 0 ? 0 : end_[f - 1];
    return {text_.get() + begin, end_[f] - begin};
  }

  std::unique_ptr<char[]> text_;         // the texts in Field order, no separators
  std::array<std::uint32_t, kFieldCount> end_{};  // where each text ends in text_
  UnixSeconds expires_at_ = 0;
  UnixSeconds updated_at_ = 0;
  std::uint32_t cseq_ = 0;
  std::int16_t q_ = -1;
};

}  // namespace trapezoid::registrar
