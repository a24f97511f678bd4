#include "sip/validate.hpp"

#include <array>
#include <string>

#include "sip/charset.hpp"
#include "sip/contact.hpp"
#include "sip/cseq.hpp"
#include "sip/delta_seconds.hpp"
#include "sip/header_list.hpp"
#include "sip/media_type.hpp"
#include "sip/name_addr.hpp"
#include "sip/uri.hpp"
#include "sip/via.hpp"

namespace trapezoid::sip {
namespace {

// Reason phrases that name a header ("Malformed Via", "Missing Call-ID", ...), built once.
struct Reasons {
  std::array<std::string, kHeaderIdCount> malformed, missing, multiple;
  Reasons() {
    for (std::size_t i = 1; i < kHeaderIdCount; ++i) {
      std::string name(header_name(static_cast<HeaderId>(i)));
      malformed[i] = "Malformed " + name;
      missing[i] = "Missing " + name;
      multiple[i] = "Multiple " + name + " Headers";
    }
  }
};
const Reasons& reasons() {
  static const Reasons r;
  return r;
}
Verdict malformed(HeaderId id) { return {400, reasons().malformed[static_cast<std::size_t>(id)], {}}; }
Verdict missing(HeaderId id) { return {400, reasons().missing[static_cast<std::size_t>(id)], {}}; }
Verdict multiple(HeaderId id) { return {400, reasons().multiple[static_cast<std::size_t>(id)], {}}; }

constexpr std::array<std::string_view, 9> kDefaultAccepted = {
    "application/sdp", "multipart/mixed",   "multipart/alternative", "multipart/related",
    "text/plain",      "message/sipfrag",   "application/pidf+xml",  "application/dtmf-relay",
    "message/sip"};

bool is_sip_2_0(const Message& msg) { return charset::iequals(msg.version(), "SIP/2.0"); }

// callid = word [ "@" word ] (§25.1), in one pass: '@' is no word character, so the first
// word ends at the '@' if there is one.
bool valid_call_id(std::string_view v) {
  const char* const end = v.data() + v.size();
  const char* p = cursor::skip_word(v.data(), end);
  if (p == v.data()) return false;
  if (p == end) return true;
  if (*p != '@') return false;
  const char* const second = p + 1;
  p = cursor::skip_word(second, end);
  return p != second && p == end;
}

// Whether the CSeq names the request's method (§8.1.1.5; method names are case-sensitive, as
// lookup_method is): two known methods compare as ids, without a string compare.
bool same_method(const CSeq& cseq, const Message& msg) {
  if (cseq.method != Method::kUnknown) return cseq.method == msg.method();
  return msg.method() == Method::kUnknown && cseq.method_name == msg.method_name();
}

// rec-route / route = name-addr *( SEMI generic-param ) (§20.30, §20.34; RFC 3327 Path).
std::string_view scan_route(Scanner& s, NameAddr& a) {
  if (std::string_view err = scan_address(s, a, AddrForm::kNameAddrOnly); !err.empty()) return err;
  if (!scan_params(s, a.params)) return "Malformed Route";
  s.skip_lws();
  return {};
}

// What the syntax checks parse and the role checks use again.
struct Facts {
  CSeq cseq;
  MediaType content_type;  // empty type when there is no Content-Type
  int max_forwards = -1;   // -1 when absent
  NameAddr to;             // the To header, parsed
  bool contact_star = false;  // a Contact is "*" (then the only one)
  std::int64_t expires = -1;  // the Expires header; -1 when absent
};

// The option-tag, Method and route lists, checked by check_common.
Verdict check_lists(const Message& msg) {
  // Most messages carry none of the lists below: one test skips their eight loops.
  if ((msg.count(HeaderId::kRequire) | msg.count(HeaderId::kProxyRequire) | msg.count(HeaderId::kUnsupported) |
       msg.count(HeaderId::kSupported) | msg.count(HeaderId::kAllow) | msg.count(HeaderId::kRoute) |
       msg.count(HeaderId::kRecordRoute) | msg.count(HeaderId::kPath)) == 0)
    return {};
  // option-tag and Method lists (§20.5, §20.29, §20.32, §20.37, §20.40): tokens, no empty
  // elements, so that a malformed Require cannot hide the tag it demands. Supported and Allow
  // may be empty altogether (§25.1: "Supported = ... HCOLON [option-tag *(COMMA option-tag)]",
  // "Allow = ... HCOLON [Method *(COMMA Method)]"); Require, Proxy-Require and Unsupported not.
  const auto is_token = [](std::string_view tag) { return charset::all_token(tag); };
  for (HeaderId id : {HeaderId::kRequire, HeaderId::kProxyRequire, HeaderId::kUnsupported})
    if (!all_elements(msg, id, is_token)) return malformed(id);
  for (HeaderId id : {HeaderId::kSupported, HeaderId::kAllow}) {
    bool ok = true;
    msg.for_each(id, [&](const HeaderField& h) {
      if (ok && !trim_lws(h.value).empty())
        ok = for_each_list_element(h.value, [&](std::string_view tag) { return ok = is_token(tag); }) && ok;
    });
    if (!ok) return malformed(id);
  }
  for (HeaderId id : {HeaderId::kRoute, HeaderId::kRecordRoute, HeaderId::kPath})
    if (!for_each_scanned<NameAddr>(msg, id, scan_route, [](const NameAddr&) {})) return malformed(id);
  return {};
}

// Checks the header fields both requests and responses need (§8.1.1, §20): presence, no
// repeats of single-value fields, and the syntax of each typed field.
// `ruri` is the parsed Request-URI of a request, nullptr for a response.
Verdict check_common(const Message& msg, Facts& facts, const Uri* ruri) {
  for (HeaderId id : {HeaderId::kVia, HeaderId::kFrom, HeaderId::kTo, HeaderId::kCallId, HeaderId::kCSeq})
    if (msg.count(id) == 0) return missing(id);
  if (HeaderId id = msg.repeated_single_header(); id != HeaderId::kUnknown) return multiple(id);

  // A lone Via field of one element is the top Via, which the message parses once for all
  // its readers (the transport's received/rport stamp, the transaction keys).
  const bool lone_via = msg.count(HeaderId::kVia) == 1 && msg.top_via_text() == msg.find(HeaderId::kVia)->value;
  if (lone_via ? msg.top_via() == nullptr : !for_each_scanned<Via>(msg, HeaderId::kVia, scan_via, [](const Via&) {}))
    return malformed(HeaderId::kVia);

  // From is only checked; To is kept for the registrar (§10.3 step 5). A To URI that repeats
  // the Request-URI is copied rather than parsed again.
  if (!parse_name_addr(msg.find(HeaderId::kFrom)->value, facts.to).empty()) return malformed(HeaderId::kFrom);
  const KnownUri known{msg.request_uri(), ruri};
  if (!parse_name_addr(msg.find(HeaderId::kTo)->value, facts.to, AddrForm::kNameAddrOrAddrSpec, &known).empty())
    return malformed(HeaderId::kTo);
  if (!valid_call_id(msg.find(HeaderId::kCallId)->value)) return malformed(HeaderId::kCallId);
  if (!parse_cseq(msg.find(HeaderId::kCSeq)->value, facts.cseq).empty()) return malformed(HeaderId::kCSeq);

  if (const HeaderField* h = msg.find(HeaderId::kMaxForwards); h != nullptr && !parse_max_forwards(h->value, facts.max_forwards))
    return malformed(HeaderId::kMaxForwards);
  for (HeaderId id : {HeaderId::kExpires, HeaderId::kMinExpires}) {
    std::uint32_t secs = 0;
    if (const HeaderField* h = msg.find(id); h != nullptr) {
      if (!parse_delta_seconds(h->value, secs)) return malformed(id);
      if (id == HeaderId::kExpires) facts.expires = secs;
    }
  }
  if (const HeaderField* h = msg.find(HeaderId::kContentType); h != nullptr && !parse_media_type(h->value, facts.content_type).empty())
    return malformed(HeaderId::kContentType);
  bool star = false;
  std::size_t contacts = 0;
  bool contacts_ok = for_each_scanned<Contact>(msg, HeaderId::kContact, scan_contact, [&](const Contact& c) {
    star = star || c.star;
    ++contacts;
  });
  if (!contacts_ok || (star && contacts > 1)) return malformed(HeaderId::kContact);
  facts.contact_star = star;
  return check_lists(msg);
}

// The first option tag of a Require/Proxy-Require list that is not supported, or "".
std::string_view first_unsupported(const Message& msg, HeaderId id,
                                   std::span<const std::string_view> supported) {
  std::string_view found;
  if (msg.count(id) == 0) return found;  // the usual case, without setting up the walk
  (void)for_each_element(msg, id, [&](std::string_view tag) {
    for (std::string_view s : supported)
      if (charset::iequals(s, tag)) return true;
    found = tag;
    return false;
  });
  return found;
}

Verdict check_uas(const Message& msg, const Facts& facts, const ValidationPolicy& policy) {
  // §8.2.1: a method the UAS does not know at all is 501.
  if (msg.method() == Method::kUnknown) return {501, "Not Implemented", {}};
  if (!same_method(facts.cseq, msg)) return {400, "CSeq Method Mismatch", {}};
  const bool ack_or_cancel = msg.method() == Method::kAck || msg.method() == Method::kCancel;
  // §8.2.2.3: unknown Require option tags get 420, except on ACK and CANCEL.
  if (!ack_or_cancel) {
    if (std::string_view tag = first_unsupported(msg, HeaderId::kRequire, policy.supported_extensions);
        !tag.empty())
      return {420, "Bad Extension", tag};
  }
  // §8.2.3: a body of a type the UAS does not understand is 415.
  if (!msg.body().empty() && !policy.accepted_content_types.empty() && !ack_or_cancel) {
    if (facts.content_type.type.empty()) return {400, "Missing Content-Type", {}};
    bool accepted = false;
    for (std::string_view a : policy.accepted_content_types) {
      accepted = facts.content_type.in_range(a);
      if (accepted) break;
    }
    if (!accepted) return {415, "Unsupported Media Type", {}};
    if (const HeaderField* ce = msg.find(HeaderId::kContentEncoding);
        ce != nullptr && !charset::iequals(trim_lws(ce->value), "identity"))
      return {415, "Unsupported Media Type", {}};
  }
  // §20.1: an INVITE whose Accept excludes the type of the answer cannot be answered (406).
  if (msg.method() == Method::kInvite && msg.count(HeaderId::kAccept) != 0 &&
      !policy.answer_content_type.empty()) {
    bool acceptable = false;
    (void)for_each_element(msg, HeaderId::kAccept, [&](std::string_view e) {
      MediaType range;
      if (!parse_media_type(e, range).empty() || !range.matches(policy.answer_content_type)) return true;
      // RFC 2616 §14.1, which §20.1 follows: a range with q=0 is "not acceptable".
      int q = 1000;
      if (auto qv = range.params.get("q"); qv && !parse_qvalue(*qv, q)) q = 1000;
      acceptable = q > 0;
      return !acceptable;
    });
    if (!acceptable) return {406, "Not Acceptable", {}};
  }
  return {};
}

Verdict check_registrar(const Message& msg, const Facts& facts, const ValidationPolicy& policy) {
  if (Verdict v = check_uas(msg, facts, policy); !v.ok() || msg.method() != Method::kRegister) return v;
  // §10.3 step 5 and RFC 4475 §3.3.4: the address-of-record must be a SIP or SIPS URI. The
  // syntax checks parsed To and the Contacts already.
  if (!facts.to.parsed_uri.is_sip_or_sips()) return {400, "Invalid Address-of-Record", {}};
  // §10.3 step 6: "*" only alone and with Expires: 0.
  if (facts.contact_star && facts.expires != 0) return {400, "Wildcard Contact Needs Expires 0", {}};
  return {};
}

Verdict check_proxy(const Message& msg, const Facts& facts, const ValidationPolicy& policy) {
  if (!same_method(facts.cseq, msg)) return {400, "CSeq Method Mismatch", {}};
  // §16.3 step 3: Max-Forwards 0 stops the request here.
  if (facts.max_forwards == 0) return {483, "Too Many Hops", {}};
  // §16.3 step 5: Proxy-Require.
  if (std::string_view tag = first_unsupported(msg, HeaderId::kProxyRequire, policy.supported_extensions);
      !tag.empty())
    return {420, "Bad Extension", tag};
  return {};
}

}  // namespace

std::span<const std::string_view> ValidationPolicy::default_accepted_types() noexcept {
  return kDefaultAccepted;
}

namespace {

// validate_syntax, keeping the parsed Request-URI (the message's own) and CSeq for the role checks.
Verdict check_request_syntax(const Message& msg, const Uri*& ruri, Facts& facts) {
  if (!msg.is_request()) return {400, "Not A Request", {}};
  // §8.2 and §16.3 step 1: the version first (505), then syntax (400). The version is the
  // literal "SIP/2.0" (§7.1), so "SIP/02.00" is another version.
  if (!is_sip_2_0(msg)) return {505, "Version Not Supported", {}};
  ruri = msg.parsed_request_uri();
  if (ruri == nullptr) return {400, "Malformed Request-URI", {}};
  // §19.1.1 table: headers are not allowed in a Request-URI (RFC 4475 §3.1.2.11 lets a
  // receiver reject them with 400).
  if (ruri->is_sip_or_sips() && !ruri->headers.empty()) return {400, "Headers Not Allowed In Request-URI", {}};
  return check_common(msg, facts, ruri);
}

}  // namespace

Verdict validate_syntax(const Message& msg) {
  const Uri* ruri = nullptr;
  Facts facts;
  return check_request_syntax(msg, ruri, facts);
}

namespace {

// For a request whose syntax passed already (Message::syntax_valid): the Request-URI and what
// the proxy's checks read (CSeq, Max-Forwards), parsed again; false when anything is amiss,
// and then the whole check runs.
bool proxy_facts_of_checked(const Message& msg, const Uri*& ruri, Facts& facts) {
  const HeaderField* cseq = msg.find(HeaderId::kCSeq);
  ruri = msg.parsed_request_uri();
  if (!msg.is_request() || cseq == nullptr || ruri == nullptr || !parse_cseq(cseq->value, facts.cseq).empty())
    return false;
  const HeaderField* mf = msg.find(HeaderId::kMaxForwards);
  return mf == nullptr || parse_max_forwards(mf->value, facts.max_forwards);
}

}  // namespace

Verdict validate_request(const Message& msg, const ValidationPolicy& policy) {
  const Uri* ruri = nullptr;
  Facts facts;
  // A proxy sees every request the transport validated on receipt: the syntax is not checked
  // twice. The other roles read more of what the syntax check parses (To, Contact, Expires).
  const bool try_checked = msg.syntax_valid() && policy.role == Role::kProxy;
  const bool checked = try_checked && proxy_facts_of_checked(msg, ruri, facts);
  if (!checked) {
    if (try_checked) facts = Facts{};  // what the failed shortcut left; Facts is not small
    if (Verdict v = check_request_syntax(msg, ruri, facts); !v.ok()) return v;
  }
  // §8.2.2.1 and §16.3 step 2: a scheme the element cannot handle is 416.
  if (ruri->scheme == UriScheme::kOther) return {416, "Unsupported URI Scheme", {}};
  switch (policy.role) {
    case Role::kUas: return check_uas(msg, facts, policy);
    case Role::kRegistrar: return check_registrar(msg, facts, policy);
    case Role::kProxy: return check_proxy(msg, facts, policy);
  }
  return {};
}

Verdict validate_response(const Message& msg) {
  if (!msg.is_response()) return {400, "Not A Response", {}};
  if (!is_sip_2_0(msg)) return {400, "Version Not Supported", {}};
  Facts facts;
  return check_common(msg, facts, nullptr);
}

}  // namespace trapezoid::sip
