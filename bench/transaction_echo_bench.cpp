// transaction_echo_bench: what the transport and transaction layers cost per non-INVITE
// transaction, against a minimal recvfrom/sendto echo as the floor. See bench/README.md.
//
// A client (this thread) sends distinct OPTIONS over one UDP socket on loopback, keeping a
// bounded number outstanding, and reads the 200s. The server is either
//   - trapezoid: a SipWorker (127.0.0.1, UDP, ephemeral port) on its own thread whose TU
//     answers every OPTIONS with 200 through the transaction layer, or
//   - echo: a thread doing recvfrom() + sendto() of a fixed 200 OK for every datagram.
// The server thread's CPU time (CLOCK_THREAD_CPUTIME_ID) is read before and after each run.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <future>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include "sip/response.hpp"
#include "transaction/message_fields.hpp"
#include "transaction/sip_worker.hpp"
#include "transport/handler.hpp"

namespace {

using namespace trapezoid;
using Clock = std::chrono::steady_clock;

struct Options {
  std::uint64_t count = 200'000;  // requests per run
  unsigned window = 64;           // outstanding requests at most
  double seconds = 30.0;          // time bound per run
  int runs = 3;                   // runs of each server, alternating
};

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "transaction_echo_bench: %s\n", what.c_str());
  std::exit(1);
}

std::uint64_t thread_cpu_ns(clockid_t clock) {
  timespec ts{};
  if (clock_gettime(clock, &ts) != 0) die(std::string("clock_gettime: ") + std::strerror(errno));
  return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<std::uint64_t>(ts.tv_nsec);
}

// Minor page faults of the calling thread so far.
std::uint64_t thread_minor_faults() {
  rusage ru{};
  if (getrusage(RUSAGE_THREAD, &ru) != 0) return 0;
  return static_cast<std::uint64_t>(ru.ru_minflt);
}

struct CpuSample {
  std::uint64_t cpu_ns = 0;
  std::uint64_t minor_faults = 0;
};

// ---- the Trapezoid server -------------------------------------------------------------------

class EchoCore final : public transaction::TransactionUser, public transport::Logger {
 public:
  EchoCore() : worker_(config(), *this, *this) {
    if (const std::error_code ec = worker_.start()) die("SipWorker::start: " + ec.message());
    for (const transport::Endpoint& e : worker_.local_endpoints())
      if (e.transport == transport::TransportKind::kUdp) port_ = e.port;
    if (port_ == 0) die("SipWorker has no UDP endpoint");
    thread_ = std::thread([this] { worker_.run(); });
  }
  ~EchoCore() override {
    worker_.stop();
    thread_.join();
  }
  EchoCore(const EchoCore&) = delete;
  EchoCore& operator=(const EchoCore&) = delete;

  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }

  // CPU time and page faults of the worker's thread, read on that thread.
  CpuSample sample() {
    std::promise<CpuSample> p;
    std::future<CpuSample> f = p.get_future();
    worker_.post([&p] { p.set_value({thread_cpu_ns(CLOCK_THREAD_CPUTIME_ID), thread_minor_faults()}); });
    return f.get();
  }

  // transaction::TransactionUser, on the worker's thread
  void on_request(transaction::TransactionId tx, const sip::Message& req) override {
    if (req.method() == sip::Method::kAck) return;
    const int status = req.method() == sip::Method::kOptions ? 200 : 501;
    char tag[24] = {'b'};
    const auto [end, ec] = std::to_chars(tag + 1, tag + sizeof tag, tx);
    (void)ec;
    const std::string_view to_tag(tag, static_cast<std::size_t>(end - tag));
    const sip::BuildResult r = sip::make_response(req, status, {}, to_tag);
    // The TU knows the status and the To tag it sent (the request's own, when it had one), so
    // the layer need not parse the response again: what a server's TU does.
    const std::string_view request_tag = transaction::to_tag(req);
    const std::string_view sent_tag = request_tag.empty() ? to_tag : request_tag;
    if (r.ok()) worker_.respond(tx, transaction::OutgoingResponse{r.bytes, status, sent_tag});
  }
  void on_response(transaction::TransactionId, const sip::Message&) override {}
  void on_stray_ack(const sip::Message&, const transaction::Peer&) override {}
  void on_stray_response(const sip::Message&, const transaction::Peer&) override {}
  void on_timeout(transaction::TransactionId) override {}
  void on_transport_error(transaction::TransactionId) override {}

  // transport::Logger
  void log(transport::LogLevel, std::string_view) override {}

 private:
  static transport::WorkerConfig config() {
    transport::WorkerConfig c;
    c.addresses = {"127.0.0.1"};
    c.port = 0;
    c.udp = true;
    c.tcp = false;
    c.reuse_port = false;
    return c;
  }

  transaction::SipWorker worker_;
  std::thread thread_;
  std::uint16_t port_ = 0;
};

