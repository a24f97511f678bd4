#include "sip/header_id.hpp"

#include <array>

#include "sip/header_lookup.hpp"

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

using namespace header_lookup;  // the table's layout and hash (header_lookup.hpp)

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

constexpr Table kBuilt = make_table();
static_assert(kBuilt.multiplier != 0, "no collision-free multiplier found: widen kSlotBits");

static_assert([] {
  for (std::size_t i = 1; i < kHeaderIdCount; ++i)
    if (kInfo[i].name.size() > kMaxName) return false;
  return true;
}());

}  // namespace

constinit const header_lookup::Table header_lookup::kTable = kBuilt;

HeaderId lookup_header(std::string_view name) noexcept { return header_lookup::find(name); }

std::string_view header_name(HeaderId id) noexcept { return kInfo[static_cast<std::size_t>(id)].name; }
char header_compact_form(HeaderId id) noexcept { return kInfo[static_cast<std::size_t>(id)].compact; }

}  // namespace trapezoid::sip
