// parser_bench: per-message cost of "parse + validate" for Trapezoid, sofia-sip and osip2.
//
//   parser_bench                      # the three built-in RFC 3261 messages
//   parser_bench --message=FILE       # one message read from FILE instead (may be repeated)
//   parser_bench --benchmark_filter=invite --benchmark_repetitions=10
//
// Every benchmark runs 5 repetitions by default (reported as mean/median/stddev/cv); a table
// of medians and of the ratios sofia/trapezoid and osip/trapezoid follows at the end.
// See bench/README.md.

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <exception>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "alloc_counter.hpp"
#include "messages.hpp"
#include "reference_parsers.hpp"
#include "sip/parser.hpp"
#include "sip/validate.hpp"

namespace {

namespace sip = trapezoid::sip;

constexpr std::string_view kTrapezoid = "trapezoid";
constexpr std::string_view kSofia = "sofia";
constexpr std::string_view kOsip = "osip";

// ---------------------------------------------------------------------------------------------
// Trapezoid: parse, then the checks a UAS (a registrar, for REGISTER) applies before acting.

const sip::ValidationPolicy& policy_for(const sip::Message& msg) {
  static const sip::ValidationPolicy uas{};
  static const sip::ValidationPolicy registrar = [] {
    sip::ValidationPolicy p;
    p.role = sip::Role::kRegistrar;
    return p;
  }();
  return msg.method() == sip::Method::kRegister ? registrar : uas;
}

bool trapezoid_parse(std::string_view bytes, sip::Message& msg, std::string* why) {
  msg.clear();
  const sip::ParseResult r = sip::parse_datagram(bytes, msg);
  if (!r.ok()) {
    if (why != nullptr) {
      *why = r.incomplete() ? std::string("parse_datagram: incomplete")
                            : "parse_datagram: " + std::to_string(r.error.status) + " " +
                                  std::string(r.error.reason) + " at offset " +
                                  std::to_string(r.error.offset);
    }
    return false;
  }
  const sip::Verdict v =
      msg.is_request() ? sip::validate_request(msg, policy_for(msg)) : sip::validate_response(msg);
  if (!v.ok()) {
    if (why != nullptr) {
      *why = "validate: " + std::to_string(v.status) + " " + std::string(v.reason);
      if (!v.detail.empty()) *why += " (" + std::string(v.detail) + ")";
    }
    return false;
  }
  return true;
}

void bm_trapezoid(benchmark::State& state, std::string_view bytes) {
  sip::Message msg;  // reused, as a transport's receive loop would
  for (auto _ : state) {
    if (!trapezoid_parse(bytes, msg, nullptr)) {
      state.SkipWithError("Trapezoid rejected the message");
      break;
    }
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes.size()));

  // Steady-state allocations, counted outside the timed loop (the Message above is warm).
  constexpr int kProbes = 100;
  const std::uint64_t before = bench::allocation_count();
  for (int i = 0; i < kProbes; ++i) {
    if (!trapezoid_parse(bytes, msg, nullptr)) break;
  }
  const std::uint64_t allocs = bench::allocation_count() - before;
  state.counters["allocs/msg"] = static_cast<double>(allocs) / kProbes;
}

// ---------------------------------------------------------------------------------------------
// sofia-sip and osip2 validate while they parse: their parse is the whole job.

void bm_sofia(benchmark::State& state, std::string_view bytes) {
  for (auto _ : state) {
    if (!bench::sofia_parse(bytes)) {
      state.SkipWithError("sofia-sip rejected the message");
      break;
    }
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes.size()));
}

void bm_osip(benchmark::State& state, std::string_view bytes) {
  for (auto _ : state) {
    if (!bench::osip_parse(bytes)) {
      state.SkipWithError("osip2 rejected the message");
      break;
    }
  }
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes.size()));
}

// ---------------------------------------------------------------------------------------------
// Reporting: the chosen output format as usual, plus the median of every benchmark, kept for
// the ratio table.

class MedianCollector : public benchmark::BenchmarkReporter {
 public:
  explicit MedianCollector(std::unique_ptr<benchmark::BenchmarkReporter> inner)
      : inner_(std::move(inner)) {}

  bool ReportContext(const Context& context) override { return inner_->ReportContext(context); }

  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.error_occurred) continue;
      const bool median = run.run_type == Run::RT_Aggregate && run.aggregate_name == "median";
      // With --benchmark_repetitions=1 there are no aggregates: the single run is the median.
      const bool single = run.run_type == Run::RT_Iteration && run.repetitions <= 1;
      if (!median && !single) continue;
      // CPU time: the parse is single-threaded, and CPU time does not count the time the
      // process spent preempted on a busy machine.
      const double ns =
          run.GetAdjustedCPUTime() / benchmark::GetTimeUnitMultiplier(run.time_unit) * 1e9;
      medians_[run.run_name.function_name] = ns;
    }
    inner_->ReportRuns(runs);
  }

  void Finalize() override { inner_->Finalize(); }

  // Median CPU time in ns of "message/parser", or a negative value when it did not run.
  [[nodiscard]] double median_ns(std::string_view message, std::string_view parser) const {
    const auto it = medians_.find(std::string(message) + "/" + std::string(parser));
    return it == medians_.end() ? -1.0 : it->second;
  }

 private:
  std::unique_ptr<benchmark::BenchmarkReporter> inner_;
  std::map<std::string, double> medians_;
};