// ---- the floor: recvfrom + sendto of a fixed reply ------------------------------------------

constexpr std::string_view kFixedOk =
    "SIP/2.0 200 OK\r\n"
    "Via: SIP/2.0/UDP 127.0.0.1:40000;branch=z9hG4bK-0-0000000;received=127.0.0.1\r\n"
    "From: <sip:client@127.0.0.1>;tag=cl1\r\n"
    "To: <sip:bench@127.0.0.1>;tag=b1\r\n"
    "Call-ID: 0-0000000@bench\r\n"
    "CSeq: 1 OPTIONS\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

class CEcho {
 public:
  CEcho() {
    fd_ = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd_ < 0) die(std::string("socket: ") + std::strerror(errno));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
      die(std::string("bind: ") + std::strerror(errno));
    socklen_t len = sizeof a;
    if (getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0)
      die(std::string("getsockname: ") + std::strerror(errno));
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { loop(); });
    if (pthread_getcpuclockid(thread_.native_handle(), &clock_) != 0) die("pthread_getcpuclockid failed");
  }
  ~CEcho() {
    stop_.store(true);
    // Wake the blocked recvfrom() with one datagram it will not answer.
    const int s = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port_);
    (void)sendto(s, "x", 1, 0, reinterpret_cast<sockaddr*>(&a), sizeof a);
    close(s);
    thread_.join();
    close(fd_);
  }
  CEcho(const CEcho&) = delete;
  CEcho& operator=(const CEcho&) = delete;

  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  // CPU time of the echo thread (its CLOCK_THREAD_CPUTIME_ID, read from here) and its page
  // faults (read by the thread itself when a 1-byte probe datagram arrives).
  CpuSample sample() {
    const int s = socket(AF_INET, SOCK_DGRAM, 0);
    if (s < 0) die(std::string("socket: ") + std::strerror(errno));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port_);
    if (sendto(s, "p", 1, 0, reinterpret_cast<sockaddr*>(&a), sizeof a) != 1)
      die(std::string("sendto: ") + std::strerror(errno));
    pollfd p{s, POLLIN, 0};
    char c = 0;
    if (poll(&p, 1, 2000) != 1 || recv(s, &c, 1, 0) != 1) die("echo thread did not answer the probe");
    close(s);
    return {thread_cpu_ns(clock_), faults_.load()};
  }

 private:
  void loop() {
    char buf[65536];
    for (;;) {
      sockaddr_storage from{};
      socklen_t len = sizeof from;
      const ssize_t n = recvfrom(fd_, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len);
      if (stop_.load(std::memory_order_relaxed)) return;
      if (n < 0) continue;
      if (n == 1) {  // a sample request from the client: publish the fault count
        faults_.store(thread_minor_faults());
        (void)sendto(fd_, "s", 1, 0, reinterpret_cast<sockaddr*>(&from), len);
        continue;
      }
      (void)sendto(fd_, kFixedOk.data(), kFixedOk.size(), 0, reinterpret_cast<sockaddr*>(&from), len);
    }
  }

  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::thread thread_;
  clockid_t clock_{};
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> faults_{0};
};

// ---- the client -----------------------------------------------------------------------------

struct RunResult {
  std::uint64_t sent = 0;
  std::uint64_t completed = 0;  // 200 responses read
  std::uint64_t lost = 0;       // given up on after a quiet second
  double wall_s = 0;
  double server_cpu_us = 0;
  std::uint64_t server_minor_faults = 0;
};

