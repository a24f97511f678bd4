#include "transaction/transaction_key.hpp"


#include "sip/charset.hpp"
#include "transaction/message_fields.hpp"

namespace trapezoid::transaction {
namespace {

// FNV-1a, optionally over lowercased bytes.
constexpr std::size_t kFnvOffset = 14695981039346656037ull;
constexpr std::size_t kFnvPrime = 1099511628211ull;

std::size_t mix(std::size_t h, std::string_view s, bool fold_case) noexcept {
  for (char c : s) {
    h ^= static_cast<unsigned char>(fold_case ? sip::charset::lower(c) : c);
    h *= kFnvPrime;
  }
  return h;
}

std::size_t mix(std::size_t h, std::uint64_t v) noexcept {
  h ^= static_cast<std::size_t>(v);
  return h * kFnvPrime;
}

constexpr std::string_view kInvite = "INVITE";

}  // namespace

bool operator==(const ServerKey& a, const ServerKey& b) noexcept {
  return a.branch == b.branch && a.port == b.port && a.method == b.method &&
         sip::charset::iequals(a.host, b.host);
}

std::size_t ClientKeyHash::operator()(const ClientKey& k) const noexcept {
  return mix(mix(kFnvOffset, k.branch, false), k.method, false);
}

std::size_t ServerKeyHash::operator()(const ServerKey& k) const noexcept {
  std::size_t h = mix(kFnvOffset, k.branch, false);
  h = mix(h, k.host, true);
  h = mix(h, k.port);
  return mix(h, k.method, false);
}

std::size_t DialogRequestKeyHash::operator()(const DialogRequestKey& k) const noexcept {
  return mix(mix(kFnvOffset, k.call_id, false), k.cseq);
}

bool client_key_of_request(const sip::Message& request, ClientKey& out) noexcept {
  sip::Via via;
  if (!request.is_request() || !top_via(request, via) || via.branch.empty()) return false;
  out = ClientKey{via.branch, request.method_name()};
  return true;
}

bool client_key_of_response(const sip::Message& response, ClientKey& out) noexcept {
  sip::Via via;
  sip::CSeq cseq;
  if (!response.is_response() || !top_via(response, via) || via.branch.empty() ||
      !cseq_of(response, cseq))
    return false;
  out = ClientKey{via.branch, cseq.method_name};
  return true;
}

bool server_key_of_request(const sip::Message& request, ServerKey& out) noexcept {
  sip::Via via;
  if (!request.is_request() || !top_via(request, via) || !via.has_magic_cookie()) return false;
  // RFC 3261 §17.2.3 rule 3: an ACK belongs to the INVITE's transaction.
  const std::string_view method =
      request.method() == sip::Method::kAck ? kInvite : request.method_name();
  out = ServerKey{via.branch, via.host, via.has_port ? via.port : std::uint16_t{0}, method};
  return true;
}

bool dialog_request_key(const sip::Message& msg, DialogRequestKey& out) noexcept {
  sip::CSeq cseq;
  const std::string_view id = call_id(msg);
  if (id.empty() || !cseq_of(msg, cseq)) return false;
  out = DialogRequestKey{id, cseq.number};
  return true;
}

}  // namespace trapezoid::transaction
