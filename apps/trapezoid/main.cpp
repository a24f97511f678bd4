// trapezoid: the one binary of the project; each subcommand lives in its own file.
#include <CLI/CLI.hpp>
#include <iostream>
#include <map>

#include "lint_command.hpp"
#include "serve_command.hpp"

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

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;  // usage errors exit 2, as documented
  }
  if (lint_cmd->parsed()) return trapezoid::apps::run_lint(lint);
  if (serve_cmd->parsed()) return trapezoid::apps::run_serve(serve);
  return 0;
}
