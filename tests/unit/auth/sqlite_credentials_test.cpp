// Subscribers in a real SQLite file: add, replace, look up, remove, list; only HA1 values are
// stored.
#include "auth/sqlite_credentials.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "auth_test_support.hpp"

namespace trapezoid::auth {
namespace {

TEST(SqliteCredentials, AddLookUpReplaceRemove) {
  test::TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::string path = dir.path() + "/data/registrations.db";  // the directory is created
  SqliteCredentials users;
  ASSERT_EQ(users.open(path), "");
  EXPECT_FALSE(users.lookup("alice", "atlanta.com"));

  ASSERT_EQ(users.add("alice", "atlanta.com", "wonderland"), "");
  std::optional<StoredCredentials> c = users.lookup("alice", "atlanta.com");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->ha1_md5, digest_ha1(DigestAlgorithm::kMd5, "alice", "atlanta.com", "wonderland"));
  EXPECT_EQ(c->ha1_sha256, digest_ha1(DigestAlgorithm::kSha256, "alice", "atlanta.com", "wonderland"));
  EXPECT_EQ(c->ha1_for(DigestAlgorithm::kSha256Sess), c->ha1_sha256);
  EXPECT_EQ(c->ha1_for(DigestAlgorithm::kMd5), c->ha1_md5);
  // Exact matches: another realm or case is another user.
  EXPECT_FALSE(users.lookup("alice", "biloxi.com"));
  EXPECT_FALSE(users.lookup("Alice", "atlanta.com"));

  ASSERT_EQ(users.add("alice", "atlanta.com", "looking-glass"), "");
  EXPECT_EQ(users.lookup("alice", "atlanta.com")->ha1_md5,
            digest_ha1(DigestAlgorithm::kMd5, "alice", "atlanta.com", "looking-glass"));

  ASSERT_EQ(users.add("bob", "biloxi.com", "x"), "");
  ASSERT_EQ(users.add("alice", "biloxi.com", "y"), "");
  std::string error;
  std::vector<SubscriberRow> rows = users.list(error);
  EXPECT_EQ(error, "");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].realm, "atlanta.com");
  EXPECT_EQ(rows[1].username, "alice");
  EXPECT_EQ(rows[2].username, "bob");

  EXPECT_EQ(users.remove("alice", "atlanta.com", error), 1);
  EXPECT_FALSE(users.lookup("alice", "atlanta.com"));
  EXPECT_TRUE(users.lookup("alice", "biloxi.com"));
  EXPECT_EQ(users.remove("nobody", "", error), 0);
  EXPECT_EQ(users.remove("alice", "", error), 1);
  EXPECT_EQ(users.list(error).size(), 1u);
}

TEST(SqliteCredentials, SurvivesReopenAndStoresNoPassword) {
  test::TempDir dir;
  const std::string path = dir.path() + "/registrations.db";
  {
    SqliteCredentials users;
    ASSERT_EQ(users.open(path), "");
    ASSERT_EQ(users.add("carol", "atlanta.com", "plain-text-secret"), "");
  }
  SqliteCredentials again;
  ASSERT_EQ(again.open(path), "");
  EXPECT_TRUE(again.lookup("carol", "atlanta.com"));
  // Neither the file nor its WAL holds the password.
  for (const std::string& file : {path, path + "-wal"}) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    EXPECT_EQ(s.str().find("plain-text-secret"), std::string::npos) << file;
  }
}

TEST(SqliteCredentials, AnotherConnectionSeesNewUsers) {
  // `trapezoid user add` writes while the server runs: its reads see the new row at once.
  test::TempDir dir;
  const std::string path = dir.path() + "/registrations.db";
  SqliteCredentials server, cli;
  ASSERT_EQ(server.open(path), "");
  ASSERT_EQ(cli.open(path), "");
  EXPECT_FALSE(server.lookup("dave", "atlanta.com"));
  ASSERT_EQ(cli.add("dave", "atlanta.com", "pw"), "");
  EXPECT_TRUE(server.lookup("dave", "atlanta.com"));
}

TEST(SqliteCredentials, UnusableFileIsReported) {
  test::TempDir dir;
  const std::string path = dir.path() + "/not-a-db";
  {
    std::ofstream out(path, std::ios::binary);
    out << std::string(4096, 'x');
  }
  SqliteCredentials users;
  const std::string why = users.open(path);
  EXPECT_NE(why.find(path), std::string::npos) << why;
  EXPECT_FALSE(users.lookup("alice", "atlanta.com"));
  EXPECT_NE(users.add("alice", "atlanta.com", "pw"), "");
}

}  // namespace
}  // namespace trapezoid::auth
