#include "sip/header_id.hpp"

#include <array>
#include <bit>
#include <cstring>
#include <type_traits>

namespace trapezoid::sip {
namespace {

struct Info {
  std::string_view name;
  char compact;
  HeaderKind kind;
};

constexpr HeaderKind kSingle = HeaderKind::kSingle;
constexpr HeaderKind kList = HeaderKind::kList;
constexpr HeaderKind kRepeat = HeaderKind::kRepeat;

constexpr std::array<Info, kHeaderIdCount> kInfo = {{
    {"", 0, kSingle},
#define TRAPEZOID_X(id, name, compact, kind) {name, compact, kind},
    TRAPEZOID_SIP_HEADERS(TRAPEZOID_X)
#undef TRAPEZOID_X
}};

// A perfect hash: the key is the name's first 8 bytes (all of a shorter name), its last 8
// and its length, folded to lower case; one multiply spreads it over 512 slots, and no two
// names share a slot, so a lookup is one probe. The multiplier is searched for at compile
// time, so adding a header needs no hand tuning. Each entry keeps its head and tail words in
// lower case with a mask that has 0x20 on the letters, so a candidate is confirmed with an OR
// and a compare per word: (c | mask) == lower holds for a letter in either case and only for
// '-' itself where the name has a '-'.
constexpr std::size_t kMaxName = 24;
constexpr unsigned kSlotBits = 9;
constexpr std::size_t kSlots = std::size_t{1} << kSlotBits;
constexpr std::uint64_t kFold = 0x2020202020202020u;

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

constexpr std::uint64_t name_key(std::uint64_t head, std::uint64_t tail, std::size_t len) {
  const std::uint64_t t = tail | kFold;
  return (head | kFold) ^ (t << 29 | t >> 35) ^ len;
}

constexpr std::size_t slot_of(std::uint64_t key, std::uint64_t multiplier) {
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

constexpr std::uint64_t key_of(std::string_view name) {
  return name_key(head_word(name.data(), name.size()), tail_word(name.data(), name.size()), name.size());
}

// The first multiplier of a fixed pseudo-random sequence under which every name has a slot of
// its own (with 66 names in 512 slots about one odd multiplier in 70 qualifies); 0 if none
// does, which also happens if two names have the same key.
constexpr std::uint64_t find_multiplier() {
  std::uint64_t state = 0x9E3779B97F4A7C15u;
  for (int attempt = 0; attempt < 20000; ++attempt) {
    state = state * 6364136223846793005u + 1442695040888963407u;
    const std::uint64_t m = state | 1;
    std::array<bool, kSlots> used{};
    bool collision = false;
    for (std::size_t i = 1; i < kHeaderIdCount && !collision; ++i) {
      const std::size_t s = slot_of(key_of(kInfo[i].name), m);
      collision = used[s];
      used[s] = true;
    }
    if (!collision) return m;
  }
  return 0;
}

constexpr Table make_table() {
  Table t{};
  t.multiplier = find_multiplier();
  for (std::size_t i = 1; i < kHeaderIdCount; ++i) {
    std::string_view name = kInfo[i].name;
    t.slot[slot_of(key_of(name), t.multiplier)] = static_cast<std::uint8_t>(i);
    Entry& e = t.entry[i];
    e.len = static_cast<std::uint8_t>(name.size());
    for (std::size_t k = 0; k < name.size(); ++k) {
      bool letter = (name[k] >= 'a' && name[k] <= 'z') || (name[k] >= 'A' && name[k] <= 'Z');
      e.lower[k] = letter ? static_cast<char>(name[k] | 0x20) : name[k];
      e.mask[k] = letter ? 0x20 : 0;
    }
    if (name.size() >= 2) {
      e.head_lower = head_word(e.lower.data(), name.size());
      e.head_mask = head_word(e.mask.data(), name.size());
      e.tail_lower = tail_word(e.lower.data(), name.size());
      e.tail_mask = tail_word(e.mask.data(), name.size());
    }
    if (char c = kInfo[i].compact; c != 0) {
      t.compact[static_cast<unsigned char>(c)] = static_cast<std::uint8_t>(i);
      t.compact[static_cast<unsigned char>(c - 32)] = static_cast<std::uint8_t>(i);
    }
  }
  return t;
}

constexpr Table kTable = make_table();
static_assert(kTable.multiplier != 0, "no collision-free multiplier found: widen kSlotBits");

static_assert([] {
  for (std::size_t i = 1; i < kHeaderIdCount; ++i)
    if (kInfo[i].name.size() > kMaxName) return false;
  return true;
}());

// Whether the rest of `name` (beyond its head word) matches the entry.
bool same_rest(const Entry& e, const char* p, std::size_t len, std::uint64_t tail) noexcept {
  if (len <= 8) return true;
  if (len <= 16) return (tail | e.tail_mask) == e.tail_lower;
  std::size_t k = 8;
  while (k < len && static_cast<char>(p[k] | e.mask[k]) == e.lower[k]) ++k;
  return k == len;
}

}  // namespace

HeaderId lookup_header(std::string_view name) noexcept {
  const std::size_t len = name.size();
  const char* p = name.data();
  if (len == 1) {
    auto c = static_cast<unsigned char>(p[0]);
    return c < 128 ? static_cast<HeaderId>(kTable.compact[c]) : HeaderId::kUnknown;
  }
  if (len == 0 || len > kMaxName) return HeaderId::kUnknown;
  const std::uint64_t head = head_word(p, len);
  const std::uint64_t tail = tail_word(p, len);
  const std::uint8_t id = kTable.slot[slot_of(name_key(head, tail, len), kTable.multiplier)];
  const Entry& e = kTable.entry[id];
  const bool same = e.len == len && (head | e.head_mask) == e.head_lower && same_rest(e, p, len, tail);
  return same ? static_cast<HeaderId>(id) : HeaderId::kUnknown;
}

std::string_view header_name(HeaderId id) noexcept { return kInfo[static_cast<std::size_t>(id)].name; }
char header_compact_form(HeaderId id) noexcept { return kInfo[static_cast<std::size_t>(id)].compact; }

}  // namespace trapezoid::sip
