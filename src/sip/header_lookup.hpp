// The perfect hash behind lookup_header(), inline: the message parser looks up the name of
// every header field, and a call per name cost about a fifth of the lookup. header_id.cpp
// builds the table at compile time; everyone else calls lookup_header().
//
//   HeaderId id = header_lookup::find(name);  // the same answer as lookup_header(name)
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

#include "sip/header_id.hpp"

namespace trapezoid::sip::header_lookup {

// The key is the name's first 8 bytes (all of a shorter name), its last 8 and its length,
// folded to lower case; one multiply spreads it over 512 slots, and no two names share a
// slot, so a lookup is one probe. Each entry keeps its head and tail words in lower case with
// a mask that has 0x20 on the letters, so a candidate is confirmed with an OR and a compare per
// word: (c | mask) == lower holds for a letter in either case and only for '-' itself where
// the name has a '-'.
inline constexpr std::size_t kMaxName = 24;
inline constexpr unsigned kSlotBits = 9;
inline constexpr std::size_t kSlots = std::size_t{1} << kSlotBits;
inline constexpr std::uint64_t kFold = 0x2020202020202020u;

static_assert(std::endian::native == std::endian::little, "loads and words must agree on byte order");

// Little-endian loads: byte k lands in bits 8k..8k+7.
template <class Word>
constexpr std::uint64_t load(const char* p) noexcept {
  if (std::is_constant_evaluated()) {
    std::uint64_t v = 0;
    for (std::size_t k = 0; k < sizeof(Word); ++k) v |= std::uint64_t{static_cast<unsigned char>(p[k])} << (8 * k);
    return v;
  }
  Word v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// The first min(len, 8) bytes of p as a word, reading nothing past p + len (two overlapping
// loads hold the same bytes where they overlap). len >= 2.
constexpr std::uint64_t head_word(const char* p, std::size_t len) noexcept {
  if (len >= 8) return load<std::uint64_t>(p);
  if (len >= 4) return load<std::uint32_t>(p) | load<std::uint32_t>(p + len - 4) << (8 * (len - 4));
  return load<std::uint16_t>(p) | load<std::uint16_t>(p + len - 2) << (8 * (len - 2));
}

// The last 8 bytes of a name longer than 8, else 0.
constexpr std::uint64_t tail_word(const char* p, std::size_t len) noexcept {
  return len > 8 ? load<std::uint64_t>(p + len - 8) : 0;
}

constexpr std::uint64_t name_key(std::uint64_t head, std::uint64_t tail, std::size_t len) noexcept {
  const std::uint64_t t = tail | kFold;
  return (head | kFold) ^ (t << 29 | t >> 35) ^ len;
}

constexpr std::size_t slot_of(std::uint64_t key, std::uint64_t multiplier) noexcept {
  return static_cast<std::size_t>((key * multiplier) >> (64 - kSlotBits));
}

struct Entry {
  std::uint8_t len = 0;
  std::uint64_t head_lower = 0, head_mask = 0;  // bytes 0..7 (fewer for a shorter name)
  std::uint64_t tail_lower = 0, tail_mask = 0;  // the last 8 bytes, for 9..16-byte names
  std::array<char, kMaxName> lower{};           // the whole name, for longer ones
  std::array<char, kMaxName> mask{};
};

struct Table {
  std::uint64_t multiplier = 0;
  std::array<std::uint8_t, kSlots> slot{};   // HeaderId by slot_of(key), 0 when free
  std::array<Entry, kHeaderIdCount> entry{};  // by HeaderId; entry[0] has len 0
  std::array<std::uint8_t, 128> compact{};    // HeaderId for one-letter compact forms
};

extern const Table kTable;  // header_id.cpp

// Whether the rest of `name` (beyond its head word) matches the entry.
inline bool same_rest(const Entry& e, const char* p, std::size_t len, std::uint64_t tail) noexcept {
  if (len <= 8) return true;
  if (len <= 16) return (tail | e.tail_mask) == e.tail_lower;
  std::size_t k = 8;
  while (k < len && static_cast<char>(p[k] | e.mask[k]) == e.lower[k]) ++k;
  return k == len;
}

inline HeaderId find(std::string_view name) noexcept {
  const std::size_t len = name.size();
  const char* p = name.data();
  if (len - 2 > kMaxName - 2) {  // 0, 1 or longer than any name, in one test
    if (len != 1) return HeaderId::kUnknown;
    auto c = static_cast<unsigned char>(p[0]);
    return c < 128 ? static_cast<HeaderId>(kTable.compact[c]) : HeaderId::kUnknown;
  }
  const std::uint64_t head = head_word(p, len);
  const std::uint64_t tail = tail_word(p, len);
  const std::uint8_t id = kTable.slot[slot_of(name_key(head, tail, len), kTable.multiplier)];
  const Entry& e = kTable.entry[id];
  const bool same = e.len == len && (head | e.head_mask) == e.head_lower && same_rest(e, p, len, tail);
  return same ? static_cast<HeaderId>(id) : HeaderId::kUnknown;
}

}  // namespace trapezoid::sip::header_lookup
