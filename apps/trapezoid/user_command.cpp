#include "user_command.hpp"

#include <termios.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <string>

#include "auth/sqlite_credentials.hpp"
#include "serve_config.hpp"
#include "store/sqlite_store.hpp"

namespace trapezoid::apps {
namespace {

// The password from stdin: one line, without its line ending. On a terminal the typing is not
// echoed.
std::optional<std::string> read_password() {
  const bool terminal = ::isatty(STDIN_FILENO) == 1;
  termios saved{};
  if (terminal) {
    std::cerr << "Password: " << std::flush;
    if (::tcgetattr(STDIN_FILENO, &saved) == 0) {
      termios quiet = saved;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
  }
  std::string line;
  const bool got = static_cast<bool>(std::getline(std::cin, line));
  if (terminal) {
    ::tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::cerr << "\n";
  }
  if (!got && line.empty()) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

bool valid_name(const std::string& text) {
  if (text.empty()) return false;
  for (unsigned char c : text)
    if (c < 0x20 || c == 0x7F) return false;
  return true;
}

}  // namespace

int run_user(const UserFlags& flags) {
  const std::string me = "trapezoid user " + flags.action + ": ";
  ServeConfig cfg;
  if (!flags.config_path.empty()) {
    if (std::optional<ConfigError> err = load_config_file(flags.config_path, cfg)) {
      std::cerr << me << "bad configuration: " << err->text() << "\n";
      return 2;
    }
  }
  if (std::optional<ConfigError> err = check_config(cfg)) {
    std::cerr << me << "bad configuration: " << err->text() << "\n";
    return 2;
  }
  const std::string data_dir = flags.data_dir.value_or(cfg.data_dir);
  const std::string realm = flags.realm.value_or(effective_realm(cfg));
  const std::string db_path = (std::filesystem::path(data_dir) / "registrations.db").string();
  if ((flags.action == "add" || flags.action == "remove") && !valid_name(flags.username)) {
    std::cerr << me << "the user name must be non-empty printable text\n";
    return 2;
  }
  if (!valid_name(realm)) {
    std::cerr << me << "the realm must be non-empty printable text\n";
    return 2;
  }

  // Reading needs no new file: nothing there means nobody.
  std::error_code ec;
  if (flags.action != "add" && !std::filesystem::exists(db_path, ec)) {
    if (flags.action == "list") return 0;
    std::cerr << me << "no user '" << flags.username << "' in realm \"" << realm << "\" (" << db_path
              << " does not exist)\n";
    return 1;
  }

  std::optional<std::string> password;
  if (flags.action == "add") {
    password = flags.password ? flags.password : read_password();
    if (!password || password->empty()) {
      std::cerr << me << "no password given (--password, or one line on stdin)\n";
      return 2;
    }
  }

  // The registrations store creates (or checks) the file's schema first: the subscribers
  // table then joins a file the server recognizes as its own.
  {
    store::SqliteStore registrations;
    if (store::StoreStatus st = registrations.open(db_path); !st.ok()) {
      std::cerr << me << st.message << "\n";
      return 1;
    }
  }
  auth::SqliteCredentials users;
  if (std::string why = users.open(db_path); !why.empty()) {
    std::cerr << me << why << "\n";
    return 1;
  }

  if (flags.action == "add") {
    if (std::string why = users.add(flags.username, realm, *password); !why.empty()) {
      std::cerr << me << why << "\n";
      return 1;
    }
    std::cout << "user " << flags.username << " in realm \"" << realm << "\" saved in " << db_path << "\n";
    return 0;
  }
  std::string error;
  if (flags.action == "remove") {
    const int removed = users.remove(flags.username, realm, error);
    if (removed < 0) {
      std::cerr << me << error << "\n";
      return 1;
    }
    if (removed == 0) {
      std::cerr << me << "no user '" << flags.username << "' in realm \"" << realm << "\"\n";
      return 1;
    }
    std::cout << "user " << flags.username << " in realm \"" << realm << "\" removed\n";
    return 0;
  }
  const std::vector<auth::SubscriberRow> rows = users.list(error);
  if (!error.empty()) {
    std::cerr << me << error << "\n";
    return 1;
  }
  for (const auth::SubscriberRow& r : rows) std::cout << r.username << "\t" << r.realm << "\n";
  return 0;
}

}  // namespace trapezoid::apps
