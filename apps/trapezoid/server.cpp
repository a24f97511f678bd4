#include "server.hpp"

#include <malloc.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cerrno>
#include <cstring>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <thread>
#include <vector>

#include "auth/digest.hpp"
#include "auth/nonce.hpp"
#include "auth/sqlite_credentials.hpp"
#include "registrar/location_service.hpp"
#include "registrar/registrar.hpp"
#include "server_auth.hpp"
#include "server_worker.hpp"
#include "store/sqlite_store.hpp"
#include "store/write_behind.hpp"
#include "transaction/message_fields.hpp"
#include "transport/endpoint.hpp"
#include "transport/stream_directory.hpp"

namespace trapezoid::apps {
namespace {

using transport::LogLevel;

registrar::UnixSeconds unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string_view mode_name(ServeMode m) { return m == ServeMode::kRedirect ? "redirect" : "proxy"; }

// `ip`:`port` as a socket address; its length.
socklen_t to_sockaddr(const transport::IpAddress& ip, std::uint16_t port, sockaddr_storage& ss) {
  ss = {};
  if (ip.is_v6()) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&ss);
    a->sin6_family = AF_INET6;
    std::copy(ip.bytes().begin(), ip.bytes().end(), a->sin6_addr.s6_addr);
    a->sin6_port = htons(port);
    return sizeof(sockaddr_in6);
  }
  auto* a = reinterpret_cast<sockaddr_in*>(&ss);
  a->sin_family = AF_INET;
  std::copy_n(ip.bytes().begin(), 4, reinterpret_cast<std::uint8_t*>(&a->sin_addr.s_addr));
  a->sin_port = htons(port);
  return sizeof(sockaddr_in);
}

// Binds (without SO_REUSEPORT) and closes a socket of `type` on address:port; 0 or errno.
int try_bind(const transport::IpAddress& ip, std::uint16_t port, int type) {
  sockaddr_storage ss;
  const socklen_t len = to_sockaddr(ip, port, ss);
  const int fd = ::socket(ss.ss_family, type, 0);
  if (fd < 0) return errno;
  const int one = 1;
  if (type == SOCK_STREAM) ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));  // TIME_WAIT is no owner
  const int rc = ::bind(fd, reinterpret_cast<sockaddr*>(&ss), len) == 0 ? 0 : errno;
  ::close(fd);
  return rc;
}

// Workers share their port with SO_REUSEPORT, which the kernel grants to any process of the
// same user: a second server started on the port by mistake would silently take half the
// traffic. A bind without it first tells "in use" apart. "" or the reason.
std::string check_ports_free(const transport::WorkerConfig& t) {
  for (const std::string& a : t.addresses) {
    const std::optional<transport::IpAddress> ip = transport::IpAddress::parse(a);
    if (!ip) return "'" + a + "' is not an IP address";
    struct Probe {
      bool on;
      std::uint16_t port;
      int type;
      const char* name;
    };
    const Probe probes[] = {{t.udp, t.port, SOCK_DGRAM, "UDP"},
                            {t.tcp, t.port, SOCK_STREAM, "TCP"},
                            {t.tls.enabled, t.tls.port, SOCK_STREAM, "TLS"}};
    for (const Probe& p : probes) {
      if (!p.on || p.port == 0) continue;
      if (const int err = try_bind(*ip, p.port, p.type))
        return std::string(p.name) + " " + ip->to_uri_host() + ":" + std::to_string(p.port) + ": " + std::strerror(err);
    }
  }
  return {};
}

