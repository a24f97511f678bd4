#include "store/store_status.hpp"

namespace trapezoid::store {

std::string_view to_string(StoreErrc code) noexcept {
  switch (code) {
    case StoreErrc::kOk: return "ok";
    case StoreErrc::kInvalidArgument: return "invalid argument";
    case StoreErrc::kCannotCreateDir: return "cannot create directory";
    case StoreErrc::kCannotOpen: return "cannot open database";
    case StoreErrc::kNotADatabase: return "not a database";
    case StoreErrc::kCorrupt: return "database corrupt";
    case StoreErrc::kSchemaMismatch: return "schema mismatch";
    case StoreErrc::kBusy: return "database busy";
    case StoreErrc::kFull: return "database or disk full";
    case StoreErrc::kIo: return "I/O error";
    case StoreErrc::kReadOnly: return "database read-only";
    case StoreErrc::kNotOpen: return "store not open";
    case StoreErrc::kOther: return "database error";
  }
  return "database error";
}

}  // namespace trapezoid::store
