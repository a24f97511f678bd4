#include "registrar/register_request.hpp"

#include <optional>
#include <utility>

#include "sip/contact.hpp"
#include "sip/cseq.hpp"
#include "sip/delta_seconds.hpp"
#include "sip/header_list.hpp"
#include "sip/name_addr.hpp"

namespace trapezoid::registrar {
namespace {

// §10.3 step 7: below this a short interval may not be refused with 423, whatever the minimum.
constexpr std::uint32_t kOneHour = 3600;

RequestVerdict bad(std::string_view reason) { return {400, reason}; }

// The interval granted for a requested one (§10.3 step 7), or 423.
RequestVerdict grant(std::uint32_t requested, const ExpiryPolicy& policy, std::uint32_t& granted) {
  if (requested != 0 && requested < kOneHour && requested < policy.min_expires)
    return {423, "Interval Too Brief"};
  // "The registrar MAY choose an expiration less than the requested expiration interval."
  granted = requested > policy.max_expires ? policy.max_expires : requested;
  return {};
}

}  // namespace

RequestVerdict read_register(const sip::Message& msg, const ReadOptions& options, RegisterRequest& out) {
  out = RegisterRequest{};

  const sip::HeaderField* call_id = msg.find(sip::HeaderId::kCallId);
  if (call_id == nullptr || call_id->value.empty()) return bad("Missing Call-ID");
  out.call_id = call_id->value;
  const sip::HeaderField* cseq_field = msg.find(sip::HeaderId::kCSeq);
  sip::CSeq cseq;
  if (cseq_field == nullptr || !sip::parse_cseq(cseq_field->value, cseq).empty()) return bad("Malformed CSeq");
  out.cseq = cseq.number;
  if (const sip::HeaderField* ua = msg.find(sip::HeaderId::kUserAgent); ua != nullptr) out.user_agent = ua->value;

  // The Expires header applies to every contact without an expires parameter (§10.2.1.1).
  bool has_expires_header = false;
  std::uint32_t expires_header = 0;
  if (const sip::HeaderField* h = msg.find(sip::HeaderId::kExpires); h != nullptr) {
    if (!sip::parse_delta_seconds(h->value, expires_header)) return bad("Malformed Expires");
    has_expires_header = true;
  }

  bool any_sips = false;
  bool all_sips = options.request_uri_sips;
  std::size_t elements = 0;
  const bool contacts_ok = sip::for_each_scanned<sip::Contact>(
      msg, sip::HeaderId::kContact, sip::scan_contact, [&](const sip::Contact& c) {
        ++elements;
        if (c.star) {
          out.wildcard = true;
          return;
        }
        RequestedContact rc;
        rc.uri = c.address.uri;
        rc.parsed = c.address.parsed_uri;
        rc.q = c.q;
        // The "expires" parameter, else the Expires header, else the default (§10.3 step 7);
        // values past 2**32-1 were already taken as 2**32-1 (§10.2.1).
        rc.expires = c.expires >= 0 ? static_cast<std::uint32_t>(c.expires)
                     : has_expires_header ? expires_header
                                          : options.policy.default_expires;
        if (std::optional<std::string_view> instance = c.address.params.get("+sip.instance"); instance) {
          rc.instance = !instance->empty() && instance->front() == '"' ? sip::unquote(*instance)
                                                                       : std::string(*instance);
        }
        const bool sips = rc.parsed.scheme == sip::UriScheme::kSips;
        any_sips = any_sips || sips;
        all_sips = all_sips && sips;
        out.contacts.push_back(std::move(rc));
      });
  if (!contacts_ok) return bad("Malformed Contact");

  // §10.3 step 6: "*" only alone, and only with Expires: 0.
  if (out.wildcard) {
    if (elements != 1) return bad("Wildcard Contact Not Alone");
    if (!has_expires_header || expires_header != 0) return bad("Wildcard Contact Needs Expires 0");
  }

  // §10.3 step 7: the interval of each contact, all checked before any binding is touched.
  for (RequestedContact& c : out.contacts)
    if (RequestVerdict v = grant(c.expires, options.policy, c.expires); !v.ok()) return v;

  // RFC 3327 §5.3: the path vector, in the order of the Path values.
  if (options.read_path && msg.count(sip::HeaderId::kPath) != 0) {
    bool path_ok = true;
    const bool list_ok = sip::for_each_element(msg, sip::HeaderId::kPath, [&](std::string_view element) {
      sip::NameAddr hop;
      path_ok = sip::parse_name_addr(element, hop, sip::AddrForm::kNameAddrOnly).empty();
      if (!path_ok) return false;
      all_sips = all_sips && hop.parsed_uri.scheme == sip::UriScheme::kSips;
      if (!out.path.empty()) out.path.push_back(',');
      out.path.append(element);
      return true;
    });
    if (!list_ok || !path_ok) return bad("Malformed Path");
  }

  if (any_sips && !all_sips) return bad("SIPS Contact Needs SIPS URIs");
  return {};
}

}  // namespace trapezoid::registrar