// A port free for both UDP and TCP on `address`, for several workers that must share one
// port (SO_REUSEPORT) when the configuration asked for an ephemeral one. 0 when none is found.
std::uint16_t probe_free_port(const std::string& address) {
  const std::optional<transport::IpAddress> ip = transport::IpAddress::parse(address);
  if (!ip) return 0;
  for (int attempt = 0; attempt < 20; ++attempt) {
    // An ephemeral UDP port from the kernel, then the same port tried for TCP.
    sockaddr_storage ss;
    const socklen_t len = to_sockaddr(*ip, 0, ss);
    const int udp = ::socket(ss.ss_family, SOCK_DGRAM, 0);
    std::uint16_t port = 0;
    if (udp >= 0 && ::bind(udp, reinterpret_cast<sockaddr*>(&ss), len) == 0) {
      sockaddr_storage bound{};
      socklen_t blen = sizeof(bound);
      if (::getsockname(udp, reinterpret_cast<sockaddr*>(&bound), &blen) == 0)
        port = ntohs(ss.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                              : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
    }
    if (udp >= 0) ::close(udp);
    if (port && try_bind(*ip, port, SOCK_STREAM) == 0) return port;
  }
  return 0;
}

// The transport settings every worker shares: the listen set as addresses and one port.
transport::WorkerConfig transport_config(const ServeConfig& cfg) {
  transport::WorkerConfig t;
  t.addresses.clear();
  t.udp = t.tcp = false;
  for (const ListenSpec& l : cfg.listen) {
    if (l.transport == "tls") {
      // §26.2: TLS on its own port (5061 by default), on the same addresses.
      t.tls.enabled = true;
      t.tls.port = l.port;
      t.tls.certificate_chain_file = cfg.tls_certificate;
      t.tls.private_key_file = cfg.tls_private_key;
      t.tls.ca = cfg.tls_ca;
      t.tls.verify_client = cfg.tls_verify_client;
    }
    if (std::find(t.addresses.begin(), t.addresses.end(), l.address) == t.addresses.end())
      t.addresses.push_back(l.address);
    if (l.transport == "tls") continue;
    if (std::find(t.addresses.begin(), t.addresses.end(), l.address) == t.addresses.end())
      t.addresses.push_back(l.address);
    t.port = l.port;
    if (l.transport == "udp") t.udp = true;
    if (l.transport == "tcp") t.tcp = true;
  }
  t.limits.max_header_bytes = cfg.max_message_bytes;
  t.limits.max_body_bytes = cfg.max_message_bytes;
  t.max_connections = cfg.max_connections;
  return t;
}

void add_sent_by(transport::WorkerConfig& t) {
  t.sent_by.clear();
  for (const std::string& a : t.addresses) {
    const std::optional<transport::IpAddress> ip = transport::IpAddress::parse(a);
    t.sent_by.push_back({ip ? ip->to_uri_host() : a, t.port});
  }
}

transaction::TimerConfig timer_config(const ServeConfig& cfg) {
  transaction::TimerConfig t;
  t.T1 = cfg.t1;
  t.T2 = cfg.t2;
  t.T4 = cfg.t4;
  return t;
}

// Every branch a worker makes starts "z9hG4bK" + this letter + the worker's index + ".".
constexpr char kBranchLetter = 'w';

proxy::ProxyConfig proxy_config(const ServeConfig& cfg, unsigned worker) {
  proxy::ProxyConfig p;
  p.mode = cfg.mode == ServeMode::kRedirect ? proxy::ProxyMode::kRedirect : proxy::ProxyMode::kProxy;
  p.record_route = cfg.record_route;
  p.recurse_on_3xx = cfg.recurse_on_3xx;
  p.stateless_register = cfg.stateless_register;
  p.timer_c = std::chrono::duration_cast<std::chrono::milliseconds>(cfg.timer_c);
  p.branch_tag = kBranchLetter + std::to_string(worker);
  return p;
}

dns::ResolverConfig dns_config(const ServeConfig& cfg) {
  dns::ResolverConfig d;
  d.servers = cfg.dns_servers;
  d.timeout = cfg.dns_timeout;
  d.tries = cfg.dns_tries;
  d.cache_entries = cfg.dns_cache_entries;
  return d;
}

// The worker that owns the client transaction a response answers: the proxy puts "w<index>."
// right after the magic cookie of every branch it makes (ProxyConfig::branch_tag).
std::optional<unsigned> owner_of(const sip::Message& response) {
  sip::Via via;
  if (!transaction::top_via(response, via)) return std::nullopt;
  std::string_view b = via.branch;
  constexpr std::string_view prefix = "z9hG4bKw";
  if (!b.starts_with(prefix)) return std::nullopt;
  b.remove_prefix(prefix.size());
  unsigned index = 0;
  auto [end, ec] = std::from_chars(b.data(), b.data() + b.size(), index);
  if (ec != std::errc{} || end == b.data() || end == b.data() + b.size() || *end != '.') return std::nullopt;
  return index;
}

registrar::RegistrarConfig registrar_config(const ServeConfig& cfg) {
  registrar::RegistrarConfig r;
  r.default_expires = static_cast<std::uint32_t>(cfg.default_expires);
  r.min_expires = static_cast<std::uint32_t>(cfg.min_expires);
  r.max_expires = static_cast<std::uint32_t>(cfg.max_expires);
  r.max_contacts_per_aor = cfg.max_contacts;
  r.foreign_domain_status = cfg.foreign_domain_status;
  return r;
}

// What authentication needs that outlives a reload: the subscribers' connection and the
// nonce secret (nonces issued before a reload stay valid after it).
struct AuthParts {
  std::vector<std::byte> random_secret;  // used when [auth] nonce_secret is not set
  std::shared_ptr<auth::SqliteCredentials> subscribers;
};

// The ServerAuth for `cfg` (null when [auth] is off), or why it cannot be built.
std::shared_ptr<const ServerAuth> server_auth(const ServeConfig& cfg, const std::string& db_path, AuthParts& parts,
                                              const registrar::Locator& locator, std::string& error) {
  if (!cfg.auth_enabled) return nullptr;
  if (!parts.subscribers) {
    auto subscribers = std::make_shared<auth::SqliteCredentials>();
    if (std::string why = subscribers->open(db_path); !why.empty()) {
      error = why;
      return nullptr;
    }
    parts.subscribers = std::move(subscribers);
  }
  std::vector<std::byte> secret;
  if (!cfg.auth_nonce_secret.empty()) {
    for (char c : cfg.auth_nonce_secret) secret.push_back(static_cast<std::byte>(c));
  } else {
    if (parts.random_secret.empty()) parts.random_secret = auth::random_secret();
    if (parts.random_secret.empty()) {
      error = "no random bytes for the nonce secret";
      return nullptr;
    }
    secret = parts.random_secret;
  }
  ServerAuthSettings settings;
  settings.verifier.realm = effective_realm(cfg);
  settings.verifier.algorithms.clear();
  for (const std::string& name : cfg.auth_algorithms)
    if (std::optional<auth::DigestAlgorithm> a = auth::parse_algorithm(name)) settings.verifier.algorithms.push_back(*a);
  settings.check_register = cfg.auth_register;
  settings.check_proxied = cfg.auth_proxy;
  settings.allow_third_party_register = cfg.auth_allow_third_party_register;
  auto nonces = std::make_shared<const auth::NonceCodec>(secret, cfg.auth_nonce_lifetime);
  return std::make_shared<const ServerAuth>(std::move(settings), std::move(nonces), parts.subscribers, locator);
}

std::string auth_summary(const ServeConfig& cfg) {
  if (!cfg.auth_enabled) return "";
  std::string out = ", digest authentication in realm \"" + effective_realm(cfg) + "\" (";
  out += cfg.auth_register ? "REGISTER" : "";
  if (cfg.auth_proxy) out += cfg.auth_register ? ", proxied requests" : "proxied requests";
  if (!cfg.auth_register && !cfg.auth_proxy) out += "nothing checked";
  return out + ")";
}

}  // namespace

