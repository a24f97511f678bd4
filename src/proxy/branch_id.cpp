#include "proxy/branch_id.hpp"

#include <charconv>
#include <utility>

#include "sip/header_list.hpp"
#include "sip/via.hpp"
#include "transaction/message_fields.hpp"

namespace trapezoid::proxy {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void append_hex(std::string& out, std::uint64_t v, bool fixed_width) {
  char buf[16];
  int n = 0;
  do {
    buf[n++] = kHex[v & 0xF];
    v >>= 4;
  } while ((fixed_width && n < 16) || (!fixed_width && v != 0));
  while (n > 0) out.push_back(buf[--n]);
}

// Fields are hashed with a separator so that ("ab", "c") and ("a", "bc") differ.
std::uint64_t mix(std::uint64_t h, std::string_view field) {
  h = fnv1a(field, h);
  return fnv1a(std::string_view("\0", 1), h);
}

std::uint64_t mix_all(std::uint64_t h, const sip::Message& msg, sip::HeaderId id) {
  msg.for_each(id, [&](const sip::HeaderField& f) { h = mix(h, f.value); });
  return h;
}

}  // namespace

std::uint64_t fnv1a(std::string_view bytes, std::uint64_t h) noexcept {
  for (char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::uint64_t loop_hash(const sip::Message& request) {
  std::uint64_t h = fnv1a({});
  h = mix(h, transaction::to_tag(request));
  h = mix(h, transaction::from_tag(request));
  h = mix(h, transaction::call_id(request));
  h = mix(h, request.request_uri());
  sip::CSeq cseq;
  h = mix(h, transaction::cseq_of(request, cseq) ? std::to_string(cseq.number) : std::string());
  h = mix_all(h, request, sip::HeaderId::kRoute);
  h = mix_all(h, request, sip::HeaderId::kProxyRequire);
  h = mix_all(h, request, sip::HeaderId::kProxyAuthorization);
  return h;
}

BranchMaker::BranchMaker(std::string tag, std::uint64_t seed) : tag_(std::move(tag)), counter_(seed) {
  prefix_.append(sip::kBranchMagicCookie);
  prefix_.append(tag_);
  prefix_.push_back('.');
}

std::string BranchMaker::next(std::uint64_t loop) {
  std::string out;
  out.reserve(prefix_.size() + 16 + 1 + 16);
  out.append(prefix_);
  append_hex(out, loop, true);
  out.push_back('.');
  append_hex(out, counter_++, false);
  return out;
}

std::string BranchMaker::stateless(const sip::Message& request) const {
  // §16.11: a hash of the received branch when it has the cookie (unique already); else of
  // the top Via, the tags, Call-ID, CSeq number and Request-URI, one of which differs
  // between any two transactions.
  std::uint64_t h = fnv1a({});
  sip::Via top;
  if (transaction::top_via(request, top) && top.has_magic_cookie()) {
    h = mix(h, top.branch);
  } else {
    h = mix(h, transaction::top_via_text(request));
    h = mix(h, transaction::to_tag(request));
    h = mix(h, transaction::from_tag(request));
    h = mix(h, transaction::call_id(request));
    sip::CSeq cseq;
    h = mix(h, transaction::cseq_of(request, cseq) ? std::to_string(cseq.number) : std::string());
    h = mix(h, request.request_uri());
  }
  std::string out = prefix_;
  append_hex(out, loop_hash(request), true);
  out.append(".s");
  append_hex(out, h, true);
  return out;
}

std::optional<std::uint64_t> loop_hash_of(std::string_view branch, std::string_view tag) noexcept {
  if (!branch.starts_with(sip::kBranchMagicCookie)) return std::nullopt;
  branch.remove_prefix(sip::kBranchMagicCookie.size());
  if (!branch.starts_with(tag)) return std::nullopt;
  branch.remove_prefix(tag.size());
  if (branch.size() < 18 || branch[0] != '.' || branch[17] != '.') return std::nullopt;
  std::uint64_t h = 0;
  const char* first = branch.data() + 1;
  const auto [end, ec] = std::from_chars(first, first + 16, h, 16);
  if (ec != std::errc{} || end != first + 16) return std::nullopt;
  return h;
}

}  // namespace trapezoid::proxy
