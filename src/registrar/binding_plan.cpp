#include "registrar/binding_plan.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "sip/uri.hpp"

namespace trapezoid::registrar {
namespace {

constexpr PlanVerdict kOutOfOrder{500, "Out of Order REGISTER"};
constexpr PlanVerdict kTooManyContacts{403, "Too Many Contacts"};

// §10.3 steps 6 and 7: a binding written by a REGISTER of the same Call-ID with a CSeq at
// least this request's means this request is older (or a copy): it must not apply.
bool is_newer_than_request(const StoredBinding& b, const RegisterRequest& r) {
  return b.call_id() == r.call_id && r.cseq <= b.cseq();
}

// §8.2.7: a registrar answering without transactions sees retransmissions. A binding written
// by this very request (its Call-ID and CSeq, recently) marks the request as such a copy.
bool written_by_request(const StoredBinding& b, const RegisterRequest& r, const PlanContext& ctx) {
  return ctx.repeat_window > 0 && b.call_id() == r.call_id && b.cseq() == r.cseq &&
         b.updated_at() + ctx.repeat_window >= ctx.now;
}

Binding make_binding(const RequestedContact& c, const RegisterRequest& r, const PlanContext& ctx) {
  Binding b;
  b.contact = c.uri;
  b.call_id = r.call_id;  // "Each binding record records the Call-ID and CSeq values" (step 7)
  b.cseq = r.cseq;
  b.expires_at = ctx.now + static_cast<UnixSeconds>(c.expires);
  b.q = c.q;
  b.path = r.path;
  b.received = ctx.received;
  b.instance = c.instance;
  b.user_agent = r.user_agent;
  b.updated_at = ctx.now;
  return b;
}

}  // namespace

PlanVerdict plan_bindings(const RegisterRequest& request, const PlanContext& context,
                          std::span<const StoredBinding> live, BindingEdit& edit) {
  // Step 6: "*" removes every binding, in order or not at all.
  if (request.wildcard) {
    for (const StoredBinding& b : live)
      if (is_newer_than_request(b, request)) return kOutOfOrder;
    for (std::size_t i = 0; i < live.size(); ++i) edit.removals.push_back(i);
    return {};
  }

  // The stored contacts, parsed once for the §19.1.4 comparisons. A contact that does not
  // parse (only a damaged store could hold one) is compared byte for byte.
  std::vector<sip::Uri> stored(live.size());
  std::vector<bool> stored_parsed(live.size());
  for (std::size_t i = 0; i < live.size(); ++i)
    stored_parsed[i] = sip::parse_uri(live[i].contact(), stored[i]).empty();
  auto find_live = [&](const RequestedContact& c) -> std::size_t {
    for (std::size_t i = 0; i < live.size(); ++i) {
      if (stored_parsed[i] ? sip::uri_equal(stored[i], c.parsed) : live[i].contact() == c.uri) return i;
    }
    return BindingEdit::kNew;
  };

  // Step 7, each contact in turn. What happens to each live binding (the last mention wins),
  // and which new contacts are added.
  std::vector<const RequestedContact*> latest(live.size(), nullptr);
  std::vector<const RequestedContact*> additions;
  bool copy = false;  // a contact bound by this very request: a retransmission (§8.2.7)
  for (const RequestedContact& c : request.contacts) {
    if (const std::size_t i = find_live(c); i != BindingEdit::kNew) {
      // Compared with the binding as stored, not as this request already rewrote it.
      if (latest[i] == nullptr && is_newer_than_request(live[i], request)) {
        if (c.expires == 0 || !written_by_request(live[i], request, context)) return kOutOfOrder;
        copy = true;
      }
      latest[i] = &c;
      continue;
    }
    auto earlier = std::find_if(additions.begin(), additions.end(), [&c](const RequestedContact* a) {
      return sip::uri_equal(a->parsed, c.parsed);
    });
    if (earlier != additions.end()) {
      if (c.expires == 0) additions.erase(earlier);  // added, then removed, by one request
      else *earlier = &c;
    } else if (c.expires != 0) {
      additions.push_back(&c);
    }
  }

  if (copy) {
    // A copy through and through: every contact it binds is bound by it already, and what it
    // removed is gone. Then nothing is left to apply; anything else is out of order.
    if (!additions.empty()) return kOutOfOrder;
    for (std::size_t i = 0; i < live.size(); ++i)
      if (latest[i] != nullptr && !written_by_request(live[i], request, context)) return kOutOfOrder;
    return {};
  }

  std::size_t remaining = live.size();
  for (std::size_t i = 0; i < live.size(); ++i) {
    if (latest[i] == nullptr) continue;
    if (latest[i]->expires == 0) {
      edit.removals.push_back(i);
      --remaining;
    } else {
      edit.writes.push_back({i, make_binding(*latest[i], request, context)});
    }
  }
  if (!additions.empty() && context.max_contacts != 0 && remaining + additions.size() > context.max_contacts)
    return kTooManyContacts;
  for (const RequestedContact* c : additions) edit.writes.push_back({BindingEdit::kNew, make_binding(*c, request, context)});
  return {};
}

}  // namespace trapezoid::registrar