struct Server::State {
  ServeConfig cfg;
  Reload reload;
  ServeLogger& log;
};

Server::Server(ServeConfig config, Reload reload, ServeLogger& logger)
    : state_(std::make_unique<State>(State{std::move(config), std::move(reload), logger})) {}

Server::~Server() = default;

int Server::run() {
  ServeConfig& cfg = state_->cfg;
  ServeLogger& log = state_->log;
  auto fail = [&](const std::string& why) {
    log.log(LogLevel::kError, why);
    return 1;
  };

  // Signals are taken by the main thread alone (sigtimedwait below); workers inherit the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  // The store: the truth after a restart.
  std::error_code ec;
  std::filesystem::create_directories(cfg.data_dir, ec);
  if (ec) return fail("cannot create the data directory " + cfg.data_dir + ": " + ec.message());
  const std::string db_path = (std::filesystem::path(cfg.data_dir) / "registrations.db").string();
  store::SqliteStore db;
  if (store::StoreStatus st = db.open(db_path); !st.ok()) return fail(st.message);
  store::LoadResult loaded = db.load();
  if (!loaded.status.ok()) return fail(loaded.status.message);
  store::WriteBehindStore sink(std::move(db), {.flush_interval = cfg.flush_interval},
                               [&log](store::Severity s, std::string_view line) {
                                 const LogLevel level = s == store::Severity::kError     ? LogLevel::kError
                                                        : s == store::Severity::kWarning ? LogLevel::kWarning
                                                                                         : LogLevel::kInfo;
                                 log.log(level, line);
                               });

  // The workers' shared transport settings; an ephemeral port is chosen first, so that every
  // worker shares it and the Via sent-by names it.
  transport::WorkerConfig transport = transport_config(cfg);
  const unsigned workers = cfg.workers ? cfg.workers : std::max(1u, std::thread::hardware_concurrency());
  // (Also for one worker: its Via sent-by must name the real port, §18.1.2.)
  if (transport.port == 0 && !transport.addresses.empty()) {
    transport.port = probe_free_port(transport.addresses.front());
    if (transport.port == 0) return fail("no free port found on " + transport.addresses.front());
  }
  if (transport.tls.enabled && transport.tls.port == 0 && !transport.addresses.empty()) {
    transport.tls.port = probe_free_port(transport.addresses.front());
    if (transport.tls.port == 0) return fail("no free TLS port found on " + transport.addresses.front());
  }
  if (std::string busy = check_ports_free(transport); !busy.empty()) return fail("cannot listen: " + busy);
  transport.reuse_port = transport.port != 0;
  // The kernel hands each UDP response to the worker whose branch it carries (the letter of
  // proxy_config's branch_tag); the workers start, and bind, in index order below.
  transport.steer_branch_letter = kBranchLetter;
  add_sent_by(transport);

  registrar::LocationServiceConfig loc_cfg;
  loc_cfg.domains = cfg.domains;
  loc_cfg.own_addresses = transport.addresses;
  registrar::LocationService locations(loc_cfg, &sink);
  const std::size_t bindings_loaded = locations.load(loaded.bindings);
  locations.add_known(loaded.known_aors);
  loaded = {};

  const registrar::RegistrarConfig reg_cfg = registrar_config(cfg);
  if (std::string err = registrar::registrar_config_error(reg_cfg); !err.empty()) return fail(err);
  // Shared by the workers; a reload makes a new one and hands it to each worker.
  std::shared_ptr<const registrar::Registrar> registrar = std::make_shared<registrar::Registrar>(reg_cfg, locations);

  // [auth]: off unless enabled; subscribers live in the same file as the registrations.
  AuthParts auth_parts;
  std::string auth_error;
  std::shared_ptr<const ServerAuth> auth = server_auth(cfg, db_path, auth_parts, locations, auth_error);
  if (!auth_error.empty()) return fail(auth_error);

  // A stream connection lives in the worker that accepted or opened it; the directory lets the
  // others write on it (a UA behind NAT is reachable over its registered connection only).
  // Declared before the pool: it outlives the workers.
  transport::StreamDirectory streams(workers);
  std::vector<std::unique_ptr<ServerWorker>> pool;
  for (unsigned i = 0; i < workers; ++i) {
    pool.push_back(std::make_unique<ServerWorker>(i, transport, timer_config(cfg), proxy_config(cfg, i),
                                                  dns_config(cfg), locations, registrar, log, auth));
    pool.back()->join(streams);
    if (std::error_code start_ec = pool.back()->start()) {
      return fail("cannot listen (worker " + std::to_string(i) + "): " + start_ec.message());
    }
    if (std::string dns_error; !pool.back()->start_dns(dns_error)) return fail("DNS: " + dns_error);
  }
  // Responses reach whichever worker the kernel picks (SO_REUSEPORT hashes the sender's
  // address): each goes on to the worker whose transaction it answers.
  for (unsigned i = 0; i < pool.size(); ++i) {
    pool[i]->set_response_router([&pool, i](sip::Message& response, const transport::Source& from) {
      const std::optional<unsigned> owner = owner_of(response);
      if (!owner || *owner == i || *owner >= pool.size()) return false;
      pool[*owner]->deliver(std::move(response), from);
      return true;
    });
  }
  std::vector<std::thread> threads;
  for (auto& w : pool) threads.emplace_back([&w] { w->run(); });

  for (const transport::Endpoint& e : pool.front()->local_endpoints())
    log.notice("listening on " + transport::to_string(e));
  log.notice("ready: " + std::to_string(workers) + " worker(s), " + std::string(mode_name(cfg.mode)) +
                               " mode, " + std::to_string(bindings_loaded) + " binding(s) loaded from " + db_path +
                               (cfg.domains.empty() ? ", every domain" : ", " + std::to_string(cfg.domains.size()) +
                                                                             " domain(s)") +
                               auth_summary(cfg));

  // The main thread: signals, and the expiry of bindings once a second (§10.3: a binding
  // lasts its expires; the store is told through the sink).
  int stop_signal = 0;
  unsigned ticks = 0;
  while (!stop_signal) {
    timespec wait{1, 0};
    const int sig = sigtimedwait(&signals, nullptr, &wait);
    if (sig == SIGTERM || sig == SIGINT) {
      stop_signal = sig;
    } else if (sig == SIGHUP) {
      ServeConfig fresh;
      if (std::optional<ConfigError> err = state_->reload ? state_->reload(fresh) : std::nullopt) {
        log.log(LogLevel::kError, "reload refused, the running settings stay: " + err->text());
      } else if (state_->reload) {
        // What can change while running: log level, domains, registrar limits, proxy mode and
        // flags. Sockets, workers, the data directory and timers need a restart.
        const registrar::RegistrarConfig fresh_reg = registrar_config(fresh);
        if (std::string why = registrar::registrar_config_error(fresh_reg); !why.empty()) {
          log.log(LogLevel::kError, "reload refused, the running settings stay: " + why);
        } else {
          log.set_level(fresh.log_level);
          locations.set_domains(fresh.domains);
          registrar = std::make_shared<registrar::Registrar>(fresh_reg, locations);
          for (unsigned i = 0; i < pool.size(); ++i) pool[i]->reload(registrar, proxy_config(fresh, i));
          // [auth] applies at once too; a failure to open the subscribers keeps the old one.
          std::string auth_text = ", [auth] unchanged";
          if (std::shared_ptr<const ServerAuth> fresh_auth = server_auth(fresh, db_path, auth_parts, locations, auth_error);
              auth_error.empty()) {
            auth = std::move(fresh_auth);
            for (auto& w : pool) w->set_auth(auth);
            auth_text = auth ? auth_summary(fresh) : ", no authentication";
          } else {
            log.log(LogLevel::kError, "reload: [auth] keeps its running settings: " + auth_error);
            auth_error.clear();
          }
          std::string restart;
          if (fresh.listen != cfg.listen) restart += " listen";
          if (fresh.workers != cfg.workers) restart += " workers";
          if (fresh.data_dir != cfg.data_dir) restart += " data_dir";
          if (fresh.t1 != cfg.t1 || fresh.t2 != cfg.t2 || fresh.t4 != cfg.t4) restart += " timers";
          if (fresh.dns_servers != cfg.dns_servers || fresh.dns_timeout != cfg.dns_timeout ||
              fresh.dns_tries != cfg.dns_tries || fresh.dns_cache_entries != cfg.dns_cache_entries)
            restart += " dns";
          if (fresh.tls_certificate != cfg.tls_certificate || fresh.tls_private_key != cfg.tls_private_key ||
              fresh.tls_ca != cfg.tls_ca)
            restart += " tls";
          if (fresh.flush_interval != cfg.flush_interval) restart += " store";
          if (fresh.max_message_bytes != cfg.max_message_bytes || fresh.max_connections != cfg.max_connections)
            restart += " limits";
          log.notice("reloaded: log_level " + fresh.log_level + ", " + std::string(mode_name(fresh.mode)) +
                     " mode, " + (fresh.domains.empty() ? std::string("every domain")
                                                        : std::to_string(fresh.domains.size()) + " domain(s)") +
                     auth_text +
                     (restart.empty() ? "" : "; needs a restart to change:" + restart));
          // Remember what was applied (the rest stays as running, for the next comparison).
          cfg.log_level = fresh.log_level;
          cfg.domains = fresh.domains;
          cfg.mode = fresh.mode;
          cfg.record_route = fresh.record_route;
          cfg.recurse_on_3xx = fresh.recurse_on_3xx;
          cfg.timer_c = fresh.timer_c;
          cfg.default_expires = fresh.default_expires;
          cfg.min_expires = fresh.min_expires;
          cfg.max_expires = fresh.max_expires;
          cfg.max_contacts = fresh.max_contacts;
          cfg.foreign_domain_status = fresh.foreign_domain_status;
          cfg.stateless_register = fresh.stateless_register;
        }
      }
    }
    // Completed transactions free their messages in bulk (Timer J, 32 s after a burst of
    // REGISTERs); hand the freed pages back to the system now and then.
    if (++ticks % 30 == 0) ::malloc_trim(0);
    const std::vector<registrar::Binding> gone = locations.expire(unix_now());
    if (!gone.empty() && log.enabled(LogLevel::kInfo)) {
      log.log(LogLevel::kInfo, std::to_string(gone.size()) + " binding(s) expired");
    }
  }

  // Drain: let the transactions in flight finish (bounded), then stop.
  log.notice(std::string("draining on ") + (stop_signal == SIGTERM ? "SIGTERM" : "SIGINT"));
  for (auto& w : pool) w->drain();
  const auto deadline = std::chrono::steady_clock::now() + cfg.drain_timeout;
  for (;;) {
    for (auto& w : pool) w->refresh_counts();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    std::size_t busy = 0;
    for (auto& w : pool) busy += w->in_flight();
    if (busy == 0) break;
    if (std::chrono::steady_clock::now() >= deadline) {
      log.log(LogLevel::kWarning, "drain timeout: " + std::to_string(busy) + " transaction(s) still in flight");
      break;
    }
  }
  for (auto& w : pool) w->stop();
  for (std::thread& t : threads) t.join();
  pool.clear();
  if (store::StoreStatus st = sink.flush(); !st.ok()) log.log(LogLevel::kError, st.message);
  log.notice("stopped");
  return 0;
}

}  // namespace trapezoid::apps
