#include "registrar/registrar.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "recording_sink.hpp"
#include "register_messages.hpp"
#include "registrar/sip_date.hpp"
#include "sip/name_addr.hpp"
#include "sip/validate.hpp"

namespace trapezoid::registrar {
namespace {

using testing::parse_message;
using testing::parse_response;
using testing::ParsedResponse;
using testing::RecordingSink;
using testing::RegisterText;
using testing::SinkEvent;

constexpr std::string_view kBob = "sip:bob@biloxi.com";
constexpr std::string_view kSource = "udp:192.0.2.4:5060";
constexpr UnixSeconds kT0 = 1700000000;

LocationServiceConfig biloxi() {
  LocationServiceConfig c;
  c.domains = {"biloxi.com"};
  c.own_addresses = {"192.0.2.10"};
  return c;
}

RegisterText with_contacts(std::vector<std::string> contacts) {
  RegisterText r;
  r.contacts = std::move(contacts);
  return r;
}

class RegistrarTest : public ::testing::Test {
 protected:
  RecordingSink sink;
  LocationService service{biloxi(), &sink};
  std::optional<Registrar> registrar{std::in_place, RegistrarConfig{}, service};

  void reconfigure(const RegistrarConfig& config) { registrar.emplace(config, service); }

  // Parses the request, checks that it passes validate_request as the server would run it
  // (unless the test bypasses that to reach handle()'s own checks), and handles it.
  RegisterOutcome send(const RegisterText& r, UnixSeconds now, bool validate = true) {
    sip::Message msg = parse_message(r.text());
    if (validate) {
      const sip::Verdict v = sip::validate_request(msg, registrar->validation_policy());
      EXPECT_TRUE(v.ok()) << v.status << " " << v.reason << "\n" << r.text();
    }
    return registrar->handle(msg, {.now = now, .source = kSource, .to_tag = "reg7f3a"});
  }

  // send() and parse the response, which must have been built.
  ParsedResponse exchange(const RegisterText& r, UnixSeconds now, bool validate = true) {
    const RegisterOutcome out = send(r, now, validate);
    EXPECT_EQ(out.build_error, sip::BuildError::kNone);
    ParsedResponse resp = parse_response(out.response);
    EXPECT_EQ(resp.status, out.status);
    return resp;
  }

