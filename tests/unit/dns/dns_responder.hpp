// A small authoritative DNS server for tests: one UDP socket on 127.0.0.1 (ephemeral port),
// answering from a table of A, AAAA, CNAME, SRV and NAPTR records on its own thread. It can
// drop the queries for a name (a server that does not answer) or answer them with SERVFAIL;
// a name with no records at all is NXDOMAIN, a name with records of other types NODATA (both
// with a SOA in the authority section). It counts the queries it receives.
//
//   DnsResponder dns;
//   dns.add_srv("_sip._udp.example.test", 10, 50, 5070, "sip1.example.test");
//   dns.add_a("sip1.example.test", "127.0.0.1");
//   cfg.servers = {dns.server()};     // "127.0.0.1:PORT"
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace trapezoid::dns::testing {

class DnsResponder {
 public:
  static constexpr std::uint16_t kA = 1, kCname = 5, kSoa = 6, kAaaa = 28, kSrv = 33, kNaptr = 35;

  DnsResponder() {
    fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
    if (fd_ < 0) throw std::runtime_error("socket");
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) throw std::runtime_error("bind");
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~DnsResponder() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  DnsResponder(const DnsResponder&) = delete;
  DnsResponder& operator=(const DnsResponder&) = delete;

  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] std::string server() const { return "127.0.0.1:" + std::to_string(port_); }

  void add_a(const std::string& name, const std::string& ip, std::uint32_t ttl = 300) {
    std::vector<std::uint8_t> rdata(4);
    if (::inet_pton(AF_INET, ip.c_str(), rdata.data()) != 1) throw std::runtime_error("bad IPv4 " + ip);
    add(name, kA, ttl, rdata);
  }
  void add_aaaa(const std::string& name, const std::string& ip, std::uint32_t ttl = 300) {
    std::vector<std::uint8_t> rdata(16);
    if (::inet_pton(AF_INET6, ip.c_str(), rdata.data()) != 1) throw std::runtime_error("bad IPv6 " + ip);
    add(name, kAaaa, ttl, rdata);
  }
  void add_cname(const std::string& name, const std::string& target, std::uint32_t ttl = 300) {
    add(name, kCname, ttl, encode_name(target), target);
  }
  void add_srv(const std::string& name, std::uint16_t priority, std::uint16_t weight, std::uint16_t port,
               const std::string& target, std::uint32_t ttl = 300) {
    std::vector<std::uint8_t> rdata;
    put16(rdata, priority);
    put16(rdata, weight);
    put16(rdata, port);
    const std::vector<std::uint8_t> n = encode_name(target);
    rdata.insert(rdata.end(), n.begin(), n.end());
    add(name, kSrv, ttl, rdata, target);
  }
  void add_naptr(const std::string& name, std::uint16_t order, std::uint16_t preference, const std::string& flags,
                 const std::string& services, const std::string& replacement, std::uint32_t ttl = 300) {
    std::vector<std::uint8_t> rdata;
    put16(rdata, order);
    put16(rdata, preference);
    for (const std::string* s : {&flags, &services}) {
      rdata.push_back(static_cast<std::uint8_t>(s->size()));
      rdata.insert(rdata.end(), s->begin(), s->end());
    }
    rdata.push_back(0);  // empty regexp
    const std::vector<std::uint8_t> n = encode_name(replacement);
    rdata.insert(rdata.end(), n.begin(), n.end());
    add(name, kNaptr, ttl, rdata);
  }

  // Queries for `name` get no answer at all.
  void drop(const std::string& name) {
    std::lock_guard lock(mu_);
    dropped_.insert(lower(name));
  }
  // Queries for `name` get SERVFAIL.
  void servfail(const std::string& name) {
    std::lock_guard lock(mu_);
    servfail_.insert(lower(name));
  }
  // SRV answers carry the A/AAAA records of their targets in the additional section.
  void set_additional(bool on) {
    std::lock_guard lock(mu_);
    additional_ = on;
  }

  [[nodiscard]] int queries() const {
    std::lock_guard lock(mu_);
    int n = 0;
    for (const auto& [k, v] : counts_) n += v;
    return n;
  }
  [[nodiscard]] int queries(const std::string& name, std::uint16_t type) const {
    std::lock_guard lock(mu_);
    auto it = counts_.find({lower(name), type});
    return it == counts_.end() ? 0 : it->second;
  }

 private:
  struct Record {
    std::uint16_t type;
    std::uint32_t ttl;
    std::vector<std::uint8_t> rdata;
    std::string target;  // CNAME / SRV target, for chasing and additional records
  };

  static std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
  }
  static void put16(std::vector<std::uint8_t>& out, std::uint16_t v) {
    out.push_back(static_cast<std::uint8_t>(v >> 8));
    out.push_back(static_cast<std::uint8_t>(v & 0xff));
  }
  static void put32(std::vector<std::uint8_t>& out, std::uint32_t v) {
    put16(out, static_cast<std::uint16_t>(v >> 16));
    put16(out, static_cast<std::uint16_t>(v & 0xffff));
  }
  static std::vector<std::uint8_t> encode_name(const std::string& name) {
    std::vector<std::uint8_t> out;
    std::size_t start = 0;
    const std::string n = lower(name);
    while (start < n.size()) {
      std::size_t dot = n.find('.', start);
      if (dot == std::string::npos) dot = n.size();
      out.push_back(static_cast<std::uint8_t>(dot - start));
      out.insert(out.end(), n.begin() + static_cast<std::ptrdiff_t>(start), n.begin() + static_cast<std::ptrdiff_t>(dot));
      start = dot + 1;
    }
    out.push_back(0);
    return out;
  }
  void add(const std::string& name, std::uint16_t type, std::uint32_t ttl, std::vector<std::uint8_t> rdata,
           std::string target = {}) {
    std::lock_guard lock(mu_);
    zone_[lower(name)].push_back(Record{type, ttl, std::move(rdata), lower(target)});
  }
  static void put_record(std::vector<std::uint8_t>& out, const std::string& owner, const Record& r) {
    const std::vector<std::uint8_t> n = encode_name(owner);
    out.insert(out.end(), n.begin(), n.end());
    put16(out, r.type);
    put16(out, 1);
    put32(out, r.ttl);
    put16(out, static_cast<std::uint16_t>(r.rdata.size()));
    out.insert(out.end(), r.rdata.begin(), r.rdata.end());
  }

  void serve() {
    std::vector<std::uint8_t> buf(4096);
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      sockaddr_in from{};
      socklen_t len = sizeof from;
      const ssize_t n = ::recvfrom(fd_, buf.data(), buf.size(), 0, reinterpret_cast<sockaddr*>(&from), &len);
      if (n < 12) continue;
      std::vector<std::uint8_t> reply;
      if (!answer(std::vector<std::uint8_t>(buf.begin(), buf.begin() + n), reply)) continue;
      (void)::sendto(fd_, reply.data(), reply.size(), 0, reinterpret_cast<sockaddr*>(&from), len);
    }
  }

  // Builds the reply to one query; false to stay silent.
  bool answer(const std::vector<std::uint8_t>& q, std::vector<std::uint8_t>& out) {
    std::size_t at = 12;
    std::string qname;
    while (at < q.size() && q[at] != 0) {
      const std::size_t l = q[at];
      if (at + 1 + l > q.size()) return false;
      if (!qname.empty()) qname += '.';
      qname.append(reinterpret_cast<const char*>(&q[at + 1]), l);
      at += 1 + l;
    }
    if (at + 5 > q.size()) return false;
    const std::size_t question_end = at + 5;
    const std::uint16_t qtype = static_cast<std::uint16_t>((q[at + 1] << 8) | q[at + 2]);
    qname = lower(qname);

    std::lock_guard lock(mu_);
    ++counts_[{qname, qtype}];
    if (dropped_.count(qname) != 0) return false;

    std::vector<std::pair<std::string, Record>> answers, additional;
    int rcode = 0;
    if (servfail_.count(qname) != 0) {
      rcode = 2;
    } else if (zone_.count(qname) == 0) {
      rcode = 3;  // NXDOMAIN
    } else {
      std::string name = qname;
      for (int hop = 0; hop < 8 && zone_.count(name) != 0; ++hop) {
        const std::vector<Record>& rs = zone_.at(name);
        bool matched = false;
        for (const Record& r : rs)
          if (r.type == qtype) {
            answers.emplace_back(name, r);
            matched = true;
          }
        if (matched) break;
        const auto alias = std::find_if(rs.begin(), rs.end(), [](const Record& r) { return r.type == kCname; });
        if (alias == rs.end()) break;
        answers.emplace_back(name, *alias);
        name = alias->target;
      }
      if (additional_)
        for (const auto& [owner, r] : answers)
          if (r.type == kSrv && zone_.count(r.target) != 0)
            for (const Record& extra : zone_.at(r.target))
              if (extra.type == kA || extra.type == kAaaa) additional.emplace_back(r.target, extra);
    }

    out.assign(q.begin(), q.begin() + 2);                              // id
    out.push_back(static_cast<std::uint8_t>(0x84 | (q[2] & 0x01)));   // QR, AA, RD copied
    out.push_back(static_cast<std::uint8_t>(0x80 | rcode));           // RA, rcode
    const bool negative = rcode == 3 || (rcode == 0 && answers.empty());
    put16(out, 1);
    put16(out, static_cast<std::uint16_t>(answers.size()));
    put16(out, negative ? 1 : 0);
    put16(out, static_cast<std::uint16_t>(additional.size()));
    out.insert(out.end(), q.begin() + 12, q.begin() + static_cast<std::ptrdiff_t>(question_end));
    for (const auto& [owner, r] : answers) put_record(out, owner, r);
    if (negative) {
      // RFC 2308: the zone's SOA, its minimum field the negative TTL (60 s).
      Record soa{kSoa, 60, {}, {}};
      for (const char* n : {"ns.test", "admin.test"}) {
        const std::vector<std::uint8_t> e = encode_name(n);
        soa.rdata.insert(soa.rdata.end(), e.begin(), e.end());
      }
      for (std::uint32_t v : {1u, 3600u, 600u, 86400u, 60u}) put32(soa.rdata, v);
      put_record(out, "test", soa);
    }
    for (const auto& [owner, r] : additional) put_record(out, owner, r);
    return true;
  }

  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  mutable std::mutex mu_;
  std::map<std::string, std::vector<Record>> zone_;
  std::set<std::string> dropped_;
  std::set<std::string> servfail_;
  bool additional_ = false;
  std::map<std::pair<std::string, std::uint16_t>, int> counts_;
};

}  // namespace trapezoid::dns::testing
