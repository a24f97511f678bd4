// trapezoid: the one binary of the project; each subcommand lives in its own file.
#include <CLI/CLI.hpp>
#include <iostream>
#include <map>

#include "lint_command.hpp"
#include "serve_command.hpp"
#include "user_command.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Trapezoid: a SIP (RFC 3261) stack, server and user agent"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "trapezoid 0.1.0");

  trapezoid::apps::LintOptions lint;
  CLI::App* lint_cmd = app.add_subcommand(
      "lint", "Check captured SIP messages (one per file, each taken as one datagram). Prints\n"
              "'FILE: ok ...' or 'FILE: NNN Reason' (the response a server would send); for an\n"
              "invalid response 'FILE: invalid <why>'. Exit 0 all ok, 1 not ok, 2 unreadable file.");
  lint_cmd->add_option("files", lint.files, "Message files")->required();
  lint_cmd->add_flag("--json", lint.json, "Print the parsed structure as JSON");
  const std::map<std::string, trapezoid::sip::Role> roles = {
      {"uas", trapezoid::sip::Role::kUas},
      {"proxy", trapezoid::sip::Role::kProxy},
      {"registrar", trapezoid::sip::Role::kRegistrar}};
  lint_cmd->add_option("--role", lint.role, "Judge as this element: uas (default), proxy, registrar")
      ->transform(CLI::CheckedTransformer(roles, CLI::ignore_case));

  trapezoid::apps::ServeFlags serve;
  CLI::App* serve_cmd = app.add_subcommand(
      "serve", "Run the SIP server: registrar with location service and stateful forking proxy\n"
               "(or redirect server). With no options it listens on UDP and TCP 127.0.0.1:5060\n"
               "and keeps registrations in ./trapezoid-data. SIGTERM drains and exits; SIGHUP\n"
               "reloads --config.");
  serve_cmd->add_option("--config", serve.config_path, "TOML configuration file");
  serve_cmd->add_option("--listen", serve.listen,
                        "Listen address, repeatable: udp:IP:PORT, tcp:IP:PORT, tls:IP:PORT "
                        "(IPv6 in brackets: udp:[::1]:5060)");
  serve_cmd->add_option("--data-dir", serve.data_dir, "Where registrations are kept (default ./trapezoid-data)");
  serve_cmd->add_option("--domain", serve.domains,
                        "A domain this server is responsible for, repeatable (default: every domain)");
  serve_cmd->add_option("--mode", serve.mode, "proxy (default) or redirect")
      ->check(CLI::IsMember({"proxy", "redirect"}));
  serve_cmd->add_option("--workers", serve.workers, "Worker threads (default: one per core)")
      ->check(CLI::Range(1u, 1024u));
  serve_cmd->add_option("--log-level", serve.log_level, "debug, info (default), warning or error")
      ->check(CLI::IsMember({"debug", "info", "warning", "error"}));

  trapezoid::apps::UserFlags user;
  CLI::App* user_cmd = app.add_subcommand(
      "user", "Manage the subscribers of digest authentication ([auth] in the serve configuration),\n"
              "kept in DATA_DIR/registrations.db as hashes, never as passwords.\n"
              "Exit 0 done, 1 failed (unknown user, unusable database), 2 usage.");
  user_cmd->require_subcommand(1);
  auto common = [&user](CLI::App* cmd) {
    cmd->add_option("--data-dir", user.data_dir, "The server's data directory (default ./trapezoid-data)");
    cmd->add_option("--config", user.config_path, "The serve configuration: its realm and data_dir apply");
  };
  CLI::App* user_add = user_cmd->add_subcommand(
      "add", "Add a user or change its password (read from stdin, one line, unless --password)");
  user_add->add_option("username", user.username, "User name (the user part of its address)")->required();
  user_add->add_option("--realm", user.realm,
                       "Realm (default: [auth] realm, else the first domain, else the first listen address)");
  user_add->add_option("--password", user.password, "Password (visible to other local users; prefer stdin)");
  common(user_add);
  CLI::App* user_remove = user_cmd->add_subcommand("remove", "Remove a user");
  user_remove->add_option("username", user.username, "User name")->required();
  user_remove->add_option("--realm", user.realm, "Realm (default as for add)");
  common(user_remove);
  CLI::App* user_list = user_cmd->add_subcommand("list", "List the users: USER<TAB>REALM per line");
  common(user_list);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;  // usage errors exit 2, as documented
  }
  if (lint_cmd->parsed()) return trapezoid::apps::run_lint(lint);
  if (serve_cmd->parsed()) return trapezoid::apps::run_serve(serve);
  if (user_cmd->parsed()) {
    user.action = user_add->parsed() ? "add" : user_remove->parsed() ? "remove" : "list";
    return trapezoid::apps::run_user(user);
  }
  return 0;
}