  std::vector<std::string> bound_contacts(UnixSeconds now, std::string_view aor = kBob) {
    std::vector<std::string> out;
    for (const Binding& b : service.lookup(aor, now)) out.push_back(b.contact);
    return out;
  }
};

// --- Step 8 and the binding record -------------------------------------------------------------

TEST_F(RegistrarTest, RegistersAndAnswers200WithTheBinding) {
  RegisterText r = with_contacts({"<sip:bob@192.0.2.4>"});
  r.expires = "7200";
  r.headers = {{"User-Agent", "Softphone Beta1.5"}, {"Record-Route", "<sip:p1.biloxi.com;lr>"}};
  const RegisterOutcome out = send(r, kT0);
  ASSERT_EQ(out.status, 200);
  EXPECT_EQ(out.aor, kBob);
  EXPECT_EQ(out.changes, (std::vector<BindingChange>{{BindingChange::Kind::kAdded, "sip:bob@192.0.2.4"}}));

  const ParsedResponse resp = parse_response(out.response);
  EXPECT_EQ(resp.status, 200);
  ASSERT_EQ(resp.contacts.size(), 1u);
  EXPECT_EQ(resp.contacts[0].uri, "sip:bob@192.0.2.4");
  EXPECT_EQ(resp.contacts[0].expires, 7200);
  EXPECT_EQ(resp.header(sip::HeaderId::kDate), format_sip_date(kT0));  // §10.3 step 8
  EXPECT_EQ(resp.header(sip::HeaderId::kSupported), "path");
  EXPECT_EQ(resp.msg.count(sip::HeaderId::kRecordRoute), 0u);  // §10.3: never in a REGISTER response
  EXPECT_EQ(resp.msg.count(sip::HeaderId::kPath), 0u);
  const std::string to_value = resp.header(sip::HeaderId::kTo);
  sip::NameAddr to;
  ASSERT_TRUE(sip::parse_name_addr(to_value, to).empty());
  EXPECT_EQ(to.tag, "reg7f3a");
  EXPECT_EQ(resp.header(sip::HeaderId::kCallId), r.call_id);
  EXPECT_TRUE(sip::validate_response(resp.msg).ok());

  const std::vector<Binding> bound = service.lookup(kBob, kT0);
  ASSERT_EQ(bound.size(), 1u);
  Binding expected;
  expected.aor = kBob;
  expected.contact = "sip:bob@192.0.2.4";
  expected.call_id = r.call_id;
  expected.cseq = r.cseq;
  expected.expires_at = kT0 + 7200;
  expected.received = kSource;
  expected.user_agent = "Softphone Beta1.5";
  expected.updated_at = kT0;
  EXPECT_EQ(bound[0], expected);
}

TEST_F(RegistrarTest, ResponseListsEveryBindingByQWithRemainingTime) {
  RegisterText r = with_contacts({"<sip:bob@192.0.2.4>;q=0.5"});
  ASSERT_EQ(send(r, kT0).status, 200);
  r.contacts = {"<sip:bob@192.0.2.5>;q=0.9"};
  r.cseq++;
  ASSERT_EQ(send(r, kT0 + 100).status, 200);
  r.contacts = {"<sip:bob@192.0.2.6>"};  // no q: counts as 1.0
  r.cseq++;
  const ParsedResponse resp = exchange(r, kT0 + 200);
  ASSERT_EQ(resp.status, 200);
  ASSERT_EQ(resp.contacts.size(), 3u);
  EXPECT_EQ(resp.contacts[0].uri, "sip:bob@192.0.2.6");
  EXPECT_EQ(resp.contacts[0].expires, 3600);
  EXPECT_EQ(resp.contacts[0].q, -1);
  EXPECT_EQ(resp.contacts[1].uri, "sip:bob@192.0.2.5");
  EXPECT_EQ(resp.contacts[1].expires, 3500);
  EXPECT_EQ(resp.contacts[1].params, "expires=3500;q=0.9");
  EXPECT_EQ(resp.contacts[2].uri, "sip:bob@192.0.2.4");
  EXPECT_EQ(resp.contacts[2].expires, 3400);
  EXPECT_EQ(resp.contacts[2].q, 500);
  // lookup() gives the proxy the same order.
  EXPECT_EQ(bound_contacts(kT0 + 200),
            (std::vector<std::string>{"sip:bob@192.0.2.6", "sip:bob@192.0.2.5", "sip:bob@192.0.2.4"}));
}

TEST_F(RegistrarTest, QueryWithoutContactListsCurrentBindings) {
  ASSERT_EQ(send(with_contacts({"<sip:bob@192.0.2.4>;expires=600"}), kT0).status, 200);
  sink.take();
  RegisterText query;
  query.cseq = 1827;
  const RegisterOutcome out = send(query, kT0 + 10);
  ASSERT_EQ(out.status, 200);
  EXPECT_TRUE(out.changes.empty());
  const ParsedResponse resp = parse_response(out.response);
  ASSERT_EQ(resp.contacts.size(), 1u);
  EXPECT_EQ(resp.contacts[0].expires, 590);
  EXPECT_TRUE(sink.events().empty());
  // The binding is as it was: a query does not refresh.
  EXPECT_EQ(service.lookup(kBob, kT0).at(0).cseq, 1826u);
}

TEST_F(RegistrarTest, QueryForAnUnknownAorIsAnEmpty200AndLeavesItUnknown) {
  RegisterText query;
  query.to = "<sip:nobody@biloxi.com>";
  query.from = "<sip:nobody@biloxi.com>;tag=1";
  const ParsedResponse resp = exchange(query, kT0);
  EXPECT_EQ(resp.status, 200);
  EXPECT_TRUE(resp.contacts.empty());
  EXPECT_FALSE(service.is_known("sip:nobody@biloxi.com"));
}

TEST_F(RegistrarTest, BindingsExpireOverTime) {
  ASSERT_EQ(send(with_contacts({"<sip:bob@192.0.2.4>;expires=60"}), kT0).status, 200);
  RegisterText query;
  query.cseq = 1900;
  ParsedResponse resp = exchange(query, kT0 + 59);
  ASSERT_EQ(resp.contacts.size(), 1u);
  EXPECT_EQ(resp.contacts[0].expires, 1);
  EXPECT_EQ(bound_contacts(kT0 + 59).size(), 1u);
  query.cseq++;
  resp = exchange(query, kT0 + 60);
  EXPECT_TRUE(resp.contacts.empty());
  EXPECT_TRUE(bound_contacts(kT0 + 60).empty());
  EXPECT_TRUE(service.is_known(kBob));
}

// --- Step 1: the domain ------------------------------------------------------------------------

TEST_F(RegistrarTest, ForeignDomainIs404ByDefault) {
  RegisterText r = with_contacts({"<sip:bob@192.0.2.4>"});
  r.request_uri = "sip:chicago.com";
  const RegisterOutcome out = send(r, kT0);
  EXPECT_EQ(out.status, 404);
  EXPECT_TRUE(out.changes.empty());
  EXPECT_EQ(parse_response(out.response).status, 404);
  EXPECT_FALSE(service.is_known(kBob));
}

TEST_F(RegistrarTest, ForeignDomainIs403WhenConfigured) {
  RegistrarConfig config;
  config.foreign_domain_status = 403;
  reconfigure(config);
  RegisterText r = with_contacts({"<sip:bob@192.0.2.4>"});
  r.request_uri = "sip:chicago.com";
  EXPECT_EQ(send(r, kT0).status, 403);
}

TEST_F(RegistrarTest, RequestUriMayBeOurOwnAddress) {
  RegisterText r = with_contacts({"<sip:bob@192.0.2.4>"});
  r.request_uri = "sip:192.0.2.10:5060";
  EXPECT_EQ(send(r, kT0).status, 200);
  EXPECT_EQ(bound_contacts(kT0).size(), 1u);
}

TEST_F(RegistrarTest, NonSipRequestUriIs416) {
  RegisterText r = with_contacts({"<sip:bob@192.0.2.4>"});
  r.request_uri = "tel:+15551234";
  EXPECT_EQ(send(r, kT0, /*validate=*/false).status, 416);
}

// --- Step 2: Require, and RFC 3327 Path ----------------------------------------------------------

TEST_F(RegistrarTest, UnsupportedRequireIs420ListingTheTags) {
  RegisterText r = with_contacts({"<sip:bob@192.0.2.4>"});
  r.headers = {{"Require", "path, foo"}, {"Require", "bar"}};
  const RegisterOutcome out = send(r, kT0, /*validate=*/false);
  ASSERT_EQ(out.status, 420);
  EXPECT_EQ(parse_response(out.response).header(sip::HeaderId::kUnsupported), "foo, bar");
  EXPECT_TRUE(bound_contacts(kT0).empty());
}

TEST_F(RegistrarTest, RequirePathIsSupported) {
  RegisterText r = with_contacts({"<sip:bob@192.0.2.4>"});
  r.headers = {{"Require", "path"}};
  EXPECT_EQ(send(r, kT0).status, 200);
}

TEST_F(RegistrarTest, RequirePathIs420WhenPathIsNotSupported) {
  RegistrarConfig config;
  config.support_path = false;
  reconfigure(config);
  RegisterText r = with_contacts({"<sip:bob@192.0.2.4>"});
  r.headers = {{"Require", "path"}};
  const RegisterOutcome out = send(r, kT0, /*validate=*/false);
  ASSERT_EQ(out.status, 420);
  EXPECT_EQ(parse_response(out.response).header(sip::HeaderId::kUnsupported), "path");
}

TEST_F(RegistrarTest, PathIsStoredInOrderAndEchoed) {
  RegisterText r = with_contacts({"<sip:bob@192.0.2.4>"});
  r.headers = {{"Supported", "path"},
               {"Path", "<sip:p3.biloxi.com;lr>"},
               {"Path", "<sip:p1.example.com;lr>, <sip:p0.example.com;lr;ob>"}};
  const ParsedResponse resp = exchange(r, kT0);
  ASSERT_EQ(resp.status, 200);
  const std::string path = "<sip:p3.biloxi.com;lr>,<sip:p1.example.com;lr>,<sip:p0.example.com;lr;ob>";
  EXPECT_EQ(resp.header(sip::HeaderId::kPath), path);  // RFC 3327 §5.3
  EXPECT_EQ(service.lookup(kBob, kT0).at(0).path, path);
}

TEST_F(RegistrarTest, PathWithoutUaSupportIs420) {
  RegisterText r = with_contacts({"<sip:bob@192.0.2.4>"});
  r.headers = {{"Path", "<sip:p1.example.com;lr>"}};
  const RegisterOutcome out = send(r, kT0);
  ASSERT_EQ(out.status, 420);  // RFC 3327 §5.3's recommended policy
  EXPECT_EQ(parse_response(out.response).header(sip::HeaderId::kUnsupported), "path");
  EXPECT_TRUE(bound_contacts(kT0).empty());
}

TEST_F(RegistrarTest, PathWithoutUaSupportIsAcceptedWhenConfigured) {
  RegistrarConfig config;
  config.path_needs_ua_support = false;
  reconfigure(config);
  RegisterText r = with_contacts({"<sip:bob@192.0.2.4>"});
  r.headers = {{"Path", "<sip:p1.example.com;lr>"}};
  const ParsedResponse resp = exchange(r, kT0);
  ASSERT_EQ(resp.status, 200);
  EXPECT_EQ(resp.header(sip::HeaderId::kPath), "<sip:p1.example.com;lr>");
}

TEST_F(RegistrarTest, PathIsIgnoredWhenNotSupported) {
  RegistrarConfig config;
  config.support_path = false;
  reconfigure(config);
  RegisterText r = with_contacts({"<sip:bob@192.0.2.4>"});
  r.headers = {{"Path", "<sip:p1.example.com;lr>"}};
  const ParsedResponse resp = exchange(r, kT0);
  ASSERT_EQ(resp.status, 200);
  EXPECT_EQ(resp.msg.count(sip::HeaderId::kPath), 0u);
  EXPECT_EQ(resp.msg.count(sip::HeaderId::kSupported), 0u);
  EXPECT_EQ(service.lookup(kBob, kT0).at(0).path, "");
}

TEST_F(RegistrarTest, MalformedPathIs400) {
  RegisterText r = with_contacts({"<sip:bob@192.0.2.4>"});
  r.headers = {{"Supported", "path"}, {"Path", "sip:p1.example.com;lr"}};  // not a name-addr
  EXPECT_EQ(send(r, kT0, /*validate=*/false).status, 400);
}

// --- Step 5: the address-of-record -------------------------------------------------------------

TEST_F(RegistrarTest, AorIsCanonical) {
  RegisterText r = with_contacts({"<sip:bob@192.0.2.4>"});
  r.to = "<sips:%62ob@BILOXI.com:5061;transport=tcp>";
  r.request_uri = "sips:biloxi.com";
  r.contacts = {"<sips:bob@192.0.2.4>"};
  const RegisterOutcome out = send(r, kT0);
  ASSERT_EQ(out.status, 200) << out.reason;
  EXPECT_EQ(out.aor, kBob);
  EXPECT_EQ(bound_contacts(kT0), std::vector<std::string>{"sips:bob@192.0.2.4"});
}

TEST_F(RegistrarTest, NonSipToIs400) {
  RegisterText r = with_contacts({"<sip:bob@192.0.2.4>"});
  r.to = "<tel:+15551234>";
  const RegisterOutcome out = send(r, kT0, /*validate=*/false);
  EXPECT_EQ(out.status, 400);
  EXPECT_EQ(out.reason, "Invalid Address-of-Record");
}

TEST_F(RegistrarTest, AorOfAnotherDomainIs404) {
  RegisterText r = with_contacts({"<sip:carol@192.0.2.4>"});
  r.to = "<sip:carol@chicago.com>";
  const RegisterOutcome out = send(r, kT0);
  EXPECT_EQ(out.status, 404);
  EXPECT_FALSE(service.is_known("sip:carol@chicago.com"));
}

// --- Step 6: "*" ---------------------------------------------------------------------------------

TEST_F(RegistrarTest, WildcardRemovesEveryBinding) {
  RegisterText a = with_contacts({"<sip:bob@192.0.2.4>", "<sip:bob@192.0.2.5>"});
  ASSERT_EQ(send(a, kT0).status, 200);
  RegisterText other_ua = with_contacts({"<sip:bob@192.0.2.6>"});
  other_ua.call_id = "other-ua-call-id";
  other_ua.cseq = 1;
  ASSERT_EQ(send(other_ua, kT0).status, 200);
  sink.take();

  RegisterText star = with_contacts({"*"});
  star.expires = "0";
  star.cseq = a.cseq + 1;
  const RegisterOutcome out = send(star, kT0 + 5);
  ASSERT_EQ(out.status, 200);
  EXPECT_EQ(out.changes.size(), 3u);
  EXPECT_TRUE(parse_response(out.response).contacts.empty());
  EXPECT_TRUE(bound_contacts(kT0 + 5).empty());
  EXPECT_EQ(sink.events().size(), 3u);
  EXPECT_TRUE(service.is_known(kBob));
}

TEST_F(RegistrarTest, WildcardOutOfOrderIs500AndRemovesNothing) {
  RegisterText a = with_contacts({"<sip:bob@192.0.2.4>"});
  a.cseq = 10;
  ASSERT_EQ(send(a, kT0).status, 200);
  RegisterText other_ua = with_contacts({"<sip:bob@192.0.2.6>"});
  other_ua.call_id = "other-ua-call-id";
  ASSERT_EQ(send(other_ua, kT0).status, 200);
  for (std::uint32_t cseq : {9u, 10u}) {
    RegisterText star = with_contacts({"*"});
    star.expires = "0";
    star.cseq = cseq;
    const RegisterOutcome out = send(star, kT0 + 1);
    EXPECT_EQ(out.status, 500) << cseq;
    EXPECT_EQ(bound_contacts(kT0 + 1).size(), 2u) << cseq;
  }
}

TEST_F(RegistrarTest, WildcardNeedsExpiresZeroAndToBeAlone) {
  ASSERT_EQ(send(with_contacts({"<sip:bob@192.0.2.4>"}), kT0).status, 200);
  RegisterText no_expires = with_contacts({"*"});
  no_expires.cseq = 2000;
  RegisterText expires_5 = no_expires;
  expires_5.expires = "5";
  RegisterText not_alone = with_contacts({"*", "<sip:bob@192.0.2.5>"});
  not_alone.expires = "0";
  not_alone.cseq = 2000;
  for (const RegisterText* r : {&no_expires, &expires_5, &not_alone}) {
    // validate_request refuses these already; handle() refuses them on its own too.
    sip::Message msg = parse_message(r->text());
    EXPECT_EQ(sip::validate_request(msg, registrar->validation_policy()).status, 400);
    const RegisterOutcome out = send(*r, kT0 + 1, /*validate=*/false);
    EXPECT_EQ(out.status, 400) << r->text();
  }
  EXPECT_EQ(bound_contacts(kT0 + 1).size(), 1u);
}

// --- Step 7: intervals ---------------------------------------------------------------------------

TEST_F(RegistrarTest, ExpiresParameterThenHeaderThenDefault) {
  RegisterText r = with_contacts({"<sip:bob@192.0.2.4>;expires=120", "<sip:bob@192.0.2.5>"});
  r.expires = "300";
  ParsedResponse resp = exchange(r, kT0);
  ASSERT_EQ(resp.contacts.size(), 2u);
  for (const auto& c : resp.contacts) EXPECT_EQ(c.expires, c.uri == "sip:bob@192.0.2.4" ? 120 : 300) << c.uri;

  RegisterText d = with_contacts({"<sip:bob@192.0.2.6>"});
  d.cseq++;
  resp = exchange(d, kT0);
  ASSERT_EQ(resp.contacts.size(), 3u);
  const auto added = std::find_if(resp.contacts.begin(), resp.contacts.end(),
                                  [](const testing::ResponseContact& c) { return c.uri == "sip:bob@192.0.2.6"; });
  ASSERT_NE(added, resp.contacts.end());
  EXPECT_EQ(added->expires, 3600);  // default_expires
}

TEST_F(RegistrarTest, TooBriefIs423WithMinExpires) {
  RegisterText r = with_contacts({"<sip:bob@192.0.2.4>;expires=30"});
  const RegisterOutcome out = send(r, kT0);
  ASSERT_EQ(out.status, 423);
  const ParsedResponse resp = parse_response(out.response);
  EXPECT_EQ(resp.header(sip::HeaderId::kMinExpires), "60");
  EXPECT_TRUE(resp.contacts.empty());
  EXPECT_TRUE(bound_contacts(kT0).empty());

  RegisterText header = with_contacts({"<sip:bob@192.0.2.4>"});
  header.expires = "59";
  EXPECT_EQ(send(header, kT0).status, 423);
  header.expires = "60";
  EXPECT_EQ(send(header, kT0).status, 200);
}

TEST_F(RegistrarTest, ZeroIsNeverTooBrief) {
  ASSERT_EQ(send(with_contacts({"<sip:bob@192.0.2.4>"}), kT0).status, 200);
  RegisterText remove = with_contacts({"<sip:bob@192.0.2.4>;expires=0"});
  remove.cseq++;
  EXPECT_EQ(send(remove, kT0).status, 200);
  EXPECT_TRUE(bound_contacts(kT0).empty());
}

TEST_F(RegistrarTest, OneTooBriefContactFailsTheWholeRequest) {
  const RegisterOutcome out = send(with_contacts({"<sip:bob@192.0.2.4>", "<sip:bob@192.0.2.5>;expires=10"}), kT0);
  EXPECT_EQ(out.status, 423);
  EXPECT_TRUE(bound_contacts(kT0).empty());
}

TEST_F(RegistrarTest, An423OnlyUnderAnHour) {
  // §10.3 step 7: 423 "if and only if" the interval is nonzero, under an hour and under the
  // minimum. With a minimum above an hour, an hour or more is granted as asked.
  RegistrarConfig config;
  config.min_expires = 7200;
  reconfigure(config);
  RegisterText brief = with_contacts({"<sip:bob@192.0.2.4>;expires=1800"});
  const RegisterOutcome out = send(brief, kT0);
  ASSERT_EQ(out.status, 423);
  EXPECT_EQ(parse_response(out.response).header(sip::HeaderId::kMinExpires), "7200");
  RegisterText hour = with_contacts({"<sip:bob@192.0.2.4>;expires=3600"});
  const ParsedResponse resp = exchange(hour, kT0);
  ASSERT_EQ(resp.status, 200);
  EXPECT_EQ(resp.contacts.at(0).expires, 3600);
}

TEST_F(RegistrarTest, LongIntervalsAreClampedToMaxExpires) {
  RegisterText r = with_contacts({"<sip:bob@192.0.2.4>;expires=4294967296"});  // past 2**32-1
  const ParsedResponse resp = exchange(r, kT0);
  ASSERT_EQ(resp.status, 200);
  EXPECT_EQ(resp.contacts.at(0).expires, 86400);
  EXPECT_EQ(service.lookup(kBob, kT0).at(0).expires_at, kT0 + 86400);
}

// --- Step 7: Call-ID and CSeq ordering -----------------------------------------------------------

TEST_F(RegistrarTest, RefreshWithHigherCSeqUpdatesTheBinding) {
  RegisterText r = with_contacts({"<sip:bob@192.0.2.4>;expires=600"});
  ASSERT_EQ(send(r, kT0).status, 200);
  r.cseq++;
  r.contacts = {"<sip:bob@192.0.2.4>;expires=900;q=0.3"};
  const RegisterOutcome out = send(r, kT0 + 100);
  ASSERT_EQ(out.status, 200);
  EXPECT_EQ(out.changes, (std::vector<BindingChange>{{BindingChange::Kind::kRefreshed, "sip:bob@192.0.2.4"}}));
  const Binding b = service.lookup(kBob, kT0 + 100).at(0);
  EXPECT_EQ(b.cseq, r.cseq);
  EXPECT_EQ(b.expires_at, kT0 + 1000);
  EXPECT_EQ(b.q, 300);
  EXPECT_EQ(b.updated_at, kT0 + 100);
}

TEST_F(RegistrarTest, StaleCSeqIs500AndChangesNothing) {
  RegisterText r = with_contacts({"<sip:bob@192.0.2.4>;expires=600"});
  r.cseq = 50;
  ASSERT_EQ(send(r, kT0).status, 200);
  sink.take();
  for (std::uint32_t cseq : {49u, 50u}) {  // lower, and equal (a copy of the applied request)
    RegisterText stale = with_contacts({"<sip:bob@192.0.2.4>;expires=0"});
    stale.cseq = cseq;
    const RegisterOutcome out = send(stale, kT0 + 1);
    EXPECT_EQ(out.status, 500) << cseq;
    EXPECT_EQ(out.reason, "Out of Order REGISTER");
    EXPECT_TRUE(parse_response(out.response).contacts.empty());
  }
  EXPECT_EQ(service.lookup(kBob, kT0 + 1).at(0).expires_at, kT0 + 600);
  EXPECT_TRUE(sink.events().empty());
}

TEST_F(RegistrarTest, AnotherCallIdUpdatesWhateverItsCSeq) {
  RegisterText r = with_contacts({"<sip:bob@192.0.2.4>;expires=600"});
  r.cseq = 50;
  ASSERT_EQ(send(r, kT0).status, 200);
  RegisterText rebooted = with_contacts({"<sip:bob@192.0.2.4>;expires=900"});
  rebooted.call_id = "after-reboot@192.0.2.4";
  rebooted.cseq = 1;
  ASSERT_EQ(send(rebooted, kT0 + 1).status, 200);
  const Binding b = service.lookup(kBob, kT0 + 1).at(0);
  EXPECT_EQ(b.call_id, "after-reboot@192.0.2.4");
  EXPECT_EQ(b.cseq, 1u);
  EXPECT_EQ(b.expires_at, kT0 + 901);
  // And another Call-ID removes whatever its CSeq.
  RegisterText other = with_contacts({"<sip:bob@192.0.2.4>;expires=0"});
  other.call_id = "third@192.0.2.4";
  other.cseq = 1;
  ASSERT_EQ(send(other, kT0 + 2).status, 200);
  EXPECT_TRUE(bound_contacts(kT0 + 2).empty());
}

TEST_F(RegistrarTest, ContactsCompareAsUris) {
  RegisterText r = with_contacts({"<sip:bob@PC33.Biloxi.com:5060;transport=udp>"});
  ASSERT_EQ(send(r, kT0).status, 200);
  r.cseq++;
  r.contacts = {"<sip:bob@pc33.biloxi.com:5060;TRANSPORT=UDP>;expires=0"};  // §19.1.4: the same
  const RegisterOutcome out = send(r, kT0 + 1);
  ASSERT_EQ(out.status, 200);
  EXPECT_EQ(out.changes.size(), 1u);
  EXPECT_EQ(out.changes[0].kind, BindingChange::Kind::kRemoved);
  EXPECT_TRUE(bound_contacts(kT0 + 1).empty());
  // User parts are case-sensitive: a different contact.
  r.cseq++;
  r.contacts = {"<sip:bob@192.0.2.4>"};
  ASSERT_EQ(send(r, kT0 + 2).status, 200);
  r.cseq++;
  r.contacts = {"<sip:BOB@192.0.2.4>"};
  ASSERT_EQ(send(r, kT0 + 3).status, 200);
  EXPECT_EQ(bound_contacts(kT0 + 3).size(), 2u);
}

TEST_F(RegistrarTest, RemovingAnUnboundContactIsAHarmless200) {
  const RegisterOutcome out = send(with_contacts({"<sip:bob@192.0.2.4>;expires=0"}), kT0);
  EXPECT_EQ(out.status, 200);
  EXPECT_TRUE(out.changes.empty());
  EXPECT_FALSE(service.is_known(kBob));
}

TEST_F(RegistrarTest, AContactNamedTwiceTakesItsLastValue) {
  const RegisterOutcome out =
      send(with_contacts({"<sip:bob@192.0.2.4>;expires=100", "<sip:bob@192.0.2.4>;expires=0"}), kT0);
  EXPECT_EQ(out.status, 200);
  EXPECT_TRUE(bound_contacts(kT0).empty());
  const ParsedResponse resp =
      exchange(with_contacts({"<sip:bob@192.0.2.5>;expires=100", "<sip:bob@192.0.2.5>;expires=200"}), kT0);
  ASSERT_EQ(resp.contacts.size(), 1u);
  EXPECT_EQ(resp.contacts[0].expires, 200);
}

// --- Atomicity and the contact limit -------------------------------------------------------------

TEST_F(RegistrarTest, AFailingContactLeavesTheOthersUntouched) {
  RegisterText first = with_contacts({"<sip:bob@192.0.2.4>;expires=600"});
  first.cseq = 10;
  ASSERT_EQ(send(first, kT0).status, 200);
  // A new contact, a refresh of another, and the stale one: nothing may apply.
  RegisterText mixed = with_contacts({"<sip:bob@192.0.2.9>", "<sip:bob@192.0.2.4>;expires=3000"});
  mixed.cseq = 9;
  EXPECT_EQ(send(mixed, kT0 + 1).status, 500);
  const std::vector<Binding> bound = service.lookup(kBob, kT0 + 1);
  ASSERT_EQ(bound.size(), 1u);
  EXPECT_EQ(bound[0].contact, "sip:bob@192.0.2.4");
  EXPECT_EQ(bound[0].expires_at, kT0 + 600);
}

TEST_F(RegistrarTest, TooManyContactsIs403AndChangesNothing) {
  RegistrarConfig config;
  config.max_contacts_per_aor = 2;
  reconfigure(config);
  RegisterText r = with_contacts({"<sip:bob@192.0.2.1>;expires=600", "<sip:bob@192.0.2.2>;expires=600"});
  ASSERT_EQ(send(r, kT0).status, 200);
  sink.take();

  r.cseq++;
  r.contacts = {"<sip:bob@192.0.2.1>;expires=900", "<sip:bob@192.0.2.3>"};
  const RegisterOutcome out = send(r, kT0 + 1);
  EXPECT_EQ(out.status, 403);
  EXPECT_EQ(out.reason, "Too Many Contacts");
  EXPECT_EQ(service.lookup(kBob, kT0 + 1).size(), 2u);
  for (const Binding& b : service.lookup(kBob, kT0 + 1)) EXPECT_EQ(b.expires_at, kT0 + 600);
  EXPECT_TRUE(sink.events().empty());

  // At the limit, a refresh works, and so does replacing one contact by another.
  r.cseq++;
  r.contacts = {"<sip:bob@192.0.2.1>;expires=900"};
  EXPECT_EQ(send(r, kT0 + 2).status, 200);
  r.cseq++;
  r.contacts = {"<sip:bob@192.0.2.2>;expires=0", "<sip:bob@192.0.2.3>"};
  EXPECT_EQ(send(r, kT0 + 3).status, 200);
  EXPECT_EQ(bound_contacts(kT0 + 3).size(), 2u);
}

TEST_F(RegistrarTest, ExpiredBindingsDoNotCountTowardsTheLimit) {
  RegistrarConfig config;
  config.max_contacts_per_aor = 1;
  reconfigure(config);
  ASSERT_EQ(send(with_contacts({"<sip:bob@192.0.2.1>;expires=60"}), kT0).status, 200);
  RegisterText r = with_contacts({"<sip:bob@192.0.2.2>"});
  r.cseq++;
  EXPECT_EQ(send(r, kT0 + 30).status, 403);
  r.cseq++;
  const RegisterOutcome out = send(r, kT0 + 60);
  ASSERT_EQ(out.status, 200);
  EXPECT_EQ(out.changes, (std::vector<BindingChange>{{BindingChange::Kind::kExpired, "sip:bob@192.0.2.1"},
                                                     {BindingChange::Kind::kAdded, "sip:bob@192.0.2.2"}}));
}

// --- What the sink sees --------------------------------------------------------------------------

TEST_F(RegistrarTest, SinkSeesExactlyTheChanges) {
  RegisterText r = with_contacts({"<sip:bob@192.0.2.1>;expires=600", "<sip:bob@192.0.2.2>;expires=600"});
  ASSERT_EQ(send(r, kT0).status, 200);
  r.cseq++;
  r.contacts = {"<sip:bob@192.0.2.1>;expires=0", "<sip:bob@192.0.2.2>;expires=700"};
  ASSERT_EQ(send(r, kT0 + 10).status, 200);
  r.cseq = 1;  // stale: nothing
  ASSERT_EQ(send(r, kT0 + 20).status, 500);
  RegisterText query;
  query.cseq = 5000;
  ASSERT_EQ(send(query, kT0 + 30).status, 200);
  ASSERT_EQ(service.expire(kT0 + 710).size(), 1u);

  const std::vector<SinkEvent> events = sink.events();
  ASSERT_EQ(events.size(), 5u);
  EXPECT_EQ(events[0].kind, SinkEvent::Kind::kUpsert);
  EXPECT_EQ(events[0].contact, "sip:bob@192.0.2.1");
  EXPECT_EQ(events[1].kind, SinkEvent::Kind::kUpsert);
  EXPECT_EQ(events[1].contact, "sip:bob@192.0.2.2");
  EXPECT_EQ(events[2].kind, SinkEvent::Kind::kRemove);
  EXPECT_EQ(events[2].aor, kBob);
  EXPECT_EQ(events[2].contact, "sip:bob@192.0.2.1");
  EXPECT_EQ(events[3].kind, SinkEvent::Kind::kUpsert);
  EXPECT_EQ(events[3].binding.expires_at, kT0 + 710);
  EXPECT_EQ(events[3].binding.cseq, 1827u);
  EXPECT_EQ(events[4].kind, SinkEvent::Kind::kRemove);
  EXPECT_EQ(events[4].contact, "sip:bob@192.0.2.2");
  for (const SinkEvent& e : events) EXPECT_EQ(e.aor, kBob);
}

// --- Contact details -----------------------------------------------------------------------------

TEST_F(RegistrarTest, InstanceIsStoredAndEchoed) {
  RegisterText r = with_contacts({R"(<sip:bob@192.0.2.4;ob>;reg-id=1;+sip.instance="<urn:uuid:00000000-0000-1000-8000-000A95A0E128>")"});
  const ParsedResponse resp = exchange(r, kT0);
  ASSERT_EQ(resp.status, 200);
  EXPECT_EQ(service.lookup(kBob, kT0).at(0).instance, "<urn:uuid:00000000-0000-1000-8000-000A95A0E128>");
  ASSERT_EQ(resp.contacts.size(), 1u);
  EXPECT_EQ(resp.contacts[0].uri, "sip:bob@192.0.2.4;ob");
  EXPECT_EQ(resp.contacts[0].params, R"(expires=3600;+sip.instance="<urn:uuid:00000000-0000-1000-8000-000A95A0E128>")");
}

TEST_F(RegistrarTest, ContactParametersAreNotUriParameters) {
  // RFC 4475 §3.3.12: "unknownparam" is a contact-param, not part of the bound URI.
  RegisterText r = with_contacts({"sip:+19725552222@gw1.example.net;unknownparam"});
  const ParsedResponse resp = exchange(r, kT0);
  ASSERT_EQ(resp.status, 200);
  EXPECT_EQ(bound_contacts(kT0), std::vector<std::string>{"sip:+19725552222@gw1.example.net"});
  EXPECT_EQ(resp.contacts.at(0).uri, "sip:+19725552222@gw1.example.net");
  EXPECT_EQ(resp.contacts.at(0).params, "expires=3600");
}

TEST_F(RegistrarTest, UriParametersAndHeadersOfTheContactAreKept) {
  // RFC 4475 §3.3.13 and §3.3.14.
  RegisterText r = with_contacts({"<sip:+19725552222@gw1.example.net;unknownparam>",
                                  "<sip:user@example.com?Route=%3Csip:sip.example.com%3E>"});
  const ParsedResponse resp = exchange(r, kT0);
  ASSERT_EQ(resp.status, 200);
  ASSERT_EQ(resp.contacts.size(), 2u);
  std::vector<std::string> uris = {resp.contacts[0].uri, resp.contacts[1].uri};
  std::sort(uris.begin(), uris.end());
  EXPECT_EQ(uris, (std::vector<std::string>{"sip:+19725552222@gw1.example.net;unknownparam",
                                            "sip:user@example.com?Route=%3Csip:sip.example.com%3E"}));
}

TEST_F(RegistrarTest, SipsContactNeedsSipsRequestUriAndPath) {
  // RFC 5630 §5.2.
  RegisterText r = with_contacts({"<sips:bob@192.0.2.4>"});
  const RegisterOutcome out = send(r, kT0);
  EXPECT_EQ(out.status, 400);
  EXPECT_EQ(out.reason, "SIPS Contact Needs SIPS URIs");
  r.request_uri = "sips:biloxi.com";
  r.headers = {{"Supported", "path"}, {"Path", "<sip:p1.example.com;lr>"}};
  EXPECT_EQ(send(r, kT0).status, 400);
  r.headers = {{"Supported", "path"}, {"Path", "<sips:p1.example.com;lr>"}};
  EXPECT_EQ(send(r, kT0).status, 200);
}

// --- Anything else: robust answers ---------------------------------------------------------------

TEST_F(RegistrarTest, OtherMethodsAre405) {
  const std::string text =
      "OPTIONS sip:biloxi.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nTo: <sip:bob@biloxi.com>\r\n"
      "From: <sip:a@atlanta.com>;tag=1\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
  const sip::Message msg = parse_message(text);
  const RegisterOutcome out = registrar->handle(msg, {.now = kT0, .source = kSource, .to_tag = "t"});
  ASSERT_EQ(out.status, 405);
  EXPECT_EQ(parse_response(out.response).header(sip::HeaderId::kAllow), "REGISTER");
}

TEST_F(RegistrarTest, AResponseGetsNoResponse) {
  const std::string text =
      "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nTo: <sip:bob@biloxi.com>;tag=2\r\n"
      "From: <sip:a@atlanta.com>;tag=1\r\nCall-ID: x\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n";
  const sip::Message msg = parse_message(text);
  const RegisterOutcome out = registrar->handle(msg, {.now = kT0, .source = kSource, .to_tag = "t"});
  EXPECT_EQ(out.status, 0);
  EXPECT_TRUE(out.response.empty());
  EXPECT_EQ(out.build_error, sip::BuildError::kNotARequest);
}

TEST_F(RegistrarTest, MissingToTagIsReportedNotFaked) {
  sip::Message msg = parse_message(with_contacts({"<sip:bob@192.0.2.4>"}).text());
  const RegisterOutcome out = registrar->handle(msg, {.now = kT0, .source = kSource, .to_tag = ""});
  EXPECT_EQ(out.status, 200);  // the binding was made
  EXPECT_TRUE(out.response.empty());
  EXPECT_EQ(out.build_error, sip::BuildError::kMissingToTag);
}

TEST_F(RegistrarTest, MalformedFieldsAre400) {
  struct Bad {
    std::string name, value;
  };
  const Bad cases[] = {{"Contact", "<sip:bob@192.0.2.4"}, {"Contact", "<sip:bob@192.0.2.4>;expires=abc"},
                       {"Expires", "soon"}};
  for (const Bad& b : cases) {
    RegisterText r;
    r.headers = {{b.name, b.value}};
    const RegisterOutcome out = send(r, kT0, /*validate=*/false);
    EXPECT_EQ(out.status, 400) << b.name << ": " << b.value;
    EXPECT_FALSE(out.response.empty());
  }
  RegisterText bad_cseq = with_contacts({"<sip:bob@192.0.2.4>"});
  std::string text = bad_cseq.text();
  text.replace(text.find("CSeq: 1826 REGISTER"), 19, "CSeq: x REGISTER");
  const sip::Message msg = parse_message(text);
  EXPECT_EQ(registrar->handle(msg, {.now = kT0, .source = kSource, .to_tag = "t"}).status, 400);
  EXPECT_TRUE(bound_contacts(kT0).empty());
}

TEST(RegistrarConfigCheck, NamesWhatIsWrong) {
  EXPECT_EQ(registrar_config_error(RegistrarConfig{}), "");
  RegistrarConfig c;
  c.foreign_domain_status = 500;
  EXPECT_NE(registrar_config_error(c).find("foreign_domain_status"), std::string::npos);
  c = RegistrarConfig{};
  c.min_expires = 100000;
  EXPECT_NE(registrar_config_error(c).find("min_expires"), std::string::npos);
}

TEST(RegistrarPolicy, ValidatesAsARegistrarSupportingPath) {
  LocationService service(biloxi());
  const Registrar with_path(RegistrarConfig{}, service);
  const sip::ValidationPolicy p = with_path.validation_policy();
  EXPECT_EQ(p.role, sip::Role::kRegistrar);
  ASSERT_EQ(p.supported_extensions.size(), 1u);
  EXPECT_EQ(p.supported_extensions[0], "path");
  RegistrarConfig no_path;
  no_path.support_path = false;
  EXPECT_TRUE(Registrar(no_path, service).validation_policy().supported_extensions.empty());
}

// --- Answered without a transaction (§8.2.7): retransmissions reach the registrar -------------

class StatelessRegistrarTest : public RegistrarTest {
 protected:
  RegisterOutcome send_copy(const RegisterText& r, UnixSeconds now) {
    sip::Message msg = parse_message(r.text());
    return registrar->handle(msg, {.now = now, .source = kSource, .to_tag = "st1", .stateless = true});
  }
};

TEST_F(StatelessRegistrarTest, ACopyOfTheRequestIsAnsweredAgainAndChangesNothing) {
  RegisterText r = with_contacts({"<sip:bob@192.0.2.4>;expires=600", "<sip:bob@192.0.2.5>;expires=0"});
  const RegisterOutcome first = send_copy(r, kT0);
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.changes.size(), 1u);
  sink.take();
  const RegisterOutcome again = send_copy(r, kT0 + 4);  // the client's retransmission
  EXPECT_EQ(again.status, 200);
  EXPECT_TRUE(again.changes.empty());
  EXPECT_TRUE(sink.events().empty());
  EXPECT_EQ(parse_response(again.response).contacts.size(), 1u);
  EXPECT_EQ(service.lookup(kBob, kT0 + 4).at(0).expires_at, kT0 + 600);  // not refreshed again
}

TEST_F(StatelessRegistrarTest, TheSameCSeqDoingSomethingElseIsStillOutOfOrder) {
  RegisterText r = with_contacts({"<sip:bob@192.0.2.4>;expires=600"});
  ASSERT_EQ(send_copy(r, kT0).status, 200);
  RegisterText remove = with_contacts({"<sip:bob@192.0.2.4>;expires=0"});  // same Call-ID and CSeq
  EXPECT_EQ(send_copy(remove, kT0 + 1).status, 500);
  RegisterText more = with_contacts({"<sip:bob@192.0.2.4>;expires=600", "<sip:bob@192.0.2.9>"});
  EXPECT_EQ(send_copy(more, kT0 + 1).status, 500);
  EXPECT_EQ(bound_contacts(kT0 + 1), std::vector<std::string>{"sip:bob@192.0.2.4"});
}

TEST_F(StatelessRegistrarTest, ACopyAfterTheRetransmissionWindowIsOutOfOrder) {
  RegisterText r = with_contacts({"<sip:bob@192.0.2.4>;expires=600"});
  ASSERT_EQ(send_copy(r, kT0).status, 200);
  EXPECT_EQ(send_copy(r, kT0 + kRetransmissionWindow).status, 200);
  EXPECT_EQ(send_copy(r, kT0 + kRetransmissionWindow + 1).status, 500);
}

TEST_F(StatelessRegistrarTest, ALowerCSeqIsOutOfOrder) {
  RegisterText r = with_contacts({"<sip:bob@192.0.2.4>;expires=600"});
  ASSERT_EQ(send_copy(r, kT0).status, 200);
  r.cseq--;
  EXPECT_EQ(send_copy(r, kT0 + 1).status, 500);
}

}  // namespace
}  // namespace trapezoid::registrar
