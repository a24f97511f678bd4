// The outcome of a store operation: ok, or an error code with a message that names the file
// and SQLite's own words, e.g.
//
//   StoreStatus st = store.write(batch);
//   if (!st.ok()) log(st.message);  // "/var/lib/trapezoid/bindings.db: writing 3 changes:
//                                   //  database is locked (SQLITE_BUSY)"
//   if (st.code == StoreErrc::kBusy) ...  // another connection holds the write lock: retry
//
// No exceptions cross the store's API: every failure comes back as a StoreStatus.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace trapezoid::store {

enum class StoreErrc : unsigned char {
  kOk,
  kInvalidArgument,    // a bad path, or a binding the store cannot hold (empty AoR, q > 1000)
  kCannotCreateDir,    // the database's directory does not exist and cannot be made
  kCannotOpen,         // SQLITE_CANTOPEN / SQLITE_PERM, or WAL not available on this file
  kNotADatabase,       // SQLITE_NOTADB: the file exists but is not an SQLite database
  kCorrupt,            // SQLITE_CORRUPT, or a stored value outside its range
  kSchemaMismatch,     // the file holds another program's tables or a newer schema version
  kBusy,               // SQLITE_BUSY / SQLITE_LOCKED: another connection holds a lock
  kFull,               // SQLITE_FULL: the disk (or the page cap) is full
  kIo,                 // SQLITE_IOERR: the operating system reported an I/O error
  kReadOnly,           // SQLITE_READONLY: the file or its directory cannot be written
  kNotOpen,            // the store was used before open() succeeded
  kOther,              // any other SQLite error (the message says which)
};

// A short English name ("database busy"); static storage.
[[nodiscard]] std::string_view to_string(StoreErrc code) noexcept;

struct [[nodiscard]] StoreStatus {
  StoreErrc code = StoreErrc::kOk;
  int sqlite_code = 0;   // SQLite's extended result code, or 0 when the error is not SQLite's
  std::string message;   // empty when ok()

  [[nodiscard]] bool ok() const noexcept { return code == StoreErrc::kOk; }

  static StoreStatus success() { return {}; }
  static StoreStatus error(StoreErrc code, std::string message, int sqlite_code = 0) {
    return {code, sqlite_code, std::move(message)};
  }
};

}  // namespace trapezoid::store
