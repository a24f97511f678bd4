// Reading `trapezoid serve` settings from TOML. toml++ stays in this one file (it is heavy).
#include "serve_config.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

#include <toml++/toml.h>

#include <arpa/inet.h>

namespace trapezoid::apps {
namespace {

bool is_ip_literal(const std::string& text, bool& v6) {
  unsigned char buf[16];
  if (inet_pton(AF_INET, text.c_str(), buf) == 1) {
    v6 = false;
    return true;
  }
  if (inet_pton(AF_INET6, text.c_str(), buf) == 1) {
    v6 = true;
    return true;
  }
  return false;
}

// "192.0.2.1", "192.0.2.1:53", "::1", "[::1]:53": what c-ares takes as a server.
bool is_dns_server(const std::string& text) {
  bool v6 = false;
  if (is_ip_literal(text, v6)) return true;
  std::string host;
  std::string port;
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') return false;
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
    if (!is_ip_literal(host, v6) || !v6) return false;
  } else {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string::npos) return false;
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (!is_ip_literal(host, v6) || v6) return false;
  }
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  return ec == std::errc() && end == port.data() + port.size() && value >= 1 && value <= 65535;
}

// Walks one file's tables, turning each key into a field of ServeConfig.
class Reader {
 public:
  Reader(std::string_view name, ServeConfig& cfg) : name_(name), cfg_(cfg) {}

  std::optional<ConfigError> read(const toml::table& root) {
    for (auto&& [key, node] : root) {
      const std::string k(key.str());
      const toml::table* t = node.as_table();
      if (!t) return error(node, "'" + k + "' must be a table ([" + k + "])");
      std::optional<ConfigError> err;
      if (k == "server") err = server(*t);
      else if (k == "tls") err = tls(*t);
      else if (k == "registrar") err = registrar(*t);
      else if (k == "proxy") err = proxy(*t);
      else if (k == "timers") err = timers(*t);
      else if (k == "store") err = store(*t);
      else if (k == "limits") err = limits(*t);
      else if (k == "auth") err = auth(*t);
      else if (k == "dns") err = dns(*t);
      else err = error(node, "unknown table [" + k + "]");
      if (err) return err;
    }
    return std::nullopt;
  }

 private:
  ConfigError error(const toml::node& n, std::string reason) const {
    return ConfigError{std::string(name_), n.source().begin.line, std::move(reason)};
  }

  std::optional<ConfigError> integer(const toml::node& n, const std::string& key, std::int64_t lo,
                                     std::int64_t hi, std::int64_t& out) const {
    auto v = n.value<std::int64_t>();
    if (!n.is_integer() || !v) return error(n, key + " must be an integer");
    if (*v < lo || *v > hi)
      return error(n, key + " must be in " + std::to_string(lo) + ".." + std::to_string(hi));
    out = *v;
    return std::nullopt;
  }
  std::optional<ConfigError> boolean(const toml::node& n, const std::string& key, bool& out) const {
    if (!n.is_boolean()) return error(n, key + " must be true or false");
    out = *n.value<bool>();
    return std::nullopt;
  }
  std::optional<ConfigError> string(const toml::node& n, const std::string& key, std::string& out) const {
    if (!n.is_string()) return error(n, key + " must be a string");
    out = *n.value<std::string>();
    return std::nullopt;
  }
  template <class Rep, class Period>
  std::optional<ConfigError> duration(const toml::node& n, const std::string& key, std::int64_t lo,
                                      std::int64_t hi, std::chrono::duration<Rep, Period>& out) const {
    std::int64_t v = 0;
    if (auto err = integer(n, key, lo, hi, v)) return err;
    out = std::chrono::duration<Rep, Period>(v);
    return std::nullopt;
  }
  std::optional<ConfigError> unknown(const toml::node& n, std::string_view table, std::string_view key) const {
    return error(n, "unknown key '" + std::string(key) + "' in [" + std::string(table) + "]");
  }

