// Subscribers in SQLite: the `subscribers` table (username, realm, ha1_md5, ha1_sha256) in the
// server's database file, beside the registrations. Plain passwords are never stored: add()
// computes both HA1 values and keeps only those.
//
//   SqliteCredentials users;
//   if (std::string err = users.open("./trapezoid-data/registrations.db"); !err.empty()) die(err);
//   users.add("alice", "atlanta.com", "secret");
//   users.lookup("alice", "atlanta.com");   // for the verifier, from any thread
//
// One connection behind a mutex: a lookup is one primary-key read, much shorter than the
// request it authenticates. The file is in WAL mode (the store sets it), so these reads do
// not wait for the store's writes.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/credential_source.hpp"

struct sqlite3;

namespace trapezoid::auth {

struct SubscriberRow {
  std::string username;
  std::string realm;
};

class SqliteCredentials final : public CredentialSource {
 public:
  SqliteCredentials();
  ~SqliteCredentials() override;
  SqliteCredentials(const SqliteCredentials&) = delete;
  SqliteCredentials& operator=(const SqliteCredentials&) = delete;

  // Opens the database file (created when missing) and creates the table when it is not
  // there. "" on success, else why, naming the file.
  [[nodiscard]] std::string open(const std::string& path);

  [[nodiscard]] std::optional<StoredCredentials> lookup(std::string_view username,
                                                        std::string_view realm) const override;

  // Adds the user or replaces its password. "" on success, else why.
  [[nodiscard]] std::string add(std::string_view username, std::string_view realm, std::string_view password);
  // Removes the user from `realm`, or from every realm when `realm` is empty. The number of
  // rows removed, or -1 on error (`error` says why).
  [[nodiscard]] int remove(std::string_view username, std::string_view realm, std::string& error);
  // Every subscriber, sorted by realm then username.
  [[nodiscard]] std::vector<SubscriberRow> list(std::string& error) const;

 private:
  struct DbCloser {
    void operator()(sqlite3* db) const noexcept;
  };
  [[nodiscard]] std::string failure(std::string_view doing) const;

  std::string path_;
  std::unique_ptr<sqlite3, DbCloser> db_;
  mutable std::mutex mutex_;
};

}  // namespace trapezoid::auth
