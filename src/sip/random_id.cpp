#include "sip/random_id.hpp"

#include <random>

#include "sip/via.hpp"

namespace trapezoid::sip {
namespace {

// Appends `bytes` random bytes from `random` as lowercase hex (token characters only, §25.1).
void append_random_hex(std::string& out, RandomSource& random, std::size_t bytes) {
  constexpr std::string_view kHex = "0123456789abcdef";
  std::array<std::byte, 16> buf{};
  while (bytes > 0) {
    const std::size_t n = bytes < buf.size() ? bytes : buf.size();
    random.fill(std::span<std::byte>(buf.data(), n));
    for (std::size_t i = 0; i < n; ++i) {
      const auto b = std::to_integer<unsigned>(buf[i]);
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 0xF]);
    }
    bytes -= n;
  }
}

// splitmix64: spreads a seed over the generator state (xoshiro must not start all-zero).
std::uint64_t splitmix64(std::uint64_t& x) noexcept {
  std::uint64_t z = (x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }

}  // namespace

SystemRandomSource::SystemRandomSource() {
  // All 256 bits of state come from the device, each word mixed so a weak device still fills it.
  std::random_device device;
  for (std::uint64_t& s : state_) {
    std::uint64_t x = (static_cast<std::uint64_t>(device()) << 32) ^ device();
    s = splitmix64(x);
  }
}

SystemRandomSource::SystemRandomSource(std::uint64_t seed) {
  for (std::uint64_t& s : state_) s = splitmix64(seed);
}

std::uint64_t SystemRandomSource::next() noexcept {
  // xoshiro256** (Blackman and Vigna).
  const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
  const std::uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = rotl(state_[3], 45);
  return result;
}

void SystemRandomSource::fill(std::span<std::byte> out) {
  std::size_t i = 0;
  while (i < out.size()) {
    std::uint64_t word = next();
    for (int k = 0; k < 8 && i < out.size(); ++k, ++i) {
      out[i] = static_cast<std::byte>(word & 0xFF);
      word >>= 8;
    }
  }
}

std::string make_tag(RandomSource& random) {
  std::string tag;
  tag.reserve(16);
  append_random_hex(tag, random, 8);
  return tag;
}

std::string make_branch(RandomSource& random) {
  std::string branch(kBranchMagicCookie);
  branch.reserve(kBranchMagicCookie.size() + 24);
  append_random_hex(branch, random, 12);
  return branch;
}

std::string make_call_id(RandomSource& random, std::string_view host) {
  std::string id;
  id.reserve(32 + (host.empty() ? 0 : 1 + host.size()));
  append_random_hex(id, random, 16);
  if (!host.empty()) {
    id.push_back('@');
    id.append(host);
  }
  return id;
}

}  // namespace trapezoid::sip
