// Several threads registering and looking up at once, as the server's workers do: the result
// must be what each thread's own sequence of REGISTERs implies, every lookup must see a
// consistent set, and the sink must hear each change exactly once.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "register_messages.hpp"
#include "registrar/registrar.hpp"

namespace trapezoid::registrar {
namespace {

using testing::parse_message;
using testing::RegisterText;

constexpr int kThreads = 4;
constexpr int kAorsPerThread = 50;
constexpr int kSharedAors = 5;
constexpr int kRounds = 20;
constexpr UnixSeconds kT0 = 1700000000;

class CountingSink final : public BindingSink {
 public:
  void on_upsert(const Binding&) override { upserts.fetch_add(1, std::memory_order_relaxed); }
  void on_remove(std::string_view, std::string_view) override { removes.fetch_add(1, std::memory_order_relaxed); }
  std::atomic<int> upserts{0};
  std::atomic<int> removes{0};
};

std::string own_aor(int thread, int i) { return "sip:u" + std::to_string(thread) + "_" + std::to_string(i) + "@biloxi.com"; }
std::string shared_aor(int j) { return "sip:shared" + std::to_string(j) + "@biloxi.com"; }
std::string own_contact(int thread, int i, int slot) {
  return "sip:u@10." + std::to_string(thread) + "." + std::to_string(i) + "." + std::to_string(slot);
}

// Checks what a lookup may ever return: live bindings, each contact once, in q order, within
// the contact limit.
bool consistent(const std::vector<Binding>& bindings, std::string_view aor, UnixSeconds now) {
  std::set<std::string> seen;
  int previous_q = 1000;
  for (const Binding& b : bindings) {
    if (b.aor != aor || b.expires_at <= now || !seen.insert(b.contact).second) return false;
    const int q = b.q < 0 ? 1000 : b.q;
    if (q > previous_q) return false;
    previous_q = q;
  }
  return bindings.size() <= 10;
}

TEST(RegistrarConcurrency, ManyThreadsManyAors) {
  CountingSink sink;
  LocationServiceConfig config;
  config.domains = {"biloxi.com"};
  LocationService service(config, &sink);
  const Registrar registrar(RegistrarConfig{}, service);

  std::atomic<int> failures{0};
  std::atomic<int> inconsistent_lookups{0};
  auto worker = [&](int t) {
    std::uint32_t cseq = 1;
    auto register_once = [&](const std::string& aor, std::vector<std::string> contacts, UnixSeconds now) {
      RegisterText r;
      r.to = "<" + aor + ">";
      r.from = "<" + aor + ">;tag=t" + std::to_string(t);
      r.call_id = "thread-" + std::to_string(t);
      r.cseq = cseq++;
      r.contacts = std::move(contacts);
      const sip::Message msg = parse_message(r.text());
      const RegisterOutcome out = registrar.handle(msg, {.now = now, .source = "udp:192.0.2.4:5060", .to_tag = "x"});
      if (out.status != 200 || out.response.empty()) failures.fetch_add(1);
    };
    for (int round = 0; round < kRounds; ++round) {
      const UnixSeconds now = kT0 + round;
      for (int i = 0; i < kAorsPerThread; ++i) {
        // Bind slot round%4 (q varies), remove slot (round+2)%4.
        register_once(own_aor(t, i),
                      {"<" + own_contact(t, i, round % 4) + ">;expires=600;q=0." + std::to_string(round % 10),
                       "<" + own_contact(t, i, (round + 2) % 4) + ">;expires=0"},
                      now);
        // Read someone else's AoR meanwhile.
        const int other = (t + 1 + i) % kThreads;
        const std::string read = own_aor(other, (i * 7 + round) % kAorsPerThread);
        if (!consistent(service.lookup(read, now), read, now)) inconsistent_lookups.fetch_add(1);
      }
      for (int j = 0; j < kSharedAors; ++j) {
        register_once(shared_aor(j), {"<sip:t" + std::to_string(t) + "@192.0.2." + std::to_string(t) + ">;expires=600"},
                      now);
        if (!consistent(service.lookup(shared_aor(j), now), shared_aor(j), now)) inconsistent_lookups.fetch_add(1);
      }
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) threads.emplace_back(worker, t);
  for (std::thread& th : threads) th.join();

  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(inconsistent_lookups.load(), 0);

  // Each own AoR ends as its thread's sequence implies (a model of the same rounds).
  std::set<int> slots;
  int model_removes = 0;
  for (int round = 0; round < kRounds; ++round) {
    slots.insert(round % 4);
    model_removes += static_cast<int>(slots.erase((round + 2) % 4));
  }
  const UnixSeconds end = kT0 + kRounds;
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kAorsPerThread; ++i) {
      std::set<std::string> expected;
      for (int s : slots) expected.insert(own_contact(t, i, s));
      std::set<std::string> actual;
      for (const Binding& b : service.lookup(own_aor(t, i), end)) actual.insert(b.contact);
      ASSERT_EQ(actual, expected) << own_aor(t, i);
    }
  }
  for (int j = 0; j < kSharedAors; ++j) EXPECT_EQ(service.lookup(shared_aor(j), end).size(), std::size_t{kThreads});

