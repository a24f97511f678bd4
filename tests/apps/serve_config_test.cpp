// `trapezoid serve` settings: TOML over defaults, flags, and the errors a bad file gets.
#include "serve_config.hpp"

#include <gtest/gtest.h>

namespace trapezoid::apps {
namespace {

TEST(ServeConfig, DefaultsListenOnLoopbackUdpAndTcp5060) {
  ServeConfig cfg;
  ASSERT_FALSE(check_config(cfg));
  ASSERT_EQ(cfg.listen.size(), 2u);
  EXPECT_EQ(cfg.listen[0], (ListenSpec{"udp", "127.0.0.1", 5060}));
  EXPECT_EQ(cfg.listen[1], (ListenSpec{"tcp", "127.0.0.1", 5060}));
  EXPECT_EQ(cfg.mode, ServeMode::kProxy);
  EXPECT_EQ(cfg.data_dir, "./trapezoid-data");
}

TEST(ServeConfig, TlsListenerAddedWhenACertificateIsConfigured) {
  ServeConfig cfg;
  cfg.tls_certificate = "cert.pem";
  cfg.tls_private_key = "key.pem";
  ASSERT_FALSE(check_config(cfg));
  ASSERT_EQ(cfg.listen.size(), 3u);
  EXPECT_EQ(cfg.listen[2], (ListenSpec{"tls", "127.0.0.1", 5061}));
}

TEST(ServeConfig, ReadsEveryTable) {
  ServeConfig cfg;
  const char* text = R"(
[server]
mode = "redirect"
workers = 3
data_dir = "/var/lib/trapezoid"
domains = ["atlanta.example.com", "biloxi.example.com"]
log_level = "warning"
listen = ["udp:192.0.2.1:5070", "tcp:[2001:db8::1]:5070"]
drain_timeout_ms = 2500

[tls]
certificate = "c.pem"
private_key = "k.pem"
ca = "ca.pem"
verify_client = true

[registrar]
default_expires = 600
min_expires = 30
max_expires = 7200
max_contacts = 4
foreign_domain_status = 403

[proxy]
record_route = false
recurse_on_3xx = true
timer_c = 200

[timers]
t1_ms = 100
t2_ms = 800
t4_ms = 1000

[store]
flush_interval_ms = 0

[limits]
max_message_bytes = 8192
max_connections = 50

[dns]
servers = ["127.0.0.1:5353", "[::1]:53", "192.0.2.53"]
timeout_ms = 300
tries = 3
cache_entries = 100
)";
  ASSERT_FALSE(load_config_text(text, "t.toml", cfg));
  EXPECT_EQ(cfg.mode, ServeMode::kRedirect);
  EXPECT_EQ(cfg.workers, 3u);
  EXPECT_EQ(cfg.data_dir, "/var/lib/trapezoid");
  EXPECT_EQ(cfg.domains, (std::vector<std::string>{"atlanta.example.com", "biloxi.example.com"}));
  EXPECT_EQ(cfg.log_level, "warning");
  ASSERT_EQ(cfg.listen.size(), 2u);
  EXPECT_EQ(cfg.listen[1], (ListenSpec{"tcp", "2001:db8::1", 5070}));
  EXPECT_EQ(cfg.drain_timeout, std::chrono::milliseconds(2500));
  EXPECT_EQ(cfg.tls_ca, "ca.pem");
  EXPECT_TRUE(cfg.tls_verify_client);
  EXPECT_EQ(cfg.default_expires, 600);
  EXPECT_EQ(cfg.min_expires, 30);
  EXPECT_EQ(cfg.max_expires, 7200);
  EXPECT_EQ(cfg.max_contacts, 4u);
  EXPECT_EQ(cfg.foreign_domain_status, 403);
  EXPECT_FALSE(cfg.record_route);
  EXPECT_TRUE(cfg.recurse_on_3xx);
  EXPECT_EQ(cfg.timer_c, std::chrono::seconds(200));
  EXPECT_EQ(cfg.t1, std::chrono::milliseconds(100));
  EXPECT_EQ(cfg.t2, std::chrono::milliseconds(800));
  EXPECT_EQ(cfg.t4, std::chrono::milliseconds(1000));
  EXPECT_EQ(cfg.flush_interval, std::chrono::milliseconds(0));
  EXPECT_EQ(cfg.max_message_bytes, 8192u);
  EXPECT_EQ(cfg.max_connections, 50u);
  EXPECT_EQ(cfg.dns_servers, (std::vector<std::string>{"127.0.0.1:5353", "[::1]:53", "192.0.2.53"}));
  EXPECT_EQ(cfg.dns_timeout, std::chrono::milliseconds(300));
  EXPECT_EQ(cfg.dns_tries, 3);
  EXPECT_EQ(cfg.dns_cache_entries, 100u);
  EXPECT_FALSE(check_config(cfg));
}

struct BadFile {
  const char* text;
  std::uint32_t line;
  const char* reason_part;
};

class ServeConfigErrors : public ::testing::TestWithParam<BadFile> {};

TEST_P(ServeConfigErrors, NameTheLineAndTheReason) {
  ServeConfig cfg;
  std::optional<ConfigError> err = load_config_text(GetParam().text, "bad.toml", cfg);
  ASSERT_TRUE(err);
  EXPECT_EQ(err->file, "bad.toml");
  EXPECT_EQ(err->line, GetParam().line) << err->text();
  EXPECT_NE(err->reason.find(GetParam().reason_part), std::string::npos) << err->text();
  EXPECT_EQ(err->text().rfind("bad.toml:" + std::to_string(GetParam().line) + ": ", 0), 0u) << err->text();
}

INSTANTIATE_TEST_SUITE_P(
    Files, ServeConfigErrors,
    ::testing::Values(BadFile{"[server]\nworkers = \"two\"\n", 2, "workers must be an integer"},
                      BadFile{"[server]\nworkers = -1\n", 2, "0..1024"},
                      BadFile{"[server]\nmode = \"stateless\"\n", 2, "proxy"},
                      BadFile{"[server]\n\nwrokers = 2\n", 3, "unknown key 'wrokers'"},
                      BadFile{"[servre]\nworkers = 2\n", 1, "unknown table [servre]"},
                      BadFile{"[server]\nlisten = [\"udp:999.0.0.1:5060\"]\n", 2, "not an IPv4 or IPv6"},
                      BadFile{"[server]\nlisten = [\"sctp:127.0.0.1:5060\"]\n", 2, "udp, tcp or tls"},
                      BadFile{"[server]\nlisten = [\"udp:::1:5060\"]\n", 2, "brackets"},
                      BadFile{"[server]\nlog_level = \"loud\"\n", 2, "log_level"},
                      BadFile{"[proxy]\ntimer_c = 60\n", 2, "181..3600"},
                      BadFile{"[registrar]\nforeign_domain_status = 500\n", 2, "403..404"},
                      BadFile{"[auth]\nenabled = \"yes\"\n", 2, "enabled must be true or false"},
                      BadFile{"[auth]\nenabled = true\n\nnonce_lifetime_s = 0\n", 4, "1..86400"},
                      BadFile{"[auth]\nalgorithms = [\"MD5\", \"SHA-1\"]\n", 2, "\"SHA-1\" is not one of"},
                      BadFile{"[auth]\nalgorithms = []\n", 2, "non-empty array"},
                      BadFile{"[auth]\nrealm = \"a\\\"b\"\n", 2, "realm must be"},
                      BadFile{"[auth]\nnonce_secret = \"short\"\n", 2, "at least 16"},
                      BadFile{"[auth]\nthird_party = true\n", 2, "unknown key 'third_party' in [auth]"},
                      BadFile{"[dns]\nservers = [\n  \"127.0.0.1:5353\",\n  \"ns.example.com\"]\n", 4,
                              "a DNS server is"},
                      BadFile{"[dns]\nservers = [\"127.0.0.1:99999\"]\n", 2, "a DNS server is"},
                      BadFile{"[dns]\nservers = \"127.0.0.1\"\n", 2, "servers must be an array"},
                      BadFile{"[dns]\ntimeout_ms = 0\n", 2, "10..60000"},
                      BadFile{"[dns]\ntries = 0\n", 2, "1..10"},
                      BadFile{"[dns]\ncache = 10\n", 2, "unknown key 'cache' in [dns]"},
                      BadFile{"[server]\nworkers = 2\nworkers = 3\n", 3, ""},  // TOML: redefined key
                      BadFile{"[server\nworkers = 2\n", 1, ""}));              // TOML syntax

TEST(ServeConfig, AuthIsOffByDefaultAndReadsEveryKey) {
  ServeConfig cfg;
  EXPECT_FALSE(cfg.auth_enabled);
  ASSERT_FALSE(check_config(cfg));
  EXPECT_EQ(effective_realm(cfg), "127.0.0.1");  // no domain: the first listen address
  cfg.domains = {"atlanta.example.com"};
  EXPECT_EQ(effective_realm(cfg), "atlanta.example.com");
  const char* text = R"(
[auth]
enabled = true
realm = "trapezoid.test"
nonce_lifetime_s = 60
register = false
proxy = false
allow_third_party_register = true
algorithms = ["MD5", "SHA-256-sess"]
nonce_secret = "0123456789abcdef0123"
)";
  ASSERT_FALSE(load_config_text(text, "auth.toml", cfg));
  EXPECT_TRUE(cfg.auth_enabled);
  EXPECT_EQ(effective_realm(cfg), "trapezoid.test");
  EXPECT_EQ(cfg.auth_nonce_lifetime, std::chrono::seconds(60));
  EXPECT_FALSE(cfg.auth_register);
  EXPECT_FALSE(cfg.auth_proxy);
  EXPECT_TRUE(cfg.auth_allow_third_party_register);
  EXPECT_EQ(cfg.auth_algorithms, (std::vector<std::string>{"MD5", "SHA-256-sess"}));
  EXPECT_EQ(cfg.auth_nonce_secret, "0123456789abcdef0123");
}

