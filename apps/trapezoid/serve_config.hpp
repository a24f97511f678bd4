// The settings of `trapezoid serve`: defaults that start a working registrar/proxy with no
// configuration at all, a TOML file (--config) over them, and command-line flags over both.
//
//   ServeConfig cfg;                                   // 127.0.0.1:5060 UDP+TCP, proxy mode
//   if (auto err = load_config_file("trapezoid.toml", cfg)) die(err->text());  // "file:12: ..."
//   if (auto err = apply_listen("udp:[::1]:5070", cfg)) die(err->text());
//   if (auto err = check_config(cfg)) die(err->text());
//
// Only plain values here: the server maps them onto the registrar, proxy, store and transport
// settings. Nothing throws; errors name the file, the line and the reason.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trapezoid::apps {

enum class ServeMode : std::uint8_t { kProxy, kRedirect };

// One listening socket: "udp:127.0.0.1:5060", "tcp:[::1]:5060", "tls:0.0.0.0:5061".
struct ListenSpec {
  std::string transport;  // "udp", "tcp" or "tls"
  std::string address;    // IPv4 or IPv6 literal, no brackets
  std::uint16_t port = 0; // 0: an ephemeral port (tests)
  friend bool operator==(const ListenSpec&, const ListenSpec&) = default;
};

struct ServeConfig {
  // [server]
  ServeMode mode = ServeMode::kProxy;
  unsigned workers = 0;  // 0: one per core
  std::string data_dir = "./trapezoid-data";
  std::vector<std::string> domains;  // empty: responsible for every domain
  std::string log_level = "info";    // debug, info, warning, error
  std::vector<ListenSpec> listen;    // empty: UDP and TCP on 127.0.0.1:5060 (TLS 5061 with [tls])
  std::chrono::milliseconds drain_timeout{10'000};  // SIGTERM: longest wait for transactions

  // [tls]
  std::string tls_certificate;  // PEM chain; TLS listens only when this is set
  std::string tls_private_key;
  std::string tls_ca;           // verifies the servers this one connects to
  bool tls_verify_client = false;

  // [registrar]
  std::int64_t default_expires = 3600;
  std::int64_t min_expires = 60;
  std::int64_t max_expires = 86400;
  unsigned max_contacts = 10;
  int foreign_domain_status = 404;  // or 403
  bool stateless_register = true;   // §8.2.7: REGISTER answered without a server transaction

  // [proxy]
  bool record_route = true;
  bool recurse_on_3xx = false;
  std::chrono::seconds timer_c{185};  // §16.6 item 11: more than 3 minutes

  // [timers]
  std::chrono::milliseconds t1{500};
  std::chrono::milliseconds t2{4000};
  std::chrono::milliseconds t4{5000};

  // [store]
  std::chrono::milliseconds flush_interval{200};  // 0: every change written before the reply

  // [limits]
  std::size_t max_message_bytes = 64 * 1024;
  std::size_t max_connections = 1024;

  // [auth] digest authentication (RFC 3261 §22); off unless enabled.
  bool auth_enabled = false;
  std::string auth_realm;                        // empty: the first domain, else the first listen address
  std::chrono::seconds auth_nonce_lifetime{300};  // older nonces are answered with stale=true
  bool auth_register = true;                      // §10.3 step 3: REGISTER needs credentials (401)
  bool auth_proxy = true;                         // §22.3: requests from our domains need them (407)
  bool auth_allow_third_party_register = false;   // §10.3 step 4: else only one's own AoR (403)
  std::vector<std::string> auth_algorithms = {"SHA-256", "MD5"};  // offered in this order
  std::string auth_nonce_secret;  // shared by the nodes that accept each other's nonces; "": random
  // [dns] (RFC 3263 resolution of host names the proxy forwards to)
  std::vector<std::string> dns_servers;  // "IP" or "IP:PORT"; empty: /etc/resolv.conf
  std::chrono::milliseconds dns_timeout{2000};  // first try per server
  int dns_tries = 2;
  std::size_t dns_cache_entries = 4096;  // per worker; 0: no cache
};

// The realm challenges name: [auth] realm, else the first domain, else the first listen
// address (call after check_config, which fills the listen set).
[[nodiscard]] std::string effective_realm(const ServeConfig& cfg);

// An error with where it was found: "trapezoid.toml:12: workers must be 1..1024".
struct ConfigError {
  std::string file;  // "" for a flag
  std::uint32_t line = 0;
  std::string reason;
  [[nodiscard]] std::string text() const;
};

// Reads a TOML file over `cfg`. Unknown tables or keys are errors (a typo must not be ignored).
[[nodiscard]] std::optional<ConfigError> load_config_file(const std::string& path, ServeConfig& cfg);
// The same from text (`name` is used in errors).
[[nodiscard]] std::optional<ConfigError> load_config_text(std::string_view text, std::string_view name,
                                                         ServeConfig& cfg);

// Parses "udp:IP:PORT" (IPv6 in brackets) into a ListenSpec.
[[nodiscard]] std::optional<ConfigError> parse_listen(std::string_view text, ListenSpec& out);
// Parses "proxy" or "redirect".
[[nodiscard]] std::optional<ServeMode> parse_mode(std::string_view text);

// Cross-field checks after file and flags: listen addresses present and valid, TLS files
// given together, limits in range. Fills the default listen set when none was given.
[[nodiscard]] std::optional<ConfigError> check_config(ServeConfig& cfg);

}  // namespace trapezoid::apps
