// How a worker's DNS client is set up: which servers, how long to wait, how much to cache.
//
//   ResolverConfig cfg;
//   cfg.servers = {"127.0.0.1:5353"};   // empty: the system's /etc/resolv.conf
//   cfg.timeout = std::chrono::milliseconds(500);
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace trapezoid::dns {

struct ResolverConfig {
  // "IP" or "IP:PORT" ("[v6]:PORT"), tried in order; empty: the system's resolver settings.
  std::vector<std::string> servers;
  // The first try's wait per server (later tries wait longer, as c-ares doubles it), and how
  // many rounds over the servers before a query fails.
  std::chrono::milliseconds timeout{2000};
  int tries = 2;
  // Answers kept per worker (least recently used out first); 0: no cache.
  std::size_t cache_entries = 4096;
  // RFC 2308: how long "no such name / no such record" is kept, at most (the zone's SOA
  // minimum when it is shorter).
  std::chrono::seconds negative_ttl{30};
  // Positive answers are kept at most this long, whatever their TTL.
  std::chrono::seconds max_ttl{3600};
};

}  // namespace trapezoid::dns
