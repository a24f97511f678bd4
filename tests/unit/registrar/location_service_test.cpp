#include "registrar/location_service.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "recording_sink.hpp"

namespace trapezoid::registrar {
namespace {

using testing::RecordingSink;
using testing::SinkEvent;

constexpr std::string_view kAlice = "sip:alice@atlanta.com";

Binding binding(std::string_view contact, UnixSeconds expires_at, int q = -1, UnixSeconds updated_at = 0) {
  Binding b;
  b.contact = contact;
  b.call_id = "call-1";
  b.cseq = 1;
  b.expires_at = expires_at;
  b.q = q;
  b.updated_at = updated_at;
  return b;
}

// Adds bindings to `aor` through update(), as a registrar would.
UpdateResult add(LocationService& s, std::string_view aor, UnixSeconds now, std::vector<Binding> bindings) {
  return s.update(aor, now, [&](std::span<const StoredBinding>, BindingEdit& edit) {
    for (Binding& b : bindings) edit.writes.push_back({BindingEdit::kNew, std::move(b)});
    return true;
  });
}

LocationServiceConfig with_shards(std::size_t n) {
  LocationServiceConfig c;
  c.shard_count = n;
  return c;
}

std::vector<std::string> contacts_of(const std::vector<Binding>& bindings) {
  std::vector<std::string> out;
  for (const Binding& b : bindings) out.push_back(b.contact);
  return out;
}

TEST(LocationServiceDomains, ConfiguredDomainsAndOwnAddresses) {
  LocationService s({.domains = {"Atlanta.com", "biloxi.com"},
                     .own_addresses = {"192.0.2.10", "[2001:db8::10]", "::1", "sip1.atlanta.com"}});
  EXPECT_TRUE(s.is_local_domain("atlanta.com"));
  EXPECT_TRUE(s.is_local_domain("ATLANTA.COM"));
  EXPECT_TRUE(s.is_local_domain("biloxi.com"));
  EXPECT_FALSE(s.is_local_domain("chicago.com"));
  EXPECT_FALSE(s.is_local_domain("sub.atlanta.com"));
  EXPECT_TRUE(s.is_local_domain("192.0.2.10"));
  EXPECT_FALSE(s.is_local_domain("192.0.2.11"));
  EXPECT_TRUE(s.is_local_domain("[2001:DB8:0:0::10]"));  // by value
  EXPECT_TRUE(s.is_local_domain("[::1]"));
  EXPECT_TRUE(s.is_local_domain("[0:0:0:0:0:0:0:1]"));
  EXPECT_FALSE(s.is_local_domain("[2001:db8::11]"));
  EXPECT_TRUE(s.is_local_domain("SIP1.atlanta.com"));
}

TEST(LocationServiceDomains, EmptyListMakesEveryDomainLocal) {
  LocationService s({});
  EXPECT_TRUE(s.is_local_domain("anything.example"));
  EXPECT_TRUE(s.is_local_domain("198.51.100.7"));
}

TEST(LocationService, UnknownAor) {
  LocationService s({});
  EXPECT_FALSE(s.is_known(kAlice));
  EXPECT_TRUE(s.lookup(kAlice, 0).empty());
}

TEST(LocationService, AddedBindingIsLookedUpWithEveryField) {
  RecordingSink sink;
  LocationService s({}, &sink);
  Binding b = binding("sip:alice@192.0.2.4", 1000, 500, 10);
  b.path = "<sip:p1.example.com;lr>";
  b.received = "tcp:[2001:db8::4]:5061";
  b.instance = "<urn:uuid:1>";
  b.user_agent = "UA/1";
  const UpdateResult r = add(s, kAlice, 10, {b});
  ASSERT_TRUE(r.committed);
  ASSERT_EQ(r.changes.size(), 1u);
  EXPECT_EQ(r.changes[0], (BindingChange{BindingChange::Kind::kAdded, "sip:alice@192.0.2.4"}));

  b.aor = kAlice;
  ASSERT_EQ(r.bindings.size(), 1u);
  EXPECT_EQ(r.bindings[0], b);
  const std::vector<Binding> found = s.lookup(kAlice, 500);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0], b);
  EXPECT_TRUE(s.is_known(kAlice));

  const auto events = sink.events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, SinkEvent::Kind::kUpsert);
  EXPECT_EQ(events[0].binding, b);
}

