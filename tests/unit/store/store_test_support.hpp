// Helpers of the store tests: a temporary directory removed afterwards, bindings with every
// field set, a raw SQLite connection (the "other process" holding locks), a log recorder.
#pragma once

#include <sqlite3.h>
#include <stdlib.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "registrar/binding.hpp"
#include "store/sqlite_store.hpp"
#include "store/write_behind.hpp"

namespace trapezoid::store::test {

// mkdtemp under $TMPDIR (or /tmp), removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::filesystem::path base = std::filesystem::temp_directory_path();
    std::string pattern = (base / "trapezoid-store-XXXXXX").string();
    if (char* made = mkdtemp(pattern.data())) path_ = made;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] bool ok() const { return !path_.empty(); }
  [[nodiscard]] std::string file(std::string_view name) const { return (path_ / name).string(); }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A binding with every field set and distinct per `i` (and per `generation`, for refreshes).
inline registrar::Binding make_binding(int i, int generation = 0) {
  registrar::Binding b;
  std::string n = std::to_string(i);
  b.aor = "sip:user" + std::to_string(i / 3) + "@atlanta.example.com";
  b.contact = "sip:user@192.0.2." + n + ":5060;transport=tcp";
  b.call_id = "call-" + n + "-" + std::to_string(generation) + "@pc33.atlanta.example.com";
  b.cseq = static_cast<std::uint32_t>(100 + generation);
  b.expires_at = 1'700'000'000 + i;
  b.q = (i * 7 + generation) % 1001;
  b.path = "<sip:edge" + n + ".atlanta.example.com;lr>";
  b.received = "tcp:[2001:db8::" + n + "]:5061";
  b.instance = "\"<urn:uuid:00000000-0000-0000-0000-" + std::to_string(100000000000 + i) + ">\"";
  b.user_agent = "Phone/" + std::to_string(generation);
  b.updated_at = 1'699'999'000 + i + generation;
  return b;
}

// A connection of its own, as another process would have: for locks and raw checks.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      sqlite3_close(db_);
      db_ = nullptr;
    }
  }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  [[nodiscard]] bool ok() const { return db_ != nullptr; }
  // SQLite's result code of running `sql`.
  int exec(const char* sql) { return sqlite3_exec(db_, sql, nullptr, nullptr, nullptr); }
  // The first column of the first row of `sql` as text, or "<error: ...>".
  std::string text(const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr) != SQLITE_OK) return "<error: " + std::string(sqlite3_errmsg(db_)) + ">";
    std::string out;
    if (sqlite3_step(stmt) == SQLITE_ROW) {
      const unsigned char* t = sqlite3_column_text(stmt, 0);
      out = t ? reinterpret_cast<const char*>(t) : "";
    } else {
      out = "<error: " + std::string(sqlite3_errmsg(db_)) + ">";
    }
    sqlite3_finalize(stmt);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

// Records what the store logs; safe to read while the store's thread writes.
class LogRecorder {
 public:
  StoreLog sink() {
    return [this](Severity s, std::string_view line) {
      std::lock_guard lock(mutex_);
      lines_.emplace_back(s, std::string(line));
    };
  }
  // Whether a line of `severity` containing `text` was logged.
  bool has(Severity severity, std::string_view text) const {
    std::lock_guard lock(mutex_);
    for (const auto& [s, line] : lines_) {
      if (s == severity && line.find(text) != std::string::npos) return true;
    }
    return false;
  }
  std::string all() const {
    std::lock_guard lock(mutex_);
    std::string out;
    for (const auto& [s, line] : lines_) out += std::to_string(static_cast<int>(s)) + ": " + line + "\n";
    return out;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::pair<Severity, std::string>> lines_;
};

// Polls `done` every millisecond until it holds or `timeout` passes; returns its last value.
template <class Pred>
bool eventually(Pred done, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return done();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

// What the file holds now, read through a connection of its own.
inline LoadResult load_file(const std::string& path) {
  SqliteStore reader;
  if (StoreStatus st = reader.open(path); !st.ok()) return LoadResult{std::move(st), {}, {}};
  return reader.load();
}

}  // namespace trapezoid::store::test
