// The keys that match messages to transactions (RFC 3261 §17.1.3, §17.2.3): small values of
// string views into the messages, hashable, built without allocating.
//
//   ClientKey k;
//   if (client_key_of_response(response, k)) table.find(k);   // branch + CSeq method
//
//   ServerKey s;
//   if (server_key_of_request(request, s)) ...   // branch + sent-by + method (ACK -> INVITE);
//                                                // false without the z9hG4bK cookie (RFC 2543)
//
// A key is valid only while the message it was built from lives.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sip/message.hpp"

namespace trapezoid::transaction {

// A client transaction: the branch of the top Via it sent, and its method (§17.1.3). A CANCEL
// shares its INVITE's branch, so the method tells them apart.
struct ClientKey {
  std::string_view branch;
  std::string_view method;
  friend bool operator==(const ClientKey&, const ClientKey&) = default;
};

// A server transaction created by an RFC 3261 client (§17.2.3): branch, sent-by, and method,
// where ACK counts as INVITE. Hosts compare case-insensitively.
struct ServerKey {
  std::string_view branch;
  std::string_view host;
  std::uint16_t port = 0;  // 0 when the sent-by has no port
  std::string_view method;
  friend bool operator==(const ServerKey& a, const ServerKey& b) noexcept;
};

// The RFC 2543 index (§17.2.3) and merged-request candidates (§8.2.2.2): Call-ID and CSeq number.
struct DialogRequestKey {
  std::string_view call_id;
  std::uint32_t cseq = 0;
  friend bool operator==(const DialogRequestKey&, const DialogRequestKey&) = default;
};

struct ClientKeyHash {
  std::size_t operator()(const ClientKey& k) const noexcept;
};
struct ServerKeyHash {
  std::size_t operator()(const ServerKey& k) const noexcept;
};
struct DialogRequestKeyHash {
  std::size_t operator()(const DialogRequestKey& k) const noexcept;
};

// The key of a request this element sends (its top Via branch and request method).
[[nodiscard]] bool client_key_of_request(const sip::Message& request, ClientKey& out) noexcept;
// The key a response carries back (top Via branch, CSeq method).
[[nodiscard]] bool client_key_of_response(const sip::Message& response, ClientKey& out) noexcept;
// false when the request has no usable top Via or its branch lacks the magic cookie.
[[nodiscard]] bool server_key_of_request(const sip::Message& request, ServerKey& out) noexcept;
[[nodiscard]] bool dialog_request_key(const sip::Message& msg, DialogRequestKey& out) noexcept;

}  // namespace trapezoid::transaction