class Client {
 public:
  explicit Client(std::uint16_t server_port) {
    fd_ = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd_ < 0) die(std::string("socket: ") + std::strerror(errno));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
      die(std::string("bind: ") + std::strerror(errno));
    socklen_t len = sizeof a;
    if (getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len) != 0)
      die(std::string("getsockname: ") + std::strerror(errno));
    local_port_ = ntohs(a.sin_port);
    a.sin_port = htons(server_port);
    if (connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
      die(std::string("connect: ") + std::strerror(errno));
    server_port_ = server_port;
  }
  ~Client() { close(fd_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Sends up to `count` distinct OPTIONS (`run` makes branches and Call-IDs unique across
  // runs), at most `window` outstanding, until `deadline`; reads the responses.
  RunResult run(int run_no, const Options& opt, Clock::time_point deadline) {
    RunResult r;
    std::uint64_t outstanding = 0;
    char buf[65536];
    const auto start = Clock::now();
    auto last_progress = start;
    while (r.completed + r.lost < opt.count) {
      const auto now = Clock::now();
      const bool may_send = now < deadline;
      while (may_send && r.sent < opt.count && outstanding < opt.window) {
        const std::string& req = request(run_no, r.sent);
        if (send(fd_, req.data(), req.size(), 0) < 0) {
          if (errno == EAGAIN || errno == ENOBUFS) break;
          die(std::string("send: ") + std::strerror(errno));
        }
        ++r.sent;
        ++outstanding;
      }
      if (outstanding == 0) break;  // past the deadline with nothing in flight
      pollfd p{fd_, POLLIN, 0};
      const int ready = poll(&p, 1, 100);
      if (ready < 0 && errno != EINTR) die(std::string("poll: ") + std::strerror(errno));
      if (ready <= 0) {
        if (Clock::now() - last_progress > std::chrono::seconds(1)) {
          r.lost += outstanding;  // lost on the way: do not wait for them any more
          outstanding = 0;
          last_progress = Clock::now();
          if (Clock::now() >= deadline) break;
        }
        continue;
      }
      // Read everything that is there.
      for (;;) {
        const ssize_t n = recv(fd_, buf, sizeof buf, MSG_DONTWAIT);
        if (n < 0) {
          if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) break;
          if (errno == ECONNREFUSED) die("server port refused the request");
          die(std::string("recv: ") + std::strerror(errno));
        }
        const std::string_view resp(buf, static_cast<std::size_t>(n));
        if (!resp.starts_with("SIP/2.0 200 ")) die("unexpected reply: " + std::string(resp.substr(0, 40)));
        if (outstanding > 0) {
          --outstanding;
          ++r.completed;
        }
        last_progress = Clock::now();
      }
    }
    r.wall_s = std::chrono::duration<double>(Clock::now() - start).count();
    return r;
  }

 private:
  const std::string& request(int run_no, std::uint64_t i) {
    // Branch and Call-ID: "<run>-<i>", i zero-padded so every request has the same size.
    char id[40];
    std::snprintf(id, sizeof id, "%d-%09llu", run_no, static_cast<unsigned long long>(i));
    req_.clear();
    req_ += "OPTIONS sip:bench@127.0.0.1:";
    req_ += std::to_string(server_port_);
    req_ += " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:";
    req_ += std::to_string(local_port_);
    req_ += ";branch=z9hG4bK-";
    req_ += id;
    req_ +=
        "\r\nMax-Forwards: 70\r\n"
        "From: <sip:client@127.0.0.1>;tag=cl1\r\n"
        "To: <sip:bench@127.0.0.1>\r\n"
        "Call-ID: ";
    req_ += id;
    req_ +=
        "@bench\r\n"
        "CSeq: 1 OPTIONS\r\n"
        "Accept: application/sdp\r\n"
        "Content-Length: 0\r\n"
        "\r\n";
    return req_;
  }

  int fd_ = -1;
  std::uint16_t local_port_ = 0;
  std::uint16_t server_port_ = 0;
  std::string req_;
};

template <typename Server>
RunResult measure(Server& server, int run_no, const Options& opt) {
  Client client(server.port());
  const auto deadline =
      Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(opt.seconds));
  const CpuSample before = server.sample();
  RunResult r = client.run(run_no, opt, deadline);
  const CpuSample after = server.sample();
  r.server_cpu_us = static_cast<double>(after.cpu_ns - before.cpu_ns) / 1000.0;
  r.server_minor_faults = after.minor_faults - before.minor_faults;
  return r;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

struct Series {
  std::vector<double> cpu_per_tx_us;
  std::vector<double> msgs_per_s;
  std::vector<double> tx_per_s;
  std::uint64_t completed = 0;
  std::uint64_t lost = 0;
};

void report(const char* name, int run_no, const RunResult& r, Series& s) {
  const double done = static_cast<double>(r.completed);
  const double cpu_per_tx = r.completed ? r.server_cpu_us / done : 0.0;
  const double tx_per_s = r.wall_s > 0 ? done / r.wall_s : 0.0;
  std::printf("%-9s run %d: %8llu completed, %llu lost, %6.2f s, %9.0f tx/s, %9.0f msg/s, "
              "server CPU %8.0f ms = %6.2f us/tx, %.2f page faults/tx\n",
              name, run_no, static_cast<unsigned long long>(r.completed),
              static_cast<unsigned long long>(r.lost), r.wall_s, tx_per_s, 2 * tx_per_s,
              r.server_cpu_us / 1000.0, cpu_per_tx,
              r.completed ? static_cast<double>(r.server_minor_faults) / done : 0.0);
  std::fflush(stdout);
  s.cpu_per_tx_us.push_back(cpu_per_tx);
  s.tx_per_s.push_back(tx_per_s);
  s.msgs_per_s.push_back(2 * tx_per_s);
  s.completed += r.completed;
  s.lost += r.lost;
}

bool parse_flag(std::string_view arg, std::string_view name, std::string_view& value) {
  if (!arg.starts_with(name) || arg.size() <= name.size() || arg[name.size()] != '=') return false;
  value = arg.substr(name.size() + 1);
  return true;
}

template <typename T>
T parse_number(std::string_view flag, std::string_view v, T lo, T hi) {
  T out{};
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc{} || end != v.data() + v.size() || out < lo || out > hi)
    die("bad value for " + std::string(flag) + ": " + std::string(v));
  return out;
}

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    std::string_view v;
    if (parse_flag(a, "--count", v)) {
      o.count = parse_number<std::uint64_t>("--count", v, 1, 10'000'000);
    } else if (parse_flag(a, "--window", v)) {
      o.window = parse_number<unsigned>("--window", v, 1, 4096);
    } else if (parse_flag(a, "--seconds", v)) {
      o.seconds = parse_number<double>("--seconds", v, 0.1, 600.0);
    } else if (parse_flag(a, "--runs", v)) {
      o.runs = parse_number<int>("--runs", v, 1, 21);
    } else if (a == "--help" || a == "-h") {
      std::printf("usage: %s [--count=N] [--window=N] [--seconds=S] [--runs=N]\n", argv[0]);
      std::exit(0);
    } else {
      die("unknown argument: " + std::string(a) + " (try --help)");
    }
  }
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  const Options opt = parse_options(argc, argv);
  std::printf("transaction_echo_bench: %llu OPTIONS per run, window %u, at most %.1f s per run, "
              "%d runs each (alternating), 127.0.0.1 UDP\n",
              static_cast<unsigned long long>(opt.count), opt.window, opt.seconds, opt.runs);
  std::fflush(stdout);

  Series trapezoid_s;
  Series echo_s;
  for (int i = 0; i < opt.runs; ++i) {
    {
      // A new worker per run: completed transactions linger for Timer J (32 s) and would
      // otherwise carry over into the next run's table.
      EchoCore server;
      report("trapezoid", i + 1, measure(server, 2 * i, opt), trapezoid_s);
    }
    {
      CEcho server;
      report("echo", i + 1, measure(server, 2 * i + 1, opt), echo_s);
    }
  }

  const double t_cpu = median(trapezoid_s.cpu_per_tx_us);
  const double e_cpu = median(echo_s.cpu_per_tx_us);
  std::printf("\nmedians of %d runs:\n", opt.runs);
  std::printf("  trapezoid (SipWorker + TU): %9.0f tx/s, %9.0f msg/s, server CPU %6.2f us/tx\n",
              median(trapezoid_s.tx_per_s), median(trapezoid_s.msgs_per_s), t_cpu);
  std::printf("  echo (recvfrom + sendto):   %9.0f tx/s, %9.0f msg/s, server CPU %6.2f us/pair\n",
              median(echo_s.tx_per_s), median(echo_s.msgs_per_s), e_cpu);
  std::printf("  transport + transaction layers add %.2f us of CPU per transaction (%.2fx the echo)\n",
              t_cpu - e_cpu, e_cpu > 0 ? t_cpu / e_cpu : 0.0);
  std::printf("  completed: trapezoid %llu, echo %llu; lost: trapezoid %llu, echo %llu\n",
              static_cast<unsigned long long>(trapezoid_s.completed),
              static_cast<unsigned long long>(echo_s.completed),
              static_cast<unsigned long long>(trapezoid_s.lost),
              static_cast<unsigned long long>(echo_s.lost));
  return 0;
}
