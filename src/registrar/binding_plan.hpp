// The heart of RFC 3261 §10.3 steps 6 and 7: what one REGISTER does to the live bindings of its
// address-of-record, decided as a whole before anything changes (the request is atomic: it is
// applied completely or not at all). Run by the registrar inside LocationService::update().
//
//   BindingEdit edit;
//   PlanVerdict v = plan_bindings(request, {.now = now, .received = "udp:192.0.2.4:5060",
//                                           .max_contacts = 10}, live, edit);
//   if (!v.ok()) reply(v.status, v.reason);   // 500 out of order, 403 too many contacts
//
// The rules:
// - "*" (step 6): every binding is removed, unless one has the request's Call-ID and a CSeq
//   not lower than the request's: then nothing is, and the request fails.
// - Each contact (step 7), in order, is looked up among the bindings by URI equality
//   (§19.1.4). A binding with another Call-ID, or the same Call-ID and a lower CSeq, is
//   rewritten (or removed when the interval is 0); one with the same Call-ID and a CSeq not
//   lower fails the request. A contact not bound yet is added (nothing happens for 0).
//   A contact named twice in one request takes its last value.
// - Failing order: 500 (Server Internal Error), "Out of Order REGISTER". §10.3 leaves the code
//   open ("the update MUST be aborted and the request fails"); such a request is a delayed
//   copy of one already applied, and §12.2.2 answers the same situation inside a dialog
//   (a CSeq lower than the last one seen) with 500. 400 would tell the UA its request is
//   malformed, which it is not.
// - Too many contacts: when the request adds bindings and the AoR would hold more than
//   max_contacts, 403 (Forbidden), "Too Many Contacts". No RFC defines this limit. 403 says the
//   server understood and refuses, and that retrying the same request will not help; 503 would
//   invite the UA to retry elsewhere or later (§21.5.4), which cannot succeed either. A request
//   that only refreshes or removes is never refused for this (a lowered limit must not lock
//   users out of refreshing).
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

#include "registrar/location_service.hpp"
#include "registrar/register_request.hpp"
#include "registrar/stored_binding.hpp"

namespace trapezoid::registrar {

struct PlanContext {
  UnixSeconds now = 0;
  std::string_view received;     // the request's source, for Binding::received
  std::size_t max_contacts = 10; // per AoR; 0 means no limit
  // > 0: a live binding written by a request with this request's Call-ID and CSeq at most
  // this many seconds ago marks this request as a copy of that one (a retransmission reaching
  // a stateless registrar): the plan is empty and succeeds. 0: such a request is out of order.
  UnixSeconds repeat_window = 0;
};

struct PlanVerdict {
  int status = 0;           // 0, 403 or 500
  std::string_view reason;  // static storage
  [[nodiscard]] bool ok() const noexcept { return status == 0; }
};

// Fills `edit` (expected empty) with what `request` does to `live`; on failure `edit` is left
// partly filled and must be discarded.
[[nodiscard]] PlanVerdict plan_bindings(const RegisterRequest& request, const PlanContext& context,
                                        std::span<const StoredBinding> live, BindingEdit& edit);

}  // namespace trapezoid::registrar
