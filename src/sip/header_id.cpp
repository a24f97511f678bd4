#include "sip/header_id.hpp"

#include <array>

#include "sip/charset.hpp"

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

// Open-addressing table keyed by a case-insensitive hash of the name.
constexpr std::size_t kSlots = 512;

constexpr std::uint32_t hash_name(std::string_view s) {
  std::uint32_t h = 2166136261u;
  for (char c : s) h = (h ^ static_cast<unsigned char>(charset::lower(c))) * 16777619u;
  return h;
}

struct Table {
  std::array<std::uint8_t, kSlots> full{};     // HeaderId for full names
  std::array<std::uint8_t, 128> compact{};     // HeaderId for one-letter compact forms
};

constexpr Table make_table() {
  Table t{};
  for (std::size_t i = 1; i < kHeaderIdCount; ++i) {
    std::size_t slot = hash_name(kInfo[i].name) % kSlots;
    while (t.full[slot] != 0) slot = (slot + 1) % kSlots;
    t.full[slot] = static_cast<std::uint8_t>(i);
    if (char c = kInfo[i].compact; c != 0) {
      t.compact[static_cast<unsigned char>(c)] = static_cast<std::uint8_t>(i);
      t.compact[static_cast<unsigned char>(c - 32)] = static_cast<std::uint8_t>(i);
    }
  }
  return t;
}

constexpr Table kTable = make_table();

}  // namespace

HeaderId lookup_header(std::string_view name) noexcept {
  if (name.size() == 1) {
    auto c = static_cast<unsigned char>(name[0]);
    return c < 128 ? static_cast<HeaderId>(kTable.compact[c]) : HeaderId::kUnknown;
  }
  std::size_t slot = hash_name(name) % kSlots;
  while (std::uint8_t id = kTable.full[slot]) {
    if (charset::iequals(kInfo[id].name, name)) return static_cast<HeaderId>(id);
    slot = (slot + 1) % kSlots;
  }
  return HeaderId::kUnknown;
}

std::string_view header_name(HeaderId id) noexcept { return kInfo[static_cast<std::size_t>(id)].name; }
HeaderKind header_kind(HeaderId id) noexcept { return kInfo[static_cast<std::size_t>(id)].kind; }
char header_compact_form(HeaderId id) noexcept { return kInfo[static_cast<std::size_t>(id)].compact; }

}  // namespace trapezoid::sip
