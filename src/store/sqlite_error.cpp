#include "store/sqlite_error.hpp"

#include <sqlite3.h>

#include <string>

namespace trapezoid::store::detail {

StoreErrc classify_sqlite(int rc) noexcept {
  switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE: return StoreErrc::kOk;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return StoreErrc::kBusy;
    case SQLITE_FULL: return StoreErrc::kFull;
    case SQLITE_IOERR: return StoreErrc::kIo;
    case SQLITE_READONLY: return StoreErrc::kReadOnly;
    case SQLITE_CORRUPT: return StoreErrc::kCorrupt;
    case SQLITE_NOTADB: return StoreErrc::kNotADatabase;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH: return StoreErrc::kCannotOpen;
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
    case SQLITE_RANGE: return StoreErrc::kInvalidArgument;
    default: return StoreErrc::kOther;
  }
}

std::string_view sqlite_code_name(int rc) noexcept {
  switch (rc & 0xff) {
    case SQLITE_OK: return "SQLITE_OK";
    case SQLITE_ERROR: return "SQLITE_ERROR";
    case SQLITE_INTERNAL: return "SQLITE_INTERNAL";
    case SQLITE_PERM: return "SQLITE_PERM";
    case SQLITE_ABORT: return "SQLITE_ABORT";
    case SQLITE_BUSY: return "SQLITE_BUSY";
    case SQLITE_LOCKED: return "SQLITE_LOCKED";
    case SQLITE_NOMEM: return "SQLITE_NOMEM";
    case SQLITE_READONLY: return "SQLITE_READONLY";
    case SQLITE_INTERRUPT: return "SQLITE_INTERRUPT";
    case SQLITE_IOERR: return "SQLITE_IOERR";
    case SQLITE_CORRUPT: return "SQLITE_CORRUPT";
    case SQLITE_NOTFOUND: return "SQLITE_NOTFOUND";
    case SQLITE_FULL: return "SQLITE_FULL";
    case SQLITE_CANTOPEN: return "SQLITE_CANTOPEN";
    case SQLITE_PROTOCOL: return "SQLITE_PROTOCOL";
    case SQLITE_SCHEMA: return "SQLITE_SCHEMA";
    case SQLITE_TOOBIG: return "SQLITE_TOOBIG";
    case SQLITE_CONSTRAINT: return "SQLITE_CONSTRAINT";
    case SQLITE_MISMATCH: return "SQLITE_MISMATCH";
    case SQLITE_MISUSE: return "SQLITE_MISUSE";
    case SQLITE_NOLFS: return "SQLITE_NOLFS";
    case SQLITE_AUTH: return "SQLITE_AUTH";
    case SQLITE_RANGE: return "SQLITE_RANGE";
    case SQLITE_NOTADB: return "SQLITE_NOTADB";
    default: return "SQLITE_?";
  }
}

StoreStatus sqlite_error(std::string_view path, std::string_view doing, int rc, std::string_view sqlite_message) {
  std::string message(path);
  message += ": ";
  message += doing;
  message += ": ";
  message += sqlite_message.empty() ? std::string_view(sqlite3_errstr(rc)) : sqlite_message;
  message += " (";
  message += sqlite_code_name(rc);
  if ((rc & 0xff) != rc) message += ", extended code " + std::to_string(rc);
  message += ')';
  StoreErrc code = classify_sqlite(rc);
  if (code == StoreErrc::kOk) code = StoreErrc::kOther;  // an unexpected ROW/DONE is still a failure
  return StoreStatus::error(code, std::move(message), rc);
}

}  // namespace trapezoid::store::detail