TEST(LocationService, LookupOrdersByQThenMostRecentlyUpdated) {
  LocationService s({});
  ASSERT_TRUE(add(s, kAlice, 0,
                  {binding("sip:a@192.0.2.1", 1000, 500, 10), binding("sip:b@192.0.2.1", 1000, -1, 5),
                   binding("sip:c@192.0.2.1", 1000, 1000, 7), binding("sip:d@192.0.2.1", 1000, 500, 20),
                   binding("sip:e@192.0.2.1", 1000, 0, 30)})
                  .committed);
  // No q counts as 1.0: c (1.0, t=7), b (none, t=5), then d (0.5, t=20), a (0.5, t=10), e (0).
  const std::vector<std::string> expected = {"sip:c@192.0.2.1", "sip:b@192.0.2.1", "sip:d@192.0.2.1",
                                             "sip:a@192.0.2.1", "sip:e@192.0.2.1"};
  EXPECT_EQ(contacts_of(s.lookup(kAlice, 1)), expected);
}

TEST(LocationService, ExpiredBindingsAreNotLookedUp) {
  LocationService s({});
  ASSERT_TRUE(add(s, kAlice, 0, {binding("sip:a@192.0.2.1", 100), binding("sip:b@192.0.2.1", 200)}).committed);
  EXPECT_EQ(s.lookup(kAlice, 99).size(), 2u);
  EXPECT_EQ(contacts_of(s.lookup(kAlice, 100)), std::vector<std::string>{"sip:b@192.0.2.1"});
  EXPECT_TRUE(s.lookup(kAlice, 200).empty());
  EXPECT_TRUE(s.is_known(kAlice));
}

TEST(LocationService, RefusedDecisionChangesNothing) {
  RecordingSink sink;
  LocationService s({}, &sink);
  ASSERT_TRUE(add(s, kAlice, 0, {binding("sip:a@192.0.2.1", 100)}).committed);
  sink.take();
  const UpdateResult r = s.update(kAlice, 1, [](std::span<const StoredBinding> live, BindingEdit& edit) {
    EXPECT_EQ(live.size(), 1u);
    edit.removals.push_back(0);
    edit.writes.push_back({BindingEdit::kNew, binding("sip:z@192.0.2.1", 100)});
    return false;  // e.g. an out-of-order CSeq found after the edit was half built
  });
  EXPECT_FALSE(r.committed);
  EXPECT_TRUE(r.changes.empty());
  EXPECT_TRUE(r.bindings.empty());
  EXPECT_EQ(contacts_of(s.lookup(kAlice, 1)), std::vector<std::string>{"sip:a@192.0.2.1"});
  EXPECT_TRUE(sink.events().empty());
}

TEST(LocationService, InconsistentEditIsRefused) {
  LocationService s({});
  ASSERT_TRUE(add(s, kAlice, 0, {binding("sip:a@192.0.2.1", 100)}).committed);
  auto try_edit = [&](BindingEdit proposed) {
    return s.update(kAlice, 1, [&](std::span<const StoredBinding>, BindingEdit& edit) {
      edit = std::move(proposed);
      return true;
    });
  };
  BindingEdit out_of_range;
  out_of_range.removals = {1};
  EXPECT_FALSE(try_edit(std::move(out_of_range)).committed);
  BindingEdit twice;
  twice.removals = {0};
  twice.writes.push_back({0, binding("sip:a@192.0.2.1", 300)});
  EXPECT_FALSE(try_edit(std::move(twice)).committed);
  EXPECT_EQ(s.lookup(kAlice, 1).at(0).expires_at, 100);
}

TEST(LocationService, QueryOrRemovalForUnknownAorLeavesNoTrace) {
  LocationService s({});
  const UpdateResult r = s.update(kAlice, 0, [](std::span<const StoredBinding> live, BindingEdit&) {
    EXPECT_TRUE(live.empty());
    return true;
  });
  EXPECT_TRUE(r.committed);
  EXPECT_FALSE(s.is_known(kAlice));
  EXPECT_EQ(s.counts().known_aors, 0u);
}

TEST(LocationService, AorStaysKnownAfterItsLastBindingIsRemoved) {
  RecordingSink sink;
  LocationService s({}, &sink);
  ASSERT_TRUE(add(s, kAlice, 0, {binding("sip:a@192.0.2.1", 100)}).committed);
  const UpdateResult r = s.update(kAlice, 1, [](std::span<const StoredBinding>, BindingEdit& edit) {
    edit.removals.push_back(0);
    return true;
  });
  ASSERT_TRUE(r.committed);
  EXPECT_EQ(r.changes, (std::vector<BindingChange>{{BindingChange::Kind::kRemoved, "sip:a@192.0.2.1"}}));
  EXPECT_TRUE(r.bindings.empty());
  EXPECT_TRUE(s.is_known(kAlice));
  EXPECT_TRUE(s.lookup(kAlice, 1).empty());
  const auto c = s.counts();
  EXPECT_EQ(c.known_aors, 1u);
  EXPECT_EQ(c.bound_aors, 0u);
  EXPECT_EQ(c.bindings, 0u);
  const auto events = sink.events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].kind, SinkEvent::Kind::kRemove);
  EXPECT_EQ(events[1].aor, kAlice);
  EXPECT_EQ(events[1].contact, "sip:a@192.0.2.1");
}

