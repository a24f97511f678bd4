#include "dns/sip_resolver.hpp"

#include <algorithm>
#include <random>
#include <utility>

#include "dns/ares_channel.hpp"
#include "dns/srv_order.hpp"
#include "dns/uri_target.hpp"
#include "sip/charset.hpp"

namespace trapezoid::dns {
namespace {

using transport::Target;
using transport::TransportKind;
using Targets = std::vector<Target>;

enum class SrvOutcome : std::uint8_t { kFound, kNone, kFailed };

// RFC 3263 §4.1: the SRV owner name for a transport ("_sips" for TLS, §4.2 last paragraph).
std::string srv_name(TransportKind kind, std::string_view host) {
  std::string name;
  switch (kind) {
    case TransportKind::kUdp: name = "_sip._udp."; break;
    case TransportKind::kTcp: name = "_sip._tcp."; break;
    case TransportKind::kTls: name = "_sips._tcp."; break;
  }
  name.append(host);
  return name;
}

// RFC 3263 §4.1 and its IANA registrations: the NAPTR services this element can use.
std::optional<TransportKind> naptr_transport(std::string_view services) {
  using sip::charset::iequals;
  if (iequals(services, "SIP+D2U")) return TransportKind::kUdp;
  if (iequals(services, "SIP+D2T")) return TransportKind::kTcp;
  if (iequals(services, "SIPS+D2T")) return TransportKind::kTls;
  return std::nullopt;
}

// Runs `n` steps that each produce a list, and passes their concatenation, in step order, to
// `then` once all have finished (steps may finish at once or later).
class Join {
 public:
  using Fill = std::function<void(Targets)>;
  static void run(std::size_t n, const std::function<void(std::size_t, Fill)>& step, std::function<void(Targets)> then) {
    if (n == 0) return then({});
    auto join = std::make_shared<Join>(n, std::move(then));
    for (std::size_t i = 0; i < n; ++i)
      step(i, [join, i](Targets got) { join->fill(i, std::move(got)); });
  }
  Join(std::size_t n, std::function<void(Targets)> then) : slots_(n), left_(n), then_(std::move(then)) {}

 private:
  void fill(std::size_t i, Targets got) {
    slots_[i] = std::move(got);
    if (--left_ != 0) return;
    Targets all;
    for (Targets& s : slots_)
      for (Target& t : s)
        if (all.size() < SipResolver::kMaxTargets) all.push_back(t);
    then_(std::move(all));
  }
  std::vector<Targets> slots_;
  std::size_t left_;
  std::function<void(Targets)> then_;
};

}  // namespace

struct SipResolver::Impl {
  Impl(std::unique_ptr<AresChannel> ch, const ResolverConfig& config, RecordLookup::Clock clock)
      : channel(std::move(ch)), lookup(*channel, config, std::move(clock)), rng(std::random_device{}()) {}

  bool supports(TransportKind kind) const noexcept {
    switch (kind) {
      case TransportKind::kUdp: return local.udp;
      case TransportKind::kTcp: return local.tcp;
      case TransportKind::kTls: return local.tls;
    }
    return false;
  }

  // RFC 3263 §4.2: the A and AAAA records of `host`, each address with `kind` and `port`.
  void addresses(const std::string& host, TransportKind kind, std::uint16_t port, std::function<void(Targets)> then) {
    std::vector<RecordType> types;
    if (local.ipv4) types.push_back(RecordType::kA);
    if (local.ipv6) types.push_back(RecordType::kAaaa);
    Join::run(
        types.size(),
        [this, host, kind, port, types](std::size_t i, Join::Fill fill) {
          lookup.lookup(host, types[i], [kind, port, fill = std::move(fill)](const LookupResult& r) {
            Targets out;
            for (const ResourceRecord& rr : r.records) {
              Target t;
              t.remote.transport = kind;
              t.remote.address = std::get<transport::IpAddress>(rr.data);
              t.remote.port = port;
              out.push_back(t);
            }
            fill(std::move(out));
          });
        },
        std::move(then));
  }

  // RFC 3263 §4.2 and RFC 2782: the servers of one SRV name, in order, with their addresses.
  void servers(const std::string& name, TransportKind kind, std::function<void(Targets, SrvOutcome)> then) {
    lookup.lookup(name, RecordType::kSrv, [this, kind, then = std::move(then)](const LookupResult& r) {
      if (r.status == QueryStatus::kFailed) return then({}, SrvOutcome::kFailed);
      if (r.records.empty()) return then({}, SrvOutcome::kNone);
      std::vector<SrvData> records;
      for (const ResourceRecord& rr : r.records) records.push_back(std::get<SrvData>(rr.data));
      // RFC 2782: a target of "." means the service is decidedly not available at this domain.
      std::erase_if(records, [](const SrvData& s) { return s.target == "."; });
      const std::vector<SrvData> ordered = order_srv(std::move(records), rng);
      Join::run(
          ordered.size(),
          [this, kind, ordered](std::size_t i, Join::Fill fill) {
            addresses(ordered[i].target, kind, ordered[i].port, std::move(fill));
          },
          [then](Targets all) { then(std::move(all), SrvOutcome::kFound); });
    });
  }

