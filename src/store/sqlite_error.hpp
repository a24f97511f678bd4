// Private to the store: SQLite result codes turned into StoreStatus values.
//
//   if (rc != SQLITE_DONE) return sqlite_error(path, "writing 3 changes", rc, sqlite3_errmsg(db));
//   // -> kBusy, "/data/bindings.db: writing 3 changes: database is locked (SQLITE_BUSY)"
#pragma once

#include <string_view>

#include "store/store_status.hpp"

namespace trapezoid::store::detail {

// The StoreErrc for an SQLite (extended) result code.
[[nodiscard]] StoreErrc classify_sqlite(int rc) noexcept;

// "SQLITE_BUSY", "SQLITE_IOERR", ... for the primary code of `rc`; static storage.
[[nodiscard]] std::string_view sqlite_code_name(int rc) noexcept;

// An error naming the file, what was being done, SQLite's message and the code.
[[nodiscard]] StoreStatus sqlite_error(std::string_view path, std::string_view doing, int rc,
                                       std::string_view sqlite_message);

}  // namespace trapezoid::store::detail