// The reporter --benchmark_format asks for; our reporter replaces the library's default one,
// so it has to honour the flag itself (console or json; the library deprecates csv).
std::unique_ptr<benchmark::BenchmarkReporter> make_display_reporter(std::string_view format) {
  if (format == "json") return std::make_unique<benchmark::JSONReporter>();
  return std::make_unique<benchmark::ConsoleReporter>(
      isatty(STDOUT_FILENO) != 0 ? benchmark::ConsoleReporter::OO_Color
                                 : benchmark::ConsoleReporter::OO_None);
}

void print_ratio_table(std::FILE* out, const MedianCollector& medians,
                       const std::vector<bench::BenchMessage>& messages) {
  auto cell = [](double ns) {
    char buf[32];
    if (ns < 0) return std::string("-");
    std::snprintf(buf, sizeof buf, "%.1f", ns);
    return std::string(buf);
  };
  auto ratio = [](double other, double ours) {
    char buf[32];
    if (other < 0 || ours <= 0) return std::string("-");
    std::snprintf(buf, sizeof buf, "%.2f", other / ours);
    return std::string(buf);
  };

  std::fprintf(out, "\nMedian CPU time per message (ns); ratio > 1 means Trapezoid is faster.\n");
  std::fprintf(out, "%-16s %12s %10s %10s %16s %15s\n", "message", "trapezoid_ns", "sofia_ns",
               "osip_ns", "sofia/trapezoid", "osip/trapezoid");
  for (const bench::BenchMessage& m : messages) {
    const double t = medians.median_ns(m.name, kTrapezoid);
    const double s = medians.median_ns(m.name, kSofia);
    const double o = medians.median_ns(m.name, kOsip);
    if (t < 0 && s < 0 && o < 0) continue;  // filtered out or rejected by every parser
    std::fprintf(out, "%-16s %12s %10s %10s %16s %15s\n", m.name.c_str(), cell(t).c_str(),
                 cell(s).c_str(), cell(o).c_str(), ratio(s, t).c_str(), ratio(o, t).c_str());
  }
}

// ---------------------------------------------------------------------------------------------

struct Options {
  std::vector<std::string> message_files;
  std::string format = "console";
  std::vector<char*> benchmark_args;  // what is left for benchmark::Initialize
};

// Takes --message out of argv before the benchmark library sees it (it would reject the
// unknown flag) and puts our defaults in front of the user's flags, which win if repeated.
Options parse_args(int argc, char** argv) {
  static char repetitions[] = "--benchmark_repetitions=5";
  static char aggregates_only[] = "--benchmark_report_aggregates_only=true";

  Options opts;
  opts.benchmark_args = {argv[0], repetitions, aggregates_only};
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.starts_with("--message=")) {
      opts.message_files.emplace_back(arg.substr(std::string_view("--message=").size()));
    } else if (arg == "--message" && i + 1 < argc) {
      opts.message_files.emplace_back(argv[++i]);
    } else {
      if (arg.starts_with("--benchmark_format=")) {
        opts.format = arg.substr(std::string_view("--benchmark_format=").size());
      }
      opts.benchmark_args.push_back(argv[i]);
    }
  }
  return opts;
}

using ParseOnce = bool (*)(std::string_view, std::string*);

bool trapezoid_parse_once(std::string_view bytes, std::string* why) {
  sip::Message msg;
  return trapezoid_parse(bytes, msg, why);
}

}  // namespace

int main(int argc, char** argv) {
  Options opts = parse_args(argc, argv);
  int bench_argc = static_cast<int>(opts.benchmark_args.size());
  opts.benchmark_args.push_back(nullptr);
  benchmark::Initialize(&bench_argc, opts.benchmark_args.data());
  if (benchmark::ReportUnrecognizedArguments(bench_argc, opts.benchmark_args.data())) return 1;

  std::vector<bench::BenchMessage> messages;
  try {
    if (opts.message_files.empty()) {
      messages = bench::builtin_messages();
    } else {
      for (const std::string& path : opts.message_files) {
        messages.push_back(bench::message_from_file(path));
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "parser_bench: %s\n", e.what());
    return 1;
  }

  bench::osip_init();

  // Timing a parse that fails measures an error path, not parsing: check every parser on
  // every message first. A built-in message that fails means the benchmark itself is broken;
  // a given file may legitimately be refused by some parser, which is then left out.
  const bool builtin = opts.message_files.empty();
  const std::pair<std::string_view, ParseOnce> checks[] = {
      {kTrapezoid, trapezoid_parse_once},
      {kSofia, bench::sofia_parse},
      {kOsip, bench::osip_parse},
  };
  for (const bench::BenchMessage& m : messages) {
    const std::string_view bytes = m.bytes;
    for (const auto& [parser, parse_once] : checks) {
      std::string why;
      if (!parse_once(bytes, &why)) {
        std::fprintf(stderr, "parser_bench: %.*s rejects message '%s': %s\n",
                     static_cast<int>(parser.size()), parser.data(), m.name.c_str(), why.c_str());
        if (builtin) return 1;
        continue;
      }
      const std::string name = m.name + "/" + std::string(parser);
      benchmark::internal::Benchmark* b = nullptr;
      if (parser == kTrapezoid) {
        b = benchmark::RegisterBenchmark(name.c_str(), bm_trapezoid, bytes);
      } else if (parser == kSofia) {
        b = benchmark::RegisterBenchmark(name.c_str(), bm_sofia, bytes);
      } else {
        b = benchmark::RegisterBenchmark(name.c_str(), bm_osip, bytes);
      }
      b->Unit(benchmark::kNanosecond);
    }
  }

  MedianCollector reporter(make_display_reporter(opts.format));
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  // Machine-readable output owns stdout; the table goes to stderr then.
  print_ratio_table(opts.format == "console" ? stdout : stderr, reporter, messages);
  return 0;
}
