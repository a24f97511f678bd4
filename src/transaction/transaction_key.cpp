#include "transaction/transaction_key.hpp"

#include <cstring>

#include "sip/charset.hpp"
#include "transaction/message_fields.hpp"

namespace trapezoid::transaction {
namespace {

// Eight bytes per step: a multiply and a rotate per word, then a final avalanche, so branches
// and Call-IDs of 30-50 bytes hash in a handful of steps rather than one multiply per byte.
// `fold` ORs 0x20 into every byte: letters then hash alike in either case, as the key's
// comparison (iequals) wants; that other bytes may collide only costs a compare.
constexpr std::uint64_t kMul = 0x9E3779B97F4A7C15ull;

std::uint64_t step(std::uint64_t h, std::uint64_t w) noexcept {
  h = (h ^ w) * kMul;
  return (h << 31) | (h >> 33);
}

std::uint64_t mix(std::uint64_t h, std::string_view s, bool fold_case) noexcept {
  const std::uint64_t fold = fold_case ? 0x2020202020202020ull : 0;
  const char* p = s.data();
  std::size_t n = s.size();
  for (; n >= 8; p += 8, n -= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = step(h, w | fold);
  }
  if (n > 0) {
    // The last n bytes, without a variable-length copy: the word ending at the string's end
    // (whose first bytes were hashed already) shifted down, or the bytes one by one.
    std::uint64_t w = 0;
    if (s.size() >= 8) {
      std::memcpy(&w, p + n - 8, 8);
      w >>= 8 * (8 - n);
    } else {
      for (std::size_t i = 0; i < n; ++i) w |= std::uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
    }
    h = step(h, w | (fold >> (8 * (8 - n))));
  }
  return step(h, s.size());
}

std::uint64_t mix(std::uint64_t h, std::uint64_t v) noexcept { return step(h, v); }

// The last bits of h decide the bucket: spread every input bit into them (MurmurHash3's fmix64).
std::size_t finish(std::uint64_t h) noexcept {
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDull;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53ull;
  h ^= h >> 33;
  return static_cast<std::size_t>(h);
}

constexpr std::uint64_t kSeed = 0x243F6A8885A308D3ull;

constexpr std::string_view kInvite = "INVITE";

}  // namespace

bool operator==(const ServerKey& a, const ServerKey& b) noexcept {
  return a.branch == b.branch && a.port == b.port && a.method == b.method &&
         sip::charset::iequals(a.host, b.host);
}

std::size_t ClientKeyHash::operator()(const ClientKey& k) const noexcept {
  return finish(mix(mix(kSeed, k.branch, false), k.method, false));
}

std::size_t ServerKeyHash::operator()(const ServerKey& k) const noexcept {
  // The branch alone sets a transaction apart in practice (§8.1.1.7: unique in space and
  // time); the sent-by, compared by operator==, would only spread keys that share a branch.
  return finish(mix(mix(kSeed, k.branch, false), k.method, false));
}

std::size_t DialogRequestKeyHash::operator()(const DialogRequestKey& k) const noexcept {
  return finish(mix(mix(kSeed, k.call_id, false), k.cseq));
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
