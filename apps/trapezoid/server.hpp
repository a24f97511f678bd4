// The whole `trapezoid serve` process: the store and the location service shared by every
// worker, the registrar, the workers and their threads, and the main thread's duties (signals,
// binding expiry, reload, drain).
//
//   Server server(cfg, reload_fn, logger);
//   return server.run();      // blocks until SIGTERM/SIGINT; exit status
#pragma once

#include <functional>
#include <memory>
#include <optional>

#include "serve_config.hpp"
#include "serve_logger.hpp"

namespace trapezoid::apps {

class Server {
 public:
  // Reads the settings again for SIGHUP (file and flags); an error keeps the running ones.
  using Reload = std::function<std::optional<ConfigError>(ServeConfig&)>;

  Server(ServeConfig config, Reload reload, ServeLogger& logger);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // 0 after a clean shutdown; 1 when the server cannot start (ports, data directory).
  int run();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace trapezoid::apps