  const LocationService::Counts counts = service.counts();
  const std::size_t own_aors = std::size_t{kThreads} * kAorsPerThread;
  EXPECT_EQ(counts.known_aors, own_aors + kSharedAors);
  EXPECT_EQ(counts.bound_aors, own_aors + kSharedAors);
  EXPECT_EQ(counts.bindings, own_aors * slots.size() + std::size_t{kSharedAors} * kThreads);

  // One upsert per contact written, one removal per binding removed: no more, no less.
  EXPECT_EQ(sink.upserts.load(), kThreads * kAorsPerThread * kRounds + kThreads * kSharedAors * kRounds);
  EXPECT_EQ(sink.removes.load(), kThreads * kAorsPerThread * model_removes);
}

TEST(RegistrarConcurrency, ExpireRunsAlongsideRegistersAndLookups) {
  CountingSink sink;
  LocationService service({}, &sink);
  const Registrar registrar(RegistrarConfig{}, service);
  std::atomic<bool> stop{false};
  std::atomic<int> added{0};
  std::atomic<int> refreshed{0};
  std::atomic<int> removed{0};  // by REGISTER, by reaping inside update(), or by expire()
  std::thread sweeper([&] {
    UnixSeconds now = kT0;
    while (!stop.load()) {
      removed.fetch_add(static_cast<int>(service.expire(now).size()));
      now += 10;
    }
  });
  std::vector<std::thread> writers;
  for (int t = 0; t < 3; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < 300; ++i) {
        const std::string aor = "sip:e" + std::to_string(t) + "_" + std::to_string(i % 30) + "@biloxi.com";
        RegisterText r;
        r.to = "<" + aor + ">";
        r.from = r.to + ";tag=1";
        r.call_id = "sweep-" + std::to_string(t);
        r.cseq = static_cast<std::uint32_t>(i + 1);
        r.contacts = {"<sip:x@192.0.2." + std::to_string(i % 7) + ">;expires=60"};
        const sip::Message msg = parse_message(r.text());
        const RegisterOutcome out =
            registrar.handle(msg, {.now = kT0 + i, .source = "udp:192.0.2.4:5060", .to_tag = "x"});
        EXPECT_EQ(out.status, 200);
        for (const BindingChange& c : out.changes) {
          switch (c.kind) {
            case BindingChange::Kind::kAdded: added.fetch_add(1); break;
            case BindingChange::Kind::kRefreshed: refreshed.fetch_add(1); break;
            case BindingChange::Kind::kRemoved:
            case BindingChange::Kind::kExpired: removed.fetch_add(1); break;
          }
        }
        EXPECT_TRUE(consistent(service.lookup(aor, kT0 + i), aor, kT0 + i));
      }
    });
  }
  for (std::thread& w : writers) w.join();
  stop.store(true);
  sweeper.join();
  removed.fetch_add(static_cast<int>(service.expire(kT0 + 1000000).size()));

  EXPECT_EQ(service.counts().bindings, 0u);
  EXPECT_GT(added.load(), 0);
  // Every binding added was removed exactly once, whoever removed it, and the sink heard each
  // write and each removal once.
  EXPECT_EQ(removed.load(), added.load());
  EXPECT_EQ(sink.removes.load(), removed.load());
  EXPECT_EQ(sink.upserts.load(), added.load() + refreshed.load());
  EXPECT_EQ(added.load() + refreshed.load(), 3 * 300);
}

}  // namespace
}  // namespace trapezoid::registrar