  // RFC 3263 §4.1: no port and no transport in the URI: NAPTR decides the transport.
  void by_naptr(const std::string& host, bool secure, Done done) {
    lookup.lookup(host, RecordType::kNaptr, [this, host, secure, done = std::move(done)](const LookupResult& r) mutable {
      // A server that does not answer will not answer the SRV queries either: give up now.
      if (r.status == QueryStatus::kFailed) return done({});
      struct Choice {
        std::uint16_t order, preference;
        TransportKind kind;
        std::string replacement;
      };
      std::vector<Choice> choices;
      for (const ResourceRecord& rr : r.records) {
        const auto& n = std::get<NaptrData>(rr.data);
        // §4.1: the "s" flag leads to SRV records; the services field names the transport;
        // unsupported services are discarded; a SIPS URI takes SIPS services only.
        if (!sip::charset::iequals(n.flags, "s")) continue;
        const std::optional<TransportKind> kind = naptr_transport(n.services);
        if (!kind || !supports(*kind) || (secure && *kind != TransportKind::kTls)) continue;
        choices.push_back(Choice{n.order, n.preference, *kind, n.replacement});
      }
      // §4.1: "the client first sorts them by order, then by preference" (RFC 3403 §4.1).
      std::stable_sort(choices.begin(), choices.end(), [](const Choice& a, const Choice& b) {
        return a.order != b.order ? a.order < b.order : a.preference < b.preference;
      });
      if (choices.empty()) return by_srv(host, secure, std::move(done));
      Join::run(
          choices.size(),
          [this, choices](std::size_t i, Join::Fill fill) {
            servers(choices[i].replacement, choices[i].kind, [fill = std::move(fill)](Targets t, SrvOutcome) { fill(std::move(t)); });
          },
          std::move(done));
    });
  }

  // RFC 3263 §4.1: no (usable) NAPTR: an SRV query per transport this element supports; none
  // found: the host's A/AAAA with UDP for SIP, TLS for SIPS, on the default port (§4.2).
  void by_srv(const std::string& host, bool secure, Done done) {
    std::vector<TransportKind> kinds;
    for (TransportKind k : {TransportKind::kUdp, TransportKind::kTcp, TransportKind::kTls})
      if (supports(k) && (!secure || k == TransportKind::kTls)) kinds.push_back(k);
    struct Tally {
      std::size_t found = 0;
      std::size_t failed = 0;
    };
    auto tally = std::make_shared<Tally>();
    Join::run(
        kinds.size(),
        [this, host, kinds, tally](std::size_t i, Join::Fill fill) {
          servers(srv_name(kinds[i], host), kinds[i], [tally, fill = std::move(fill)](Targets t, SrvOutcome o) {
            if (o == SrvOutcome::kFound) ++tally->found;
            if (o == SrvOutcome::kFailed) ++tally->failed;
            fill(std::move(t));
          });
        },
        [this, host, secure, tally, n = kinds.size(), done = std::move(done)](Targets all) mutable {
          if (tally->found > 0) return done(std::move(all));
          if (n > 0 && tally->failed == n) return done({});
          const TransportKind kind = secure ? TransportKind::kTls : TransportKind::kUdp;
          addresses(host, kind, transport::default_port(kind), std::move(done));
        });
  }

  std::unique_ptr<AresChannel> channel;
  RecordLookup lookup;
  std::mt19937 rng;
  LocalTransports local;
};

std::unique_ptr<SipResolver> SipResolver::create(boost::asio::io_context& io, const ResolverConfig& config,
                                                 std::string& error, RecordLookup::Clock clock) {
  std::unique_ptr<AresChannel> channel = AresChannel::create(io, config, error);
  if (!channel) return nullptr;
  return std::unique_ptr<SipResolver>(new SipResolver(std::make_unique<Impl>(std::move(channel), config, std::move(clock))));
}

SipResolver::SipResolver(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SipResolver::~SipResolver() = default;

void SipResolver::set_local_transports(const LocalTransports& local) noexcept { impl_->local = local; }

std::uint64_t SipResolver::queries_sent() const noexcept { return impl_->channel->queries_sent(); }

void SipResolver::resolve(const sip::Uri& uri, bool sips, Done done) {
  UriTarget u;
  if (!read_uri_target(uri, sips, u)) return done({});
  const TransportKind plain = u.secure ? TransportKind::kTls : TransportKind::kUdp;
  if (u.address) {
    // RFC 3263 §4: a numeric host is contacted as it is, no DNS.
    return done({*numeric_target(uri, sips)});
  }
  std::string host(u.host);
  if (!host.empty() && host.back() == '.') host.pop_back();
  if (host.empty()) return done({});
  if (u.port) {
    // §4.2: "If the TARGET was not a numeric IP address, but a port is present in the URI,
    // the client performs an A or AAAA record lookup of the domain name."
    return impl_->addresses(host, u.transport.value_or(plain), *u.port, std::move(done));
  }
  if (u.transport) {
    // §4.2: a transport given explicitly: an SRV query for that transport, then A/AAAA.
    const TransportKind kind = *u.transport;
    return impl_->servers(srv_name(kind, host), kind,
                          [impl = impl_.get(), host, kind, done = std::move(done)](Targets t, SrvOutcome o) mutable {
                            if (o == SrvOutcome::kNone)
                              return impl->addresses(host, kind, transport::default_port(kind), std::move(done));
                            done(std::move(t));
                          });
  }
  impl_->by_naptr(host, u.secure, std::move(done));
}

}  // namespace trapezoid::dns
