#include "sip/event_header.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace trapezoid::sip {
namespace {

Event must_parse_event(std::string_view v) {
  Event e;
  EXPECT_EQ(parse_event(v, e), "") << v;
  return e;
}

SubscriptionState must_parse_state(std::string_view v) {
  SubscriptionState s;
  EXPECT_EQ(parse_subscription_state(v, s), "") << v;
  return s;
}

bool event_ok(std::string_view v) {
  Event e;
  return parse_event(v, e).empty();
}

bool state_ok(std::string_view v) {
  SubscriptionState s;
  return parse_subscription_state(v, s).empty();
}

// --- Event ---------------------------------------------------------------------------------

TEST(EventHeader, PackageOnly) {
  Event e = must_parse_event("presence");
  EXPECT_EQ(e.type, "presence");
  EXPECT_EQ(e.package, "presence");
  EXPECT_EQ(e.templates, "");
  EXPECT_EQ(e.id, std::nullopt);
  EXPECT_TRUE(e.params().empty());
}

TEST(EventHeader, Templates) {
  Event e = must_parse_event("presence.winfo");
  EXPECT_EQ(e.package, "presence");
  EXPECT_EQ(e.templates, "winfo");
  e = must_parse_event("message-summary.a.b");
  EXPECT_EQ(e.type, "message-summary.a.b");
  EXPECT_EQ(e.package, "message-summary");
  EXPECT_EQ(e.templates, "a.b");
}

TEST(EventHeader, IdAndOtherParams) {
  // RFC 4235 dialog package style.
  Event e = must_parse_event("dialog;id=1234;call-id=\"a84b4c76e66710@pc33\";from-tag=x;flag");
  EXPECT_EQ(e.package, "dialog");
  EXPECT_EQ(e.id, "1234");
  ASSERT_EQ(e.params().size(), 3u);
  EXPECT_EQ(e.params()[0].name, "call-id");
  EXPECT_EQ(e.params()[0].value, "\"a84b4c76e66710@pc33\"");
  EXPECT_EQ(e.params()[2].name, "flag");
  EXPECT_EQ(e.params()[2].value, "");
  ASSERT_NE(e.find("FROM-TAG"), nullptr);
  EXPECT_EQ(e.find("from-tag")->value, "x");
  EXPECT_EQ(e.find("id"), nullptr);  // typed, not in params()
  EXPECT_EQ(e.find("missing"), nullptr);
}

TEST(EventHeader, GenValueForms) {
  Event e = must_parse_event("refer;host=192.0.2.1;v6=[2001:db8::1];q=\"a;b\\\"c\";t=x.y");
  EXPECT_EQ(e.find("host")->value, "192.0.2.1");
  EXPECT_EQ(e.find("v6")->value, "[2001:db8::1]");
  EXPECT_EQ(e.find("q")->value, "\"a;b\\\"c\"");
  EXPECT_EQ(e.find("t")->value, "x.y");
  EXPECT_FALSE(event_ok("refer;v6=[]"));
  EXPECT_FALSE(event_ok("refer;v6=[2001:db8::1"));
  EXPECT_FALSE(event_ok("refer;v6=[zz]"));
}

TEST(EventHeader, CaseInsensitiveIdName) {
  Event e = must_parse_event("presence;ID=AbC");
  EXPECT_EQ(e.id, "AbC");
}

TEST(EventHeader, OddWhitespace) {
  Event e = must_parse_event(" \tpresence \t;\r\n id = 7 ;\n\tlr ; x =\r\n \"y\"  ");
  EXPECT_EQ(e.package, "presence");
  EXPECT_EQ(e.id, "7");
  ASSERT_EQ(e.params().size(), 2u);
  EXPECT_EQ(e.params()[0].name, "lr");
  EXPECT_EQ(e.params()[1].value, "\"y\"");
}

TEST(EventHeader, SameEventRfc6665) {
  // RFC 6665 §8.2.1: "foo; id=1234" matches "foo; param=abcd; id=1234" but not "Foo; id=1234".
  const Event a = must_parse_event("foo; id=1234");
  const Event b = must_parse_event("foo; param=abcd; id=1234");
  const Event c = must_parse_event("Foo; id=1234");
  const Event d = must_parse_event("foo");
  const Event e = must_parse_event("foo;id=12345");
  EXPECT_TRUE(same_event(a, b));
  EXPECT_FALSE(same_event(a, c));
  EXPECT_FALSE(same_event(a, d));
  EXPECT_FALSE(same_event(d, a));
  EXPECT_FALSE(same_event(a, e));
  EXPECT_TRUE(same_event(d, must_parse_event("foo;x=1")));
  EXPECT_FALSE(same_event(must_parse_event("foo.bar"), d));
}

TEST(EventHeader, Malformed) {
  Event e;
  EXPECT_EQ(parse_event("", e), "Malformed Event");
  for (std::string_view v :
       {"", "  ", ".presence", "presence.", "pres..ence", "presence;", "presence; ",
        "presence;;id=1", "presence id=1", "presence;id", "presence;id=", "presence;id=\"x\"",
        "presence;id=[::1]", "presence;id=1;id=2", "presence;id=1;ID=1", "presence;x=",
        "presence;x=\"unterminated", "presence/x", "presence,dialog", "presence;=1",
        "presence;x=\"a\"b", "presence\r\n;id=1", "presence;x=\"\r\n\"", "pres\xC3\xBC" "ence",
        ";id=1"}) {
    EXPECT_FALSE(event_ok(v)) << v;
  }
}

TEST(EventHeader, TooManyParams) {
  std::string v = "presence";
  for (std::size_t i = 0; i < EventParamList::kMaxParams; ++i) v += ";p" + std::to_string(i);
  v += ";id=9";  // typed, so it does not count
  Event e = must_parse_event(v);
  EXPECT_EQ(e.params().size(), EventParamList::kMaxParams);
  EXPECT_EQ(e.id, "9");
  v += ";extra";
  EXPECT_FALSE(event_ok(v));
}

TEST(EventHeader, ReusedResultIsReset) {
  Event e = must_parse_event("a.b;id=1;x");
  ASSERT_EQ(parse_event("c", e), "");
  EXPECT_EQ(e.templates, "");
  EXPECT_EQ(e.id, std::nullopt);
  EXPECT_TRUE(e.params().empty());
}

// --- Subscription-State --------------------------------------------------------------------

TEST(SubscriptionStateHeader, ActiveWithExpires) {
  SubscriptionState s = must_parse_state("active;expires=3600");
  EXPECT_EQ(s.state, SubState::kActive);
  EXPECT_EQ(s.state_name, "active");
  EXPECT_EQ(s.expires, 3600u);
  EXPECT_EQ(s.retry_after, std::nullopt);
  EXPECT_EQ(s.reason, "");
  EXPECT_TRUE(s.params().empty());
}

TEST(SubscriptionStateHeader, States) {
  EXPECT_EQ(must_parse_state("pending").state, SubState::kPending);
  EXPECT_EQ(must_parse_state("Active").state, SubState::kActive);
  EXPECT_EQ(must_parse_state("TERMINATED").state, SubState::kTerminated);
  SubscriptionState s = must_parse_state("x-custom;foo=bar");
  EXPECT_EQ(s.state, SubState::kExtension);
  EXPECT_EQ(s.state_name, "x-custom");
  ASSERT_EQ(s.params().size(), 1u);
  EXPECT_EQ(s.find("foo")->value, "bar");
}

TEST(SubscriptionStateHeader, TerminatedWithReason) {
  SubscriptionState s = must_parse_state("terminated;reason=timeout");
  EXPECT_EQ(s.state, SubState::kTerminated);
  EXPECT_EQ(s.reason, "timeout");
  s = must_parse_state("terminated;reason=noresource;retry-after=60");
  EXPECT_EQ(s.reason, "noresource");
  EXPECT_EQ(s.retry_after, 60u);
  s = must_parse_state("terminated; REASON=probation; Retry-After=0; EXPIRES=0");
  EXPECT_EQ(s.reason, "probation");
  EXPECT_EQ(s.retry_after, 0u);
  EXPECT_EQ(s.expires, 0u);
}

TEST(SubscriptionStateHeader, OtherParamsKept) {
  SubscriptionState s = must_parse_state("active;expires=60;foo;bar=\"baz qux\";v6=[::1]");
  EXPECT_EQ(s.expires, 60u);
  ASSERT_EQ(s.params().size(), 3u);
  EXPECT_EQ(s.params()[0].name, "foo");
  EXPECT_EQ(s.params()[0].value, "");
  EXPECT_EQ(s.params()[1].value, "\"baz qux\"");
  EXPECT_EQ(s.params()[2].value, "[::1]");
}

TEST(SubscriptionStateHeader, DeltaSecondsClampedOnOverflow) {
  EXPECT_EQ(must_parse_state("active;expires=4294967295").expires, 4294967295u);
  EXPECT_EQ(must_parse_state("active;expires=4294967296").expires, 4294967295u);
  EXPECT_EQ(must_parse_state("active;expires=18446744073709551616").expires, 4294967295u);
  EXPECT_EQ(must_parse_state("active;expires=" + std::string(1000, '9')).expires, 4294967295u);
  EXPECT_EQ(must_parse_state("active;expires=0000000000000000000000012").expires, 12u);
  EXPECT_EQ(must_parse_state("terminated;retry-after=99999999999").retry_after, 4294967295u);
}

TEST(SubscriptionStateHeader, OddWhitespace) {
  SubscriptionState s = must_parse_state("  active\t;\r\n expires = 60 ;\n\treason\t=\tgiveup ");
  EXPECT_EQ(s.state, SubState::kActive);
  EXPECT_EQ(s.expires, 60u);
  EXPECT_EQ(s.reason, "giveup");
}

TEST(SubscriptionStateHeader, Malformed) {
  SubscriptionState s;
  EXPECT_EQ(parse_subscription_state("", s), "Malformed Subscription-State");
  for (std::string_view v :
       {"", " ", ";expires=1", "active expires=1", "active;", "active;expires",
        "active;expires=", "active;expires=abc", "active;expires=\"10\"", "active;expires=-1",
        "active;expires=1.5", "active;expires=+1", "active;expires=1;expires=2",
        "active;expires=1;EXPIRES=1", "terminated;reason", "terminated;reason=\"timeout\"",
        "terminated;reason=a;reason=b", "terminated;retry-after=1;retry-after=1",
        "terminated;retry-after=x", "active,pending", "active;x=\"open", "active\r\n;x",
        "act/ive"}) {
    EXPECT_FALSE(state_ok(v)) << v;
  }
}

TEST(SubscriptionStateHeader, TooManyParams) {
  std::string v = "active;expires=5;reason=r";
  for (std::size_t i = 0; i < EventParamList::kMaxParams; ++i) v += ";p" + std::to_string(i);
  SubscriptionState s = must_parse_state(v);
  EXPECT_EQ(s.params().size(), EventParamList::kMaxParams);
  v += ";extra=1";
  EXPECT_FALSE(state_ok(v));
}

TEST(SubscriptionStateHeader, ReusedResultIsReset) {
  SubscriptionState s = must_parse_state("terminated;reason=x;expires=1;retry-after=2;y");
  ASSERT_EQ(parse_subscription_state("pending", s), "");
  EXPECT_EQ(s.state, SubState::kPending);
  EXPECT_EQ(s.reason, "");
  EXPECT_EQ(s.expires, std::nullopt);
  EXPECT_EQ(s.retry_after, std::nullopt);
  EXPECT_TRUE(s.params().empty());
}

TEST(EventHeader, EveryPrefixIsSafe) {
  const std::string_view base = "presence.winfo ;id=1;\r\n q=\"a\\\"b\xC3\xBC\";h=[::1];z";
  for (std::size_t n = 0; n <= base.size(); ++n) {
    Event e;
    SubscriptionState s;
    (void)parse_event(base.substr(0, n), e);
    (void)parse_subscription_state(base.substr(0, n), s);
  }
}

}  // namespace
}  // namespace trapezoid::sip
