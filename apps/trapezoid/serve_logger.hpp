// The server's log: one line per event on stderr, with time, level and the worker it came from.
// Every layer writes through transport::Logger; this is the one implementation the server uses.
//
//   ServeLogger log("info");
//   log.log(transport::LogLevel::kInfo, "w0 INVITE sip:bob@biloxi.example.com -> 200");
//   log.set_level("debug");   // SIGHUP reload
#pragma once

#include <atomic>
#include <memory>
#include <string_view>

#include "transport/handler.hpp"

namespace spdlog {
class logger;
}

namespace trapezoid::apps {

class ServeLogger final : public transport::Logger {
 public:
  explicit ServeLogger(std::string_view level);
  ~ServeLogger() override;

  void log(transport::LogLevel level, std::string_view line) override;
  // A line printed whatever the level: start-up, shutdown, reload (what an operator must see).
  void notice(std::string_view line);
  // "debug", "info", "warning" or "error"; anything else leaves the level as it is.
  void set_level(std::string_view level);
  [[nodiscard]] bool enabled(transport::LogLevel level) const noexcept override {
    return static_cast<int>(level) >= threshold_.load(std::memory_order_relaxed);
  }
  void flush();

 private:
  std::shared_ptr<spdlog::logger> logger_;
  std::atomic<int> threshold_;
};

}  // namespace trapezoid::apps
