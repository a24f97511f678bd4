#include "serve_logger.hpp"

#include <optional>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace trapezoid::apps {
namespace {

std::optional<transport::LogLevel> level_from(std::string_view text) {
  if (text == "debug") return transport::LogLevel::kDebug;
  if (text == "info") return transport::LogLevel::kInfo;
  if (text == "warning") return transport::LogLevel::kWarning;
  if (text == "error") return transport::LogLevel::kError;
  return std::nullopt;
}

spdlog::level::level_enum to_spdlog(transport::LogLevel level) {
  switch (level) {
    case transport::LogLevel::kDebug: return spdlog::level::debug;
    case transport::LogLevel::kInfo: return spdlog::level::info;
    case transport::LogLevel::kWarning: return spdlog::level::warn;
    case transport::LogLevel::kError: return spdlog::level::err;
  }
  return spdlog::level::info;
}

}  // namespace

ServeLogger::ServeLogger(std::string_view level)
    : logger_(std::make_shared<spdlog::logger>("trapezoid", std::make_shared<spdlog::sinks::stderr_sink_mt>())),
      threshold_(static_cast<int>(level_from(level).value_or(transport::LogLevel::kInfo))) {
  logger_->set_pattern("%Y-%m-%dT%H:%M:%S.%e %l %v");
  logger_->set_level(spdlog::level::trace);  // the threshold above decides
  logger_->flush_on(spdlog::level::trace);   // lines reach a pipe at once (operators tail it)
}

ServeLogger::~ServeLogger() { flush(); }

void ServeLogger::log(transport::LogLevel level, std::string_view line) {
  if (!enabled(level)) return;
  logger_->log(to_spdlog(level), "{}", line);
}

void ServeLogger::notice(std::string_view line) { logger_->log(spdlog::level::info, "{}", line); }

void ServeLogger::set_level(std::string_view level) {
  if (auto l = level_from(level)) threshold_.store(static_cast<int>(*l), std::memory_order_relaxed);
}

void ServeLogger::flush() { logger_->flush(); }

}  // namespace trapezoid::apps
