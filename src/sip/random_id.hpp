// Random identifiers: tags (RFC 3261 §19.3), Via branches (§8.1.1.7) and Call-IDs (§8.1.1.4),
// drawn from a random source the caller passes in, so tests can be deterministic and no
// process-wide generator exists.
//
//   SystemRandomSource random;                 // one per worker thread
//   std::string tag = make_tag(random);        // "3f9c0b2a71d4e8a6"
//   std::string branch = make_branch(random);  // "z9hG4bK" + 24 hex digits
#pragma once

#include <cstddef>
#include <cstdint>
#include <array>
#include <span>
#include <string>
#include <string_view>

namespace trapezoid::sip {

// Where random bytes come from. Implementations need not be thread-safe: give each thread its own.
class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual void fill(std::span<std::byte> out) = 0;
};

// A xoshiro256** generator seeded from std::random_device (or from a fixed seed, for
// reproducible runs). Fast, 32 bytes of state, and unpredictable enough for tags and branches,
// which need uniqueness and some unguessability, not cryptographic strength; nonces and
// secrets belong to the auth layer.
class SystemRandomSource final : public RandomSource {
 public:
  SystemRandomSource();
  explicit SystemRandomSource(std::uint64_t seed);
  void fill(std::span<std::byte> out) override;

 private:
  std::uint64_t next() noexcept;
  std::array<std::uint64_t, 4> state_{};
};

// A tag of 64 random bits as 16 lowercase hex digits (§19.3 asks for at least 32 bits).
[[nodiscard]] std::string make_tag(RandomSource& random);

// A branch of 96 random bits: the magic cookie "z9hG4bK" then 24 hex digits, unique over space
// and time as §8.1.1.7 requires.
[[nodiscard]] std::string make_branch(RandomSource& random);

// A Call-ID of 128 random bits as 32 hex digits, followed by "@host" when a host is given
// (§8.1.1.4; §20.8 recommends the host part).
[[nodiscard]] std::string make_call_id(RandomSource& random, std::string_view host = {});

}  // namespace trapezoid::sip