TEST(LocationService, SinkHearsRemovalsThenWritesAndAContactRespelled) {
  RecordingSink sink;
  LocationService s({}, &sink);
  ASSERT_TRUE(add(s, kAlice, 0, {binding("sip:a@192.0.2.1", 100), binding("sip:b@HOST.example", 100)}).committed);
  sink.take();
  // b is refreshed under another spelling of the same URI (§19.1.4), a removed, c added.
  const UpdateResult r = s.update(kAlice, 1, [](std::span<const StoredBinding> live, BindingEdit& edit) {
    EXPECT_EQ(live[0].contact(), "sip:a@192.0.2.1");
    edit.writes.push_back({1, binding("sip:b@host.example", 500)});
    edit.writes.push_back({BindingEdit::kNew, binding("sip:c@192.0.2.1", 500)});
    edit.removals.push_back(0);
    return true;
  });
  ASSERT_TRUE(r.committed);
  EXPECT_EQ(r.changes, (std::vector<BindingChange>{{BindingChange::Kind::kRemoved, "sip:a@192.0.2.1"},
                                                   {BindingChange::Kind::kRefreshed, "sip:b@host.example"},
                                                   {BindingChange::Kind::kAdded, "sip:c@192.0.2.1"}}));
  const auto events = sink.events();
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].kind, SinkEvent::Kind::kRemove);
  EXPECT_EQ(events[0].contact, "sip:a@192.0.2.1");
  // The store keys bindings by contact text: the old spelling goes, the new one comes.
  EXPECT_EQ(events[1].kind, SinkEvent::Kind::kRemove);
  EXPECT_EQ(events[1].contact, "sip:b@HOST.example");
  EXPECT_EQ(events[2].kind, SinkEvent::Kind::kUpsert);
  EXPECT_EQ(events[2].contact, "sip:b@host.example");
  EXPECT_EQ(events[2].binding.aor, kAlice);
  EXPECT_EQ(events[3].kind, SinkEvent::Kind::kUpsert);
  EXPECT_EQ(events[3].contact, "sip:c@192.0.2.1");
  EXPECT_EQ(s.counts().bindings, 2u);
}

TEST(LocationService, ExpireRemovesReportsAndKeepsTheAorKnown) {
  RecordingSink sink;
  LocationService s(with_shards(4), &sink);
  ASSERT_TRUE(add(s, kAlice, 0, {binding("sip:a@192.0.2.1", 100), binding("sip:b@192.0.2.1", 300)}).committed);
  ASSERT_TRUE(add(s, "sip:bob@biloxi.com", 0, {binding("sip:bob@192.0.2.2", 150)}).committed);
  sink.take();

  EXPECT_TRUE(s.expire(99).empty());
  std::vector<Binding> gone = s.expire(150);
  ASSERT_EQ(gone.size(), 2u);
  std::sort(gone.begin(), gone.end(), [](const Binding& x, const Binding& y) { return x.contact < y.contact; });
  EXPECT_EQ(gone[0].aor, kAlice);
  EXPECT_EQ(gone[0].contact, "sip:a@192.0.2.1");
  EXPECT_EQ(gone[1].aor, "sip:bob@biloxi.com");
  EXPECT_EQ(sink.take().size(), 2u);

  auto c = s.counts();
  EXPECT_EQ(c.bindings, 1u);
  EXPECT_EQ(c.bound_aors, 1u);
  EXPECT_EQ(c.known_aors, 2u);
  EXPECT_TRUE(s.is_known("sip:bob@biloxi.com"));
  EXPECT_TRUE(s.expire(150).empty());
  EXPECT_EQ(s.expire(300).size(), 1u);
  c = s.counts();
  EXPECT_EQ(c.bindings, 0u);
  EXPECT_EQ(c.bound_aors, 0u);
}

