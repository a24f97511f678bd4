#include "store/pending_changes.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "store/retry_backoff.hpp"
#include "store_test_support.hpp"

namespace trapezoid::store {
namespace {

using registrar::Binding;
using test::make_binding;

TEST(PendingChanges, TheLastChangePerAorAndContactWins) {
  PendingChanges pending;
  Binding a0 = make_binding(1, 0), a1 = make_binding(1, 1), a2 = make_binding(1, 2);
  Binding b = make_binding(2);
  pending.upsert(a0);
  pending.upsert(b);
  pending.upsert(a1);
  pending.remove(a1.aor, a1.contact);
  pending.upsert(a2);  // re-registered after the removal
  pending.remove(b.aor, b.contact);
  EXPECT_EQ(pending.size(), 2u);

  std::vector<BindingChange> batch = pending.take();
  EXPECT_TRUE(pending.empty());
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_EQ(batch[0], BindingChange::upsert(a2));
  EXPECT_EQ(batch[1], BindingChange::remove(b.aor, b.contact));
}

TEST(PendingChanges, TheSameContactUnderAnotherAorIsAnotherBinding) {
  PendingChanges pending;
  Binding a = make_binding(1);
  Binding other = a;
  other.aor = "sip:someone-else@atlanta.example.com";
  pending.upsert(a);
  pending.upsert(other);
  pending.remove(other.aor, a.contact);
  EXPECT_EQ(pending.size(), 2u);
}

TEST(PendingChanges, TakeIsOrderedByAorThenContact) {
  PendingChanges pending;
  for (int i : {8, 3, 5, 0, 7}) pending.upsert(make_binding(i));
  std::vector<BindingChange> batch = pending.take();
  ASSERT_EQ(batch.size(), 5u);
  for (std::size_t i = 1; i < batch.size(); ++i) {
    const Binding& x = batch[i - 1].binding;
    const Binding& y = batch[i].binding;
    EXPECT_TRUE(x.aor < y.aor || (x.aor == y.aor && x.contact < y.contact));
  }
  EXPECT_TRUE(pending.take().empty());
}

TEST(PendingChanges, RestoreKeepsNewerChangesQueuedSinceTheTake) {
  PendingChanges pending;
  Binding a0 = make_binding(1, 0), a1 = make_binding(1, 1);
  Binding b = make_binding(2), c = make_binding(3);
  pending.upsert(a0);
  pending.upsert(b);
  std::vector<BindingChange> failed = pending.take();

  pending.upsert(a1);                     // newer than the failed a0
  pending.remove(c.aor, c.contact);       // unrelated
  pending.restore(std::move(failed));
  EXPECT_TRUE(failed.empty());

  std::vector<BindingChange> batch = pending.take();
  ASSERT_EQ(batch.size(), 3u);
  EXPECT_EQ(batch[0], BindingChange::upsert(a1));
  EXPECT_EQ(batch[1], BindingChange::upsert(b));
  EXPECT_EQ(batch[2], BindingChange::remove(c.aor, c.contact));
}

TEST(BindingProblem, NamesWhatTheStoreCannotHold) {
  Binding b = make_binding(1);
  EXPECT_EQ(binding_problem(BindingChange::upsert(b)), "");
  b.q = -2;
  EXPECT_NE(binding_problem(BindingChange::upsert(b)).find("q -2"), std::string::npos);
  b.q = 0;
  b.aor.clear();
  EXPECT_EQ(binding_problem(BindingChange::upsert(b)), "empty address-of-record");
  EXPECT_NE(binding_problem(BindingChange::remove("sip:a@h", "")).find("empty contact"), std::string::npos);
  // A removal carries no q: only its key matters.
  EXPECT_EQ(binding_problem(BindingChange::remove("sip:a@h", "sip:a@192.0.2.1")), "");
}

TEST(RetryBackoff, DoublesUpToTheMaximumAndResets) {
  using std::chrono::milliseconds;
  RetryBackoff backoff(milliseconds(100), milliseconds(1000));
  EXPECT_EQ(backoff.next(), milliseconds(100));
  EXPECT_EQ(backoff.next(), milliseconds(200));
  EXPECT_EQ(backoff.next(), milliseconds(400));
  EXPECT_EQ(backoff.next(), milliseconds(800));
  EXPECT_EQ(backoff.next(), milliseconds(1000));
  EXPECT_EQ(backoff.next(), milliseconds(1000));
  EXPECT_EQ(backoff.failures(), 6u);
  backoff.reset();
  EXPECT_EQ(backoff.failures(), 0u);
  EXPECT_EQ(backoff.next(), milliseconds(100));
}

TEST(RetryBackoff, ZeroOrInvertedLimitsStillMakeProgress) {
  using std::chrono::milliseconds;
  RetryBackoff zero(milliseconds(0), milliseconds(0));
  EXPECT_EQ(zero.next(), milliseconds(1));  // never a busy loop
  RetryBackoff inverted(milliseconds(50), milliseconds(10));
  EXPECT_EQ(inverted.next(), milliseconds(50));
  EXPECT_EQ(inverted.next(), milliseconds(50));
}

}  // namespace
}  // namespace trapezoid::store
