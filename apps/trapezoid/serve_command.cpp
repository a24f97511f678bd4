#include "serve_command.hpp"

#include <iostream>

#include "serve_config.hpp"
#include "serve_logger.hpp"
#include "server.hpp"

namespace trapezoid::apps {
namespace {

// Defaults, then the file, then the flags, then the cross-field checks.
std::optional<ConfigError> build_config(const ServeFlags& flags, ServeConfig& cfg) {
  if (!flags.config_path.empty()) {
    if (auto err = load_config_file(flags.config_path, cfg)) return err;
  }
  if (!flags.listen.empty()) {
    cfg.listen.clear();
    for (const std::string& text : flags.listen) {
      ListenSpec spec;
      if (auto err = parse_listen(text, spec)) {
        err->reason = "--listen: " + err->reason;
        return err;
      }
      cfg.listen.push_back(spec);
    }
  }
  if (flags.data_dir) cfg.data_dir = *flags.data_dir;
  if (!flags.domains.empty()) cfg.domains = flags.domains;
  if (flags.mode) cfg.mode = parse_mode(*flags.mode).value_or(cfg.mode);
  if (flags.workers) cfg.workers = *flags.workers;
  if (flags.log_level) cfg.log_level = *flags.log_level;
  if (auto err = check_config(cfg)) {
    if (err->file.empty() && !flags.config_path.empty()) err->file = flags.config_path;
    return err;
  }
  return std::nullopt;
}

}  // namespace

int run_serve(const ServeFlags& flags) {
  ServeConfig cfg;
  if (std::optional<ConfigError> err = build_config(flags, cfg)) {
    std::cerr << "trapezoid serve: bad configuration: " << err->text() << "\n";
    return 2;
  }
  ServeLogger logger(cfg.log_level);
  Server server(cfg, [flags](ServeConfig& fresh) { return build_config(flags, fresh); }, logger);
  return server.run();
}

}  // namespace trapezoid::apps