TEST(ServeConfig, UnreadableFileIsAnError) {
  ServeConfig cfg;
  std::optional<ConfigError> err = load_config_file("/nonexistent/trapezoid.toml", cfg);
  ASSERT_TRUE(err);
  EXPECT_EQ(err->text(), "/nonexistent/trapezoid.toml: cannot read the file");
}

TEST(ServeConfig, ParsesListenFlags) {
  ListenSpec l;
  ASSERT_FALSE(parse_listen("UDP:127.0.0.1:5070", l));
  EXPECT_EQ(l, (ListenSpec{"udp", "127.0.0.1", 5070}));
  ASSERT_FALSE(parse_listen("tcp:[::1]:0", l));
  EXPECT_EQ(l, (ListenSpec{"tcp", "::1", 0}));
  EXPECT_TRUE(parse_listen("udp:127.0.0.1", l));
  EXPECT_TRUE(parse_listen("udp:127.0.0.1:65536", l));
  EXPECT_TRUE(parse_listen("udp:127.0.0.1:50x", l));
  EXPECT_TRUE(parse_listen("udp:example.com:5060", l));
  EXPECT_TRUE(parse_listen("127.0.0.1:5060", l));
}

TEST(ServeConfig, CrossFieldChecks) {
  {
    ServeConfig cfg;
    cfg.tls_certificate = "c.pem";
    EXPECT_TRUE(check_config(cfg));  // key missing
  }
  {
    ServeConfig cfg;
    cfg.listen = {{"tls", "127.0.0.1", 5061}};
    std::optional<ConfigError> err = check_config(cfg);
    ASSERT_TRUE(err);
    EXPECT_NE(err->reason.find("[tls]"), std::string::npos);
  }
  {
    ServeConfig cfg;
    cfg.listen = {{"udp", "127.0.0.1", 5060}, {"tcp", "127.0.0.1", 5070}};
    EXPECT_TRUE(check_config(cfg));
  }
  {
    ServeConfig cfg;
    cfg.min_expires = 100;
    cfg.max_expires = 50;
    EXPECT_TRUE(check_config(cfg));
  }
  {
    ServeConfig cfg;
    cfg.t1 = std::chrono::milliseconds(500);
    cfg.t2 = std::chrono::milliseconds(100);
    EXPECT_TRUE(check_config(cfg));
  }
}

}  // namespace
}  // namespace trapezoid::apps