  std::optional<ConfigError> server(const toml::table& t) {
    for (auto&& [key, n] : t) {
      const std::string k(key.str());
      std::int64_t v = 0;
      std::optional<ConfigError> err;
      if (k == "mode") {
        std::string s;
        if ((err = string(n, k, s))) return err;
        auto m = parse_mode(s);
        if (!m) return error(n, "mode must be \"proxy\" or \"redirect\"");
        cfg_.mode = *m;
      } else if (k == "workers") {
        if ((err = integer(n, k, 0, 1024, v))) return err;
        cfg_.workers = static_cast<unsigned>(v);
      } else if (k == "data_dir") {
        if ((err = string(n, k, cfg_.data_dir))) return err;
        if (cfg_.data_dir.empty()) return error(n, "data_dir must not be empty");
      } else if (k == "log_level") {
        if ((err = string(n, k, cfg_.log_level))) return err;
        static constexpr std::string_view levels[] = {"debug", "info", "warning", "error"};
        if (std::find(std::begin(levels), std::end(levels), cfg_.log_level) == std::end(levels))
          return error(n, "log_level must be debug, info, warning or error");
      } else if (k == "domains") {
        const toml::array* a = n.as_array();
        if (!a) return error(n, "domains must be an array of strings");
        cfg_.domains.clear();
        for (const toml::node& d : *a) {
          std::string s;
          if ((err = string(d, "each domain", s))) return err;
          if (s.empty()) return error(d, "a domain must not be empty");
          cfg_.domains.push_back(std::move(s));
        }
      } else if (k == "listen") {
        const toml::array* a = n.as_array();
        if (!a) return error(n, "listen must be an array of \"udp:IP:PORT\" strings");
        cfg_.listen.clear();
        for (const toml::node& l : *a) {
          std::string s;
          if ((err = string(l, "each listen entry", s))) return err;
          ListenSpec spec;
          if (auto e = parse_listen(s, spec)) return error(l, e->reason);
          cfg_.listen.push_back(spec);
        }
      } else if (k == "drain_timeout_ms") {
        if ((err = duration(n, k, 0, 600'000, cfg_.drain_timeout))) return err;
      } else {
        return unknown(n, "server", k);
      }
    }
    return std::nullopt;
  }

  std::optional<ConfigError> tls(const toml::table& t) {
    for (auto&& [key, n] : t) {
      const std::string k(key.str());
      std::optional<ConfigError> err;
      if (k == "certificate") err = string(n, k, cfg_.tls_certificate);
      else if (k == "private_key") err = string(n, k, cfg_.tls_private_key);
      else if (k == "ca") err = string(n, k, cfg_.tls_ca);
      else if (k == "verify_client") err = boolean(n, k, cfg_.tls_verify_client);
      else err = unknown(n, "tls", k);
      if (err) return err;
    }
    return std::nullopt;
  }

  std::optional<ConfigError> registrar(const toml::table& t) {
    for (auto&& [key, n] : t) {
      const std::string k(key.str());
      std::int64_t v = 0;
      std::optional<ConfigError> err;
      if (k == "default_expires") err = integer(n, k, 1, 31'536'000, cfg_.default_expires);
      else if (k == "min_expires") err = integer(n, k, 1, 31'536'000, cfg_.min_expires);
      else if (k == "max_expires") err = integer(n, k, 1, 31'536'000, cfg_.max_expires);
      else if (k == "max_contacts") {
        if (!(err = integer(n, k, 1, 1000, v))) cfg_.max_contacts = static_cast<unsigned>(v);
      } else if (k == "foreign_domain_status") {
        if (!(err = integer(n, k, 403, 404, v))) cfg_.foreign_domain_status = static_cast<int>(v);
      } else if (k == "stateless") {
        err = boolean(n, k, cfg_.stateless_register);
      } else {
        err = unknown(n, "registrar", k);
      }
      if (err) return err;
    }
    return std::nullopt;
  }

  std::optional<ConfigError> proxy(const toml::table& t) {
    for (auto&& [key, n] : t) {
      const std::string k(key.str());
      std::optional<ConfigError> err;
      if (k == "record_route") err = boolean(n, k, cfg_.record_route);
      else if (k == "recurse_on_3xx") err = boolean(n, k, cfg_.recurse_on_3xx);
      // §16.6 item 11: Timer C "MUST be set for a value larger than 3 minutes".
      else if (k == "timer_c") err = duration(n, k, 181, 3600, cfg_.timer_c);
      else err = unknown(n, "proxy", k);
      if (err) return err;
    }
    return std::nullopt;
  }

  std::optional<ConfigError> timers(const toml::table& t) {
    for (auto&& [key, n] : t) {
      const std::string k(key.str());
      std::optional<ConfigError> err;
      if (k == "t1_ms") err = duration(n, k, 1, 60'000, cfg_.t1);
      else if (k == "t2_ms") err = duration(n, k, 1, 600'000, cfg_.t2);
      else if (k == "t4_ms") err = duration(n, k, 1, 600'000, cfg_.t4);
      else err = unknown(n, "timers", k);
      if (err) return err;
    }
    return std::nullopt;
  }

  std::optional<ConfigError> store(const toml::table& t) {
    for (auto&& [key, n] : t) {
      const std::string k(key.str());
      std::optional<ConfigError> err;
      if (k == "flush_interval_ms") err = duration(n, k, 0, 60'000, cfg_.flush_interval);
      else err = unknown(n, "store", k);
      if (err) return err;
    }
    return std::nullopt;
  }

  std::optional<ConfigError> dns(const toml::table& t) {
    for (auto&& [key, n] : t) {
      const std::string k(key.str());
      std::int64_t v = 0;
      std::optional<ConfigError> err;
      if (k == "servers") {
        const toml::array* a = n.as_array();
        if (!a) return error(n, "servers must be an array of \"IP\" or \"IP:PORT\" strings");
        cfg_.dns_servers.clear();
        for (const toml::node& e : *a) {
          const std::optional<std::string> text = e.value<std::string>();
          if (!text || !is_dns_server(*text))
            return error(e, "a DNS server is \"IP\" or \"IP:PORT\" (IPv6 in brackets with a port), e.g. \"127.0.0.1:53\"");
          cfg_.dns_servers.push_back(*text);
        }
      } else if (k == "timeout_ms") {
        err = duration(n, k, 10, 60'000, cfg_.dns_timeout);
      } else if (k == "tries") {
        if (!(err = integer(n, k, 1, 10, v))) cfg_.dns_tries = static_cast<int>(v);
      } else if (k == "cache_entries") {
        if (!(err = integer(n, k, 0, 10'000'000, v))) cfg_.dns_cache_entries = static_cast<std::size_t>(v);
      } else {
        err = unknown(n, "dns", k);
      }
      if (err) return err;
    }
    return std::nullopt;
  }

  std::optional<ConfigError> limits(const toml::table& t) {
    for (auto&& [key, n] : t) {
      const std::string k(key.str());
      std::int64_t v = 0;
      std::optional<ConfigError> err;
      if (k == "max_message_bytes") {
        if (!(err = integer(n, k, 1024, 16 * 1024 * 1024, v))) cfg_.max_message_bytes = static_cast<std::size_t>(v);
      } else if (k == "max_connections") {
        if (!(err = integer(n, k, 1, 1'000'000, v))) cfg_.max_connections = static_cast<std::size_t>(v);
      } else {
        err = unknown(n, "limits", k);
      }
      if (err) return err;
    }
    return std::nullopt;
  }

  std::optional<ConfigError> auth(const toml::table& t) {
    for (auto&& [key, n] : t) {
      const std::string k(key.str());
      std::optional<ConfigError> err;
      if (k == "enabled") {
        err = boolean(n, k, cfg_.auth_enabled);
      } else if (k == "realm") {
        if (!(err = string(n, k, cfg_.auth_realm)) && !valid_realm(cfg_.auth_realm))
          err = error(n, "realm must be text without quotes, backslashes or control characters");
      } else if (k == "nonce_lifetime_s") {
        err = duration(n, k, 1, 86'400, cfg_.auth_nonce_lifetime);
      } else if (k == "register") {
        err = boolean(n, k, cfg_.auth_register);
      } else if (k == "proxy") {
        err = boolean(n, k, cfg_.auth_proxy);
      } else if (k == "allow_third_party_register") {
        err = boolean(n, k, cfg_.auth_allow_third_party_register);
      } else if (k == "algorithms") {
        const toml::array* a = n.as_array();
        if (!a || a->empty()) return error(n, "algorithms must be a non-empty array of strings");
        cfg_.auth_algorithms.clear();
        for (const toml::node& e : *a) {
          std::string s;
          if ((err = string(e, "each algorithm", s))) return err;
          static constexpr std::string_view known[] = {"SHA-256", "MD5", "SHA-256-sess", "MD5-sess"};
          if (std::find(std::begin(known), std::end(known), s) == std::end(known))
            return error(e, "algorithm \"" + s + "\" is not one of SHA-256, MD5, SHA-256-sess, MD5-sess");
          cfg_.auth_algorithms.push_back(std::move(s));
        }
      } else if (k == "nonce_secret") {
        if (!(err = string(n, k, cfg_.auth_nonce_secret)) && !cfg_.auth_nonce_secret.empty() &&
            cfg_.auth_nonce_secret.size() < 16)
          err = error(n, "nonce_secret must hold at least 16 characters (or be empty: random)");
      } else {
        err = unknown(n, "auth", k);
      }
      if (err) return err;
    }
    return std::nullopt;
  }

  // A realm goes into a quoted-string of every challenge; "" means the default.
  static bool valid_realm(const std::string& realm) {
    for (unsigned char c : realm)
      if (c < 0x20 || c == 0x7F || c == '"' || c == '\\') return false;
    return true;
  }

  std::string_view name_;
  ServeConfig& cfg_;
};

}  // namespace

std::string ConfigError::text() const {
  std::string out;
  if (!file.empty()) {
    out = file;
    if (line) out += ":" + std::to_string(line);
    out += ": ";
  }
  return out + reason;
}

std::optional<ConfigError> load_config_text(std::string_view text, std::string_view name, ServeConfig& cfg) {
  // The packaged toml++ reports syntax errors by exception; none leaves this function.
  toml::table root;
  try {
    root = toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    return ConfigError{std::string(name), e.source().begin.line, std::string(e.description())};
  }
  return Reader(name, cfg).read(root);
}

std::optional<ConfigError> load_config_file(const std::string& path, ServeConfig& cfg) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return ConfigError{path, 0, "cannot read the file"};
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return ConfigError{path, 0, "cannot read the file"};
  return load_config_text(text.str(), path, cfg);
}

std::optional<ServeMode> parse_mode(std::string_view text) {
  if (text == "proxy") return ServeMode::kProxy;
  if (text == "redirect") return ServeMode::kRedirect;
  return std::nullopt;
}

std::optional<ConfigError> parse_listen(std::string_view text, ListenSpec& out) {
  auto bad = [&](std::string why) {
    return ConfigError{"", 0, "listen \"" + std::string(text) + "\": " + why};
  };
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos) return bad("expected TRANSPORT:IP:PORT, e.g. udp:127.0.0.1:5060");
  std::string transport(text.substr(0, colon));
  std::transform(transport.begin(), transport.end(), transport.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (transport != "udp" && transport != "tcp" && transport != "tls")
    return bad("transport must be udp, tcp or tls");
  std::string_view rest = text.substr(colon + 1);
  std::string address;
  std::string_view port_text;
  if (!rest.empty() && rest.front() == '[') {
    const std::size_t close = rest.find(']');
    if (close == std::string_view::npos || close + 1 >= rest.size() || rest[close + 1] != ':')
      return bad("an IPv6 address goes in brackets followed by :PORT, e.g. udp:[::1]:5060");
    address = std::string(rest.substr(1, close - 1));
    port_text = rest.substr(close + 2);
  } else {
    const std::size_t last = rest.rfind(':');
    if (last == std::string_view::npos) return bad("missing :PORT");
    address = std::string(rest.substr(0, last));
    port_text = rest.substr(last + 1);
  }
  bool v6 = false;
  if (!is_ip_literal(address, v6)) return bad("'" + address + "' is not an IPv4 or IPv6 address");
  if (v6 && rest.front() != '[') return bad("an IPv6 address goes in brackets, e.g. udp:[::1]:5060");
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc{} || end != port_text.data() + port_text.size() || port > 65535)
    return bad("port must be a number 0..65535");
  out = ListenSpec{std::move(transport), std::move(address), static_cast<std::uint16_t>(port)};
  return std::nullopt;
}

std::optional<ConfigError> check_config(ServeConfig& cfg) {
  auto bad = [](std::string why) { return ConfigError{"", 0, std::move(why)}; };
  const bool tls_files = !cfg.tls_certificate.empty() || !cfg.tls_private_key.empty();
  if (tls_files && (cfg.tls_certificate.empty() || cfg.tls_private_key.empty()))
    return bad("[tls] needs both certificate and private_key");
  if (cfg.listen.empty()) {
    cfg.listen = {{"udp", "127.0.0.1", 5060}, {"tcp", "127.0.0.1", 5060}};
    if (tls_files) cfg.listen.push_back({"tls", "127.0.0.1", 5061});
  }
  for (const ListenSpec& l : cfg.listen)
    if (l.transport == "tls" && !tls_files)
      return bad("listen tls:" + l.address + ":" + std::to_string(l.port) +
                 " needs [tls] certificate and private_key");
  // A transport's sockets share one port across addresses (workers bind them with SO_REUSEPORT).
  for (const ListenSpec& a : cfg.listen)
    for (const ListenSpec& b : cfg.listen) {
      if (a == b) continue;
      if (a.transport == b.transport && a.port != b.port)
        return bad("every " + a.transport + " listen address must use the same port (" +
                   std::to_string(a.port) + " and " + std::to_string(b.port) + " given)");
      if (a.transport != "tls" && b.transport != "tls" && a.port != b.port)
        return bad("UDP and TCP listen on the same port (RFC 3261 §18.2.1): " +
                   std::to_string(a.port) + " and " + std::to_string(b.port) + " given");
    }
  if (cfg.min_expires > cfg.max_expires)
    return bad("[registrar] min_expires (" + std::to_string(cfg.min_expires) +
               ") is larger than max_expires (" + std::to_string(cfg.max_expires) + ")");
  if (cfg.default_expires < cfg.min_expires || cfg.default_expires > cfg.max_expires)
    return bad("[registrar] default_expires must lie between min_expires and max_expires");
  if (cfg.t2 < cfg.t1) return bad("[timers] t2_ms must not be smaller than t1_ms");
  return std::nullopt;
}

std::string effective_realm(const ServeConfig& cfg) {
  if (!cfg.auth_realm.empty()) return cfg.auth_realm;
  if (!cfg.domains.empty()) return cfg.domains.front();
  if (!cfg.listen.empty()) return cfg.listen.front().address;
  return "127.0.0.1";
}

}  // namespace trapezoid::apps
