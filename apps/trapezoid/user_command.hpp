// `trapezoid user add|remove|list`: the subscribers digest authentication checks, kept in the
// server's database file (DATA_DIR/registrations.db) as HA1 values, never as passwords.
//
//   UserFlags f;  f.action = "add";  f.username = "alice";  f.password = "secret";
//   return run_user(f);   // 0 done, 1 failed (unknown user, unusable database), 2 usage
#pragma once

#include <optional>
#include <string>

namespace trapezoid::apps {

struct UserFlags {
  std::string action;                    // "add", "remove" or "list"
  std::string username;                  // add, remove
  std::optional<std::string> realm;      // default: the server's realm (serve_config.hpp effective_realm)
  std::optional<std::string> password;   // add; default: read from stdin
  std::optional<std::string> data_dir;   // default: the configuration's, else ./trapezoid-data
  std::string config_path;               // the serve configuration, for its realm and data_dir
};

int run_user(const UserFlags& flags);

}  // namespace trapezoid::apps
