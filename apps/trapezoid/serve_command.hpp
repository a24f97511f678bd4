// `trapezoid serve`: the registrar/proxy/redirect server. Flags override the --config file,
// which overrides the defaults (serve_config.hpp).
//
//   ServeFlags f;  f.listen = {"udp:127.0.0.1:5060"};  f.data_dir = "/tmp/t";
//   return run_serve(f);   // until SIGTERM/SIGINT; SIGHUP reloads --config
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace trapezoid::apps {

struct ServeFlags {
  std::string config_path;           // --config
  std::vector<std::string> listen;   // --listen udp:IP:PORT (repeatable)
  std::optional<std::string> data_dir;
  std::vector<std::string> domains;  // --domain (repeatable)
  std::optional<std::string> mode;   // --mode proxy|redirect
  std::optional<unsigned> workers;   // --workers N
  std::optional<std::string> log_level;
};

// Exit status: 0 after a clean shutdown, 2 for a bad configuration, 1 when it cannot start
// (a port in use, the data directory not writable).
int run_serve(const ServeFlags& flags);

}  // namespace trapezoid::apps