TEST(LocationService, ExpireFindsABindingAddedAfterTheLastSweep) {
  LocationService s(with_shards(1));
  ASSERT_TRUE(add(s, kAlice, 0, {binding("sip:a@192.0.2.1", 1000)}).committed);
  EXPECT_TRUE(s.expire(500).empty());  // the shard's next expiry is now 1000
  ASSERT_TRUE(add(s, "sip:bob@biloxi.com", 500, {binding("sip:b@192.0.2.1", 600)}).committed);
  const std::vector<Binding> gone = s.expire(700);
  ASSERT_EQ(gone.size(), 1u);
  EXPECT_EQ(gone[0].contact, "sip:b@192.0.2.1");
  EXPECT_EQ(s.expire(1000).size(), 1u);
}

TEST(LocationService, UpdateReapsExpiredBindingsFirst) {
  RecordingSink sink;
  LocationService s({}, &sink);
  ASSERT_TRUE(add(s, kAlice, 0, {binding("sip:a@192.0.2.1", 100), binding("sip:b@192.0.2.1", 300)}).committed);
  sink.take();
  const UpdateResult r = s.update(kAlice, 200, [](std::span<const StoredBinding> live, BindingEdit&) {
    EXPECT_EQ(live.size(), 1u);
    return false;
  });
  EXPECT_FALSE(r.committed);
  EXPECT_EQ(r.changes, (std::vector<BindingChange>{{BindingChange::Kind::kExpired, "sip:a@192.0.2.1"}}));
  const auto events = sink.events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, SinkEvent::Kind::kRemove);
  EXPECT_EQ(s.counts().bindings, 1u);
}

TEST(LocationService, LoadTellsTheSinkNothingAndReplacesTheSameContact) {
  RecordingSink sink;
  LocationService s({}, &sink);
  Binding a = binding("sip:a@HOST.example", 100);
  a.aor = kAlice;
  Binding a_again = binding("sip:a@host.example", 400);  // the same URI (§19.1.4)
  a_again.aor = kAlice;
  Binding b = binding("sip:bob@192.0.2.2", 200);
  b.aor = "sip:bob@biloxi.com";
  Binding orphan = binding("sip:x@192.0.2.9", 200);  // no aor
  const std::vector<Binding> stored = {a, b, a_again, orphan};
  EXPECT_EQ(s.load(stored), 3u);
  EXPECT_TRUE(sink.events().empty());
  const std::vector<Binding> alice = s.lookup(kAlice, 0);
  ASSERT_EQ(alice.size(), 1u);
  EXPECT_EQ(alice[0], a_again);
  EXPECT_EQ(s.lookup("sip:bob@biloxi.com", 0).at(0), b);
  const auto c = s.counts();
  EXPECT_EQ(c.bindings, 2u);
  EXPECT_EQ(c.bound_aors, 2u);
  // Loaded bindings expire like any other, and the sink (the store) hears of it.
  EXPECT_EQ(s.expire(250).size(), 1u);
  EXPECT_EQ(sink.events().size(), 1u);
}

TEST(LocationService, AddKnownMarksWithoutBinding) {
  RecordingSink sink;
  LocationService s({}, &sink);
  const std::vector<std::string> known = {"sip:carol@chicago.com", "sip:dave@chicago.com"};
  s.add_known(known);
  s.add_known("");
  EXPECT_TRUE(s.is_known("sip:carol@chicago.com"));
  EXPECT_TRUE(s.is_known("sip:dave@chicago.com"));
  EXPECT_FALSE(s.is_known(""));
  EXPECT_TRUE(s.lookup("sip:carol@chicago.com", 0).empty());
  const auto c = s.counts();
  EXPECT_EQ(c.known_aors, 2u);
  EXPECT_EQ(c.bound_aors, 0u);
  EXPECT_TRUE(sink.events().empty());
  // Binding a known AoR later works as usual.
  ASSERT_TRUE(add(s, "sip:carol@chicago.com", 0, {binding("sip:carol@192.0.2.3", 100)}).committed);
  EXPECT_EQ(s.counts().bound_aors, 1u);
}

TEST(LocationService, OneShardHoldsManyAors) {
  LocationService s(with_shards(0));  // taken as 1
  for (int i = 0; i < 200; ++i) {
    const std::string aor = "sip:user" + std::to_string(i) + "@atlanta.com";
    ASSERT_TRUE(add(s, aor, 0, {binding("sip:u@192.0.2." + std::to_string(i % 250), 100 + i)}).committed);
  }
  EXPECT_EQ(s.counts().bindings, 200u);
  EXPECT_EQ(s.expire(150).size(), 51u);  // expires_at 100..150
  EXPECT_EQ(s.counts().bindings, 149u);
}

}  // namespace
}  // namespace trapezoid::registrar
