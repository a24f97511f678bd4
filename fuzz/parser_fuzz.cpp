// libFuzzer target: one input is one UDP datagram.
//
// parse_datagram runs on the bytes; a message that parses is validated in every role, every
// typed header parser runs on the values it applies to, and the Message is owned and moved
// (its views must follow it). Everything lives on the stack of one call: no global state.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

#include "fuzz_check.hpp"
#include "sip/header_list.hpp"
#include "sip/inspect.hpp"
#include "sip/message.hpp"
#include "sip/parser.hpp"
#include "sip/validate.hpp"

namespace {

using namespace trapezoid::sip;
using trapezoid::fuzz::touch;
using trapezoid::fuzz::within;
namespace fz = trapezoid::fuzz;

// Every view of a parsed message points into `bytes` (or, once owned, into its own buffer).
void check_views(const Message& msg, std::string_view bytes) {
  FUZZ_CHECK(within(msg.raw(), bytes));
  const std::string_view raw = msg.raw();
  FUZZ_CHECK(within(msg.body(), raw));
  FUZZ_CHECK(within(msg.method_name(), raw) && within(msg.request_uri(), raw) &&
             within(msg.reason_phrase(), raw) && within(msg.version(), raw));
  for (const HeaderField& h : msg.headers()) {
    FUZZ_CHECK(within(h.name, raw) && within(h.value, raw));
    FUZZ_CHECK(!h.name.empty());
    FUZZ_CHECK(msg.find(h.id) != nullptr);
    FUZZ_CHECK(msg.find(h.name) != nullptr);
  }
  if (msg.content_length() >= 0)
    FUZZ_CHECK(msg.body().size() == static_cast<std::uint64_t>(msg.content_length()));
  FUZZ_CHECK(msg.is_request() ? msg.status_code() == 0
                              : msg.status_code() >= 100 && msg.status_code() <= 699);
  (void)touch(raw);
}

// Each list element of a header (both the comma-separated and repeated-line forms).
template <class F>
void each_element(const Message& msg, HeaderId id, F&& f) {
  (void)for_each_element(msg, id, [&](std::string_view element) {
    f(element);
    return true;
  });
}

// A single-valued header: the whole value of every line carrying it.
template <class F>
void each_value(const Message& msg, HeaderId id, F&& f) {
  msg.for_each(id, [&](const HeaderField& h) { f(h.value); });
}

void exercise_headers(const Message& msg) {
  if (msg.is_request()) fz::exercise_uri(msg.request_uri());

  each_element(msg, HeaderId::kVia, fz::exercise_via);

  // From / To are single addresses; quoted commas make splitting them a list error.
  for (HeaderId id : {HeaderId::kFrom, HeaderId::kTo, HeaderId::kReplyTo, HeaderId::kReferTo,
                      HeaderId::kReferredBy})
    each_value(msg, id, [](std::string_view v) {
      fz::exercise_name_addr(v, AddrForm::kNameAddrOrAddrSpec);
    });
  // rec-route = name-addr: Route, Record-Route, Path, Service-Route.
  for (HeaderId id : {HeaderId::kRoute, HeaderId::kRecordRoute, HeaderId::kPath,
                      HeaderId::kServiceRoute})
    each_element(msg, id, [](std::string_view e) {
      fz::exercise_name_addr(e, AddrForm::kNameAddrOnly);
      fz::exercise_name_addr(e, AddrForm::kNameAddrOrAddrSpec);
    });
  for (HeaderId id : {HeaderId::kPAssertedIdentity, HeaderId::kPPreferredIdentity})
    each_element(msg, id, [](std::string_view e) {
      fz::exercise_name_addr(e, AddrForm::kNameAddrOrAddrSpec);
    });

  each_element(msg, HeaderId::kContact, fz::exercise_contact);
  each_value(msg, HeaderId::kCSeq, fz::exercise_cseq);
  each_value(msg, HeaderId::kContentType, fz::exercise_media_type);
  each_element(msg, HeaderId::kAccept, fz::exercise_media_type);
  for (HeaderId id : {HeaderId::kMaxForwards, HeaderId::kExpires, HeaderId::kMinExpires})
    each_value(msg, id, fz::exercise_numbers);

  for (HeaderId id : {HeaderId::kWwwAuthenticate, HeaderId::kProxyAuthenticate})
    each_value(msg, id, fz::exercise_challenge);
  for (HeaderId id : {HeaderId::kAuthorization, HeaderId::kProxyAuthorization})
    each_value(msg, id, fz::exercise_credentials);
  each_value(msg, HeaderId::kEvent, fz::exercise_event);
  each_value(msg, HeaderId::kSubscriptionState, fz::exercise_subscription_state);

  (void)list_contains(msg, HeaderId::kRequire, "100rel");
  (void)list_contains(msg, HeaderId::kSupported, "timer");
  (void)list_contains(msg, HeaderId::kAllow, "INVITE");
  (void)msg.find("X-Unknown-Header");
  (void)msg.find("v");
}

void validate_all(const Message& msg) {
  if (msg.is_response()) {
    const Verdict v = validate_response(msg);
    FUZZ_CHECK(v.ok() || v.status == 400);
    return;
  }
  static constexpr std::array<std::string_view, 2> kExtensions = {"100rel", "timer"};
  static constexpr std::array<std::string_view, 1> kTypes = {"application/sdp"};
  for (Role role : {Role::kUas, Role::kProxy, Role::kRegistrar}) {
    ValidationPolicy policy;
    policy.role = role;
    Verdict v = validate_request(msg, policy);
    FUZZ_CHECK(v.ok() || (v.status >= 400 && v.status <= 699));
    (void)touch(v.detail);

    // The same role with option tags and a narrower set of body types.
    policy.supported_extensions = kExtensions;
    policy.accepted_content_types = kTypes;
    v = validate_request(msg, policy);
    FUZZ_CHECK(v.ok() || (v.status >= 400 && v.status <= 699));
    (void)touch(v.detail);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);

  // The lint path: parse + validate as a UAS would, into a Message of its own.
  {
    Message scratch;
    const Inspection inspection = inspect_datagram(bytes, scratch);
    FUZZ_CHECK(!inspection.parsed || inspection.ok() || inspection.status >= 400);
  }

  // Tight limits reach the 413/513 paths with small inputs.
  {
    Message small;
    const ParserLimits tight{.max_header_bytes = 256, .max_body_bytes = 64, .max_headers = 8};
    const ParseResult r = parse_datagram(bytes, small, tight);
    if (r.ok()) {
      FUZZ_CHECK(r.consumed <= size);
      FUZZ_CHECK(small.headers().size() <= tight.max_headers);
      FUZZ_CHECK(small.body().size() <= tight.max_body_bytes || small.content_length() < 0);
      check_views(small, bytes);
    }
  }

  Message msg;
  const ParseResult r = parse_datagram(bytes, msg);
  if (!r.ok()) {
    FUZZ_CHECK(r.status == ParseStatus::kError);  // a datagram is never "incomplete"
    FUZZ_CHECK(r.error.status >= 400 && r.error.status <= 599);
    FUZZ_CHECK(r.error.offset <= size);
    return 0;
  }
  FUZZ_CHECK(r.consumed <= size);
  FUZZ_CHECK(msg.raw().data() + msg.raw().size() == bytes.data() + r.consumed);
  check_views(msg, bytes);

  validate_all(msg);
  exercise_headers(msg);

  // own(): the views move to a private copy, and the message reads the same.
  const std::size_t header_count = msg.headers().size();
  const std::size_t raw_size = msg.raw().size();
  msg.own();
  FUZZ_CHECK(msg.owns_bytes() || raw_size == 0);
  FUZZ_CHECK(msg.headers().size() == header_count && msg.raw().size() == raw_size);
  FUZZ_CHECK(msg.raw() == bytes.substr(r.consumed - raw_size, raw_size));
  check_views(msg, msg.raw());

  // A move keeps the owned buffer (and the inline header array) consistent.
  Message moved(std::move(msg));
  FUZZ_CHECK(moved.headers().size() == header_count);
  check_views(moved, moved.raw());
  validate_all(moved);
  exercise_headers(moved);

  Message assigned;
  assigned = std::move(moved);
  FUZZ_CHECK(assigned.headers().size() == header_count);
  check_views(assigned, assigned.raw());
  (void)validate_response(assigned);
  return 0;
}
