#include "sip/header_id.hpp"

#include <array>
#include <bit>
#include <cstring>


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

// Open-addressing table keyed by length, first and last letter: three loads instead of a pass
// over the name. Each slot keeps the lower-case name and a mask with 0x20 on its letters, so a
// candidate is confirmed with one OR and compare per byte: (c | mask) == lower holds for a
// letter in either case and only for '-' itself where the name has a '-'.
constexpr std::size_t kSlots = 256;
constexpr std::size_t kMaxName = 24;

constexpr std::size_t hash_name(std::size_t len, char first, char last) {
  return (len * 7 + static_cast<unsigned char>(first | 0x20) * 3 + static_cast<unsigned char>(last | 0x20)) % kSlots;
}

struct Slot {
  std::uint8_t id = 0;
  std::uint8_t len = 0;
  std::array<char, kMaxName> lower{};
  std::array<char, kMaxName> mask{};
  // The first and the last w bytes of `lower` and `mask`, w = 8, 4 or 2 by the name's length
  // (overlapping), so that names of 2..16 bytes compare in two word operations.
  std::uint64_t head_lower = 0, head_mask = 0, tail_lower = 0, tail_mask = 0;
};

struct Table {
  std::array<Slot, kSlots> full{};
  std::array<std::uint8_t, 128> compact{};  // HeaderId for one-letter compact forms
};

constexpr std::size_t word_width(std::size_t len) { return len >= 8 ? 8 : len >= 4 ? 4 : 2; }

constexpr std::uint64_t pack(const std::array<char, kMaxName>& a, std::size_t from, std::size_t width) {
  std::uint64_t v = 0;
  for (std::size_t k = 0; k < width; ++k) v |= std::uint64_t{static_cast<unsigned char>(a[from + k])} << (8 * k);
  return v;
}

constexpr Table make_table() {
  Table t{};
  for (std::size_t i = 1; i < kHeaderIdCount; ++i) {
    std::string_view name = kInfo[i].name;
    std::size_t slot = hash_name(name.size(), name.front(), name.back());
    while (t.full[slot].id != 0) slot = (slot + 1) % kSlots;
    Slot& s = t.full[slot];
    s.id = static_cast<std::uint8_t>(i);
    s.len = static_cast<std::uint8_t>(name.size());
    for (std::size_t k = 0; k < name.size(); ++k) {
      bool letter = (name[k] >= 'a' && name[k] <= 'z') || (name[k] >= 'A' && name[k] <= 'Z');
      s.lower[k] = letter ? static_cast<char>(name[k] | 0x20) : name[k];
      s.mask[k] = letter ? 0x20 : 0;
    }
    if (name.size() >= 2 && name.size() <= 16) {
      const std::size_t w = word_width(name.size());
      s.head_lower = pack(s.lower, 0, w);
      s.head_mask = pack(s.mask, 0, w);
      s.tail_lower = pack(s.lower, name.size() - w, w);
      s.tail_mask = pack(s.mask, name.size() - w, w);
    }
    if (char c = kInfo[i].compact; c != 0) {
      t.compact[static_cast<unsigned char>(c)] = static_cast<std::uint8_t>(i);
      t.compact[static_cast<unsigned char>(c - 32)] = static_cast<std::uint8_t>(i);
    }
  }
  return t;
}

constexpr Table kTable = make_table();

static_assert(std::endian::native == std::endian::little, "load and pack must agree on byte order");

// Little-endian: byte k lands in bits 8k..8k+7, as pack lays them out.
template <std::size_t W>
std::uint64_t load(const char* p) noexcept {
  if constexpr (W == 8) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
  } else if constexpr (W == 4) {
    std::uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
  } else {
    std::uint16_t v;
    std::memcpy(&v, p, 2);
    return v;
  }
}

template <std::size_t W>
bool same_words(const Slot& s, std::string_view name) noexcept {
  return (load<W>(name.data()) | s.head_mask) == s.head_lower &&
         (load<W>(name.data() + name.size() - W) | s.tail_mask) == s.tail_lower;
}

bool same_name(const Slot& s, std::string_view name) noexcept {
  const std::size_t len = name.size();
  if (len >= 8 && len <= 16) return same_words<8>(s, name);
  if (len >= 4 && len < 8) return same_words<4>(s, name);
  if (len >= 2 && len < 4) return same_words<2>(s, name);
  std::size_t k = 0;
  while (k < len && static_cast<char>(name[k] | s.mask[k]) == s.lower[k]) ++k;
  return k == len;
}

static_assert([] {
  for (std::size_t i = 1; i < kHeaderIdCount; ++i)
    if (kInfo[i].name.size() > kMaxName) return false;
  return true;
}());

}  // namespace

HeaderId lookup_header(std::string_view name) noexcept {
  const std::size_t len = name.size();
  if (len == 1) {
    auto c = static_cast<unsigned char>(name[0]);
    return c < 128 ? static_cast<HeaderId>(kTable.compact[c]) : HeaderId::kUnknown;
  }
  if (len == 0 || len > kMaxName) return HeaderId::kUnknown;
  std::size_t slot = hash_name(len, name.front(), name.back());
  while (true) {
    const Slot& s = kTable.full[slot];
    if (s.id == 0) return HeaderId::kUnknown;
    if (s.len == len && same_name(s, name)) return static_cast<HeaderId>(s.id);
    slot = (slot + 1) % kSlots;
  }
}

std::string_view header_name(HeaderId id) noexcept { return kInfo[static_cast<std::size_t>(id)].name; }
char header_compact_form(HeaderId id) noexcept { return kInfo[static_cast<std::size_t>(id)].compact; }

}  // namespace trapezoid::sip
