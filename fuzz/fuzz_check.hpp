// Shared helpers of the fuzz targets: invariant checks and the typed header exercisers.
//
// A broken invariant prints what failed and executes a trap instruction, which libFuzzer
// reports as a crash ("deadly signal") and saves the input that caused it. The properties
// checked here are the ones the public headers of src/sip promise: views point into the
// parsed text, round trips re-parse, values stay in their documented ranges.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "sip/auth_header.hpp"
#include "sip/contact.hpp"
#include "sip/cseq.hpp"
#include "sip/delta_seconds.hpp"
#include "sip/event_header.hpp"
#include "sip/host.hpp"
#include "sip/media_type.hpp"
#include "sip/name_addr.hpp"
#include "sip/params.hpp"
#include "sip/uri.hpp"
#include "sip/via.hpp"

#define FUZZ_CHECK(cond)                                                                    \
  do {                                                                                      \
    if (!(cond)) {                                                                          \
      std::fprintf(stderr, "FUZZ_CHECK failed: %s at %s:%d\n", #cond, __FILE__, __LINE__); \
      __builtin_trap();                                                                     \
    }                                                                                       \
  } while (0)

namespace trapezoid::fuzz {

namespace sip = trapezoid::sip;

// Whether `view` lies inside `text`; an empty view may point anywhere.
inline bool within(std::string_view view, std::string_view text) noexcept {
  if (view.empty()) return true;
  const auto begin = reinterpret_cast<std::uintptr_t>(text.data());
  const auto first = reinterpret_cast<std::uintptr_t>(view.data());
  return first >= begin && first - begin <= text.size() &&
         view.size() <= text.size() - (first - begin);
}

// Reads every byte of a view, so ASan sees a view that points at freed or foreign memory.
inline std::size_t touch(std::string_view view) noexcept {
  std::size_t sum = 0;
  for (char c : view) sum += static_cast<unsigned char>(c);
  return sum;
}

// Looks every parameter up by name, plus a name that is usually absent.
inline void exercise_params(const sip::Params& params, std::string_view text) {
  FUZZ_CHECK(within(params.raw(), text));
  params.for_each([&](const sip::Param& p) {
    FUZZ_CHECK(!p.name.empty());
    FUZZ_CHECK(within(p.name, text) && within(p.value, text));
    FUZZ_CHECK(p.has_value || p.value.empty());
    // The first parameter of that name is found; it exists, so the lookup cannot miss.
    FUZZ_CHECK(params.get(p.name).has_value());
  });
  (void)params.get("tag");
  (void)params.has("lr");
  (void)params.get("");
}

// parse_uri, then the accessors, unescape, equality and the to_string round trip.
inline void exercise_uri(std::string_view text) {
  sip::Uri uri;
  if (!sip::parse_uri(text, uri).empty()) return;
  FUZZ_CHECK(within(uri.scheme_name, text) && within(uri.user, text) &&
             within(uri.password, text) && within(uri.host, text) &&
             within(uri.params, text) && within(uri.headers, text) && within(uri.opaque, text));
  (void)uri.param("transport");
  (void)uri.param("lr");
  (void)uri.param("maddr");
  (void)uri.header("subject");
  (void)sip::unescape(uri.user);
  (void)sip::unescape(uri.password);
  (void)sip::unescape(uri.host);
  FUZZ_CHECK(sip::uri_equal(uri, uri));
  // uri.hpp: to_string "re-parses to an equal Uri".
  const std::string canonical = sip::to_string(uri);
  sip::Uri again;
  FUZZ_CHECK(sip::parse_uri(canonical, again).empty());
  FUZZ_CHECK(sip::uri_equal(uri, again));
}

inline void exercise_via(std::string_view text) {
  sip::Via via;
  if (!sip::parse_via(text, via).empty()) return;
  FUZZ_CHECK(within(via.protocol_name, text) && within(via.protocol_version, text) &&
             within(via.transport, text) && within(via.host, text) &&
             within(via.branch, text) && within(via.received, text) && within(via.maddr, text));
  FUZZ_CHECK(via.host_kind != sip::HostKind::kNone);
  FUZZ_CHECK(via.ttl >= -1 && via.ttl <= 255);
  FUZZ_CHECK(via.rport_value >= -1 && via.rport_value <= 65535);
  FUZZ_CHECK(via.has_port || via.port == 0);
  (void)via.has_magic_cookie();
  (void)sip::classify_host(via.host);
  exercise_params(via.params, text);
  (void)via.params.get("branch");
  (void)via.params.get("received");
}

inline void exercise_name_addr(std::string_view text, sip::AddrForm form) {
  sip::NameAddr addr;
  if (!sip::parse_name_addr(text, addr, form).empty()) return;
  FUZZ_CHECK(within(addr.display_name, text) && within(addr.uri, text));
  FUZZ_CHECK(!addr.uri.empty());
  FUZZ_CHECK(form == sip::AddrForm::kNameAddrOrAddrSpec || addr.angle_brackets);
  (void)sip::unquote(addr.display_name);
  exercise_params(addr.params, text);
  // The URI inside the address gets the full URI treatment too.
  exercise_uri(addr.uri);
}

inline void exercise_contact(std::string_view text) {
  sip::Contact contact;
  if (!sip::parse_contact(text, contact).empty()) return;
  FUZZ_CHECK(contact.q >= -1 && contact.q <= 1000);
  FUZZ_CHECK(contact.expires >= -1 && contact.expires <= 0xFFFFFFFFLL);
  if (contact.star) return;
  FUZZ_CHECK(within(contact.address.uri, text));
  exercise_params(contact.address.params, text);
}

inline void exercise_cseq(std::string_view text) {
  sip::CSeq cseq;
  if (!sip::parse_cseq(text, cseq).empty()) return;
  FUZZ_CHECK(within(cseq.method_name, text) && !cseq.method_name.empty());
  FUZZ_CHECK(cseq.method == sip::lookup_method(cseq.method_name));
}

inline void exercise_media_type(std::string_view text) {
  sip::MediaType type;
  if (!sip::parse_media_type(text, type).empty()) return;
  FUZZ_CHECK(within(type.type, text) && within(type.subtype, text));
  FUZZ_CHECK(!type.type.empty() && !type.subtype.empty());
  (void)type.matches("application/sdp");
  (void)type.matches("*/*");
  (void)type.matches("text/");
  exercise_params(type.params, text);
  (void)type.params.get("charset");
}

// delta-seconds, Max-Forwards and qvalue share one input.
inline void exercise_numbers(std::string_view text) {
  std::uint32_t seconds = 0;
  (void)sip::parse_delta_seconds(text, seconds);
  int hops = -1;
  if (sip::parse_max_forwards(text, hops)) FUZZ_CHECK(hops >= 0 && hops <= 255);
  int q = -1;
  if (sip::parse_qvalue(text, q)) FUZZ_CHECK(q >= 0 && q <= 1000);
}

inline void exercise_auth_params(const sip::AuthValue& value, std::string_view text) {
  FUZZ_CHECK(value.param_count <= sip::AuthValue::kMaxParams);
  FUZZ_CHECK(within(value.scheme, text) && within(value.token68, text));
  for (const sip::AuthParam& p : value.params()) {
    FUZZ_CHECK(within(p.name, text) && within(p.value, text));
    FUZZ_CHECK(value.find(p.name) == &p);  // names are unique
    (void)p.inner();
    (void)p.text();
    (void)p.is_quoted();
  }
  (void)value.is_digest();
}

// parse_challenge with its getters, then a challenge built from what was read must parse back.
inline void exercise_challenge(std::string_view text) {
  sip::Challenge c;
  if (!sip::parse_challenge(text, c, sip::HeaderId::kProxyAuthenticate).empty()) return;
  exercise_auth_params(c, text);
  const auto realm = c.realm();
  const auto nonce = c.nonce();
  const auto opaque = c.opaque();
  const auto domain = c.domain();
  const auto algorithm = c.algorithm();
  const auto qop = c.qop();
  (void)c.offers_qop("auth");
  (void)c.offers_qop("auth-int");
  const auto stale = c.stale();
  const auto userhash = c.userhash();
  if (!realm || !nonce) return;
  sip::DigestChallengeSpec spec;
  spec.realm = *realm;
  spec.nonce = *nonce;
  if (opaque) spec.opaque = *opaque;
  if (domain) spec.domain = *domain;
  if (algorithm) spec.algorithm = *algorithm;
  if (qop) spec.qop = *qop;
  spec.stale = stale.value_or(false);
  spec.userhash = userhash.value_or(false);
  const std::optional<std::string> built = sip::build_digest_challenge(spec);
  if (!built) return;
  sip::Challenge back;
  FUZZ_CHECK(sip::parse_challenge(*built, back).empty());
  FUZZ_CHECK(back.realm() == realm && back.nonce() == nonce);
}

// parse_credentials with its getters, then the same round trip through the builder.
inline void exercise_credentials(std::string_view text) {
  sip::Credentials c;
  if (!sip::parse_credentials(text, c, sip::HeaderId::kProxyAuthorization).empty()) return;
  exercise_auth_params(c, text);
  const auto username = c.username();
  const auto realm = c.realm();
  const auto nonce = c.nonce();
  const auto uri = c.uri();
  const auto response = c.response();
  const auto algorithm = c.algorithm();
  const auto cnonce = c.cnonce();
  const auto opaque = c.opaque();
  const auto qop = c.qop();
  const auto nc = c.nc();
  const auto userhash = c.userhash();
  if (c.is_digest() && c.find("nc") != nullptr) FUZZ_CHECK(nc.has_value());
  if (!username || !realm || !nonce || !uri || !response) return;
  sip::DigestCredentialsSpec spec;
  spec.username = *username;
  spec.realm = *realm;
  spec.nonce = *nonce;
  spec.uri = *uri;
  spec.response = *response;
  if (algorithm) spec.algorithm = *algorithm;
  if (cnonce) spec.cnonce = *cnonce;
  if (opaque) spec.opaque = *opaque;
  if (qop) spec.qop = *qop;
  spec.nc = nc.value_or(0);
  spec.userhash = userhash.value_or(false);
  const std::optional<std::string> built = sip::build_digest_credentials(spec);
  if (!built) return;
  sip::Credentials back;
  FUZZ_CHECK(sip::parse_credentials(*built, back).empty());
  FUZZ_CHECK(back.username() == username && back.uri() == uri);
}

inline void exercise_event(std::string_view text) {
  sip::Event e;
  if (!sip::parse_event(text, e).empty()) return;
  FUZZ_CHECK(e.param_count <= sip::EventParamList::kMaxParams);
  FUZZ_CHECK(within(e.type, text) && within(e.package, text) && within(e.templates, text));
  FUZZ_CHECK(!e.package.empty());
  if (e.id) FUZZ_CHECK(within(*e.id, text));
  for (const sip::EventParam& p : e.params()) FUZZ_CHECK(within(p.name, text) && within(p.value, text));
  (void)e.find("id");
  FUZZ_CHECK(sip::same_event(e, e));
}

inline void exercise_subscription_state(std::string_view text) {
  sip::SubscriptionState s;
  if (!sip::parse_subscription_state(text, s).empty()) return;
  FUZZ_CHECK(s.param_count <= sip::EventParamList::kMaxParams);
  FUZZ_CHECK(within(s.state_name, text) && within(s.reason, text));
  for (const sip::EventParam& p : s.params()) FUZZ_CHECK(within(p.name, text) && within(p.value, text));
  (void)s.find("reason");
}

}  // namespace trapezoid::fuzz
