#include "sip/event_header.hpp"

#include "sip/charset.hpp"
#include "sip/lws.hpp"

namespace trapezoid::sip {
namespace {

constexpr std::string_view kMalformedEvent = "Malformed Event";
constexpr std::string_view kMalformedSubscriptionState = "Malformed Subscription-State";

// gen-value = token / host / quoted-string (RFC 3261 §25.1). hostname and IPv4address are
// made of token characters; an IPv6reference is checked for its character set only.
std::string_view parse_gen_value(std::string_view v, std::size_t& pos) noexcept {
  if (pos >= v.size()) return {};
  if (v[pos] == '"') return lws::parse_quoted_string(v, pos);
  if (v[pos] == '[') {
    std::size_t p = pos + 1;
    while (p < v.size() && (charset::is_hex(v[p]) || v[p] == ':' || v[p] == '.')) ++p;
    if (p == pos + 1 || p >= v.size() || v[p] != ']') return {};
    const std::size_t start = pos;
    pos = p + 1;
    return v.substr(start, pos - start);
  }
  return lws::parse_token(v, pos);
}

// generic-param = token [ EQUAL gen-value ], the cursor on its name.
bool parse_generic_param(std::string_view v, std::size_t& pos, EventParam& out) noexcept {
  out.name = lws::parse_token(v, pos);
  out.value = {};
  if (out.name.empty()) return false;
  std::size_t p = pos;
  lws::skip_lws(v, p);
  if (p < v.size() && v[p] == '=') {
    ++p;
    lws::skip_lws(v, p);
    out.value = parse_gen_value(v, p);
    if (out.value.empty()) return false;
    pos = p;
  }
  return true;
}

// *( SEMI generic-param ) up to the end of the value; on_param(const EventParam&) returns
// false to reject a parameter.
template <class OnParam>
bool parse_param_tail(std::string_view v, std::size_t pos, OnParam&& on_param) noexcept {
  for (;;) {
    lws::skip_lws(v, pos);
    if (pos == v.size()) return true;
    if (v[pos] != ';') return false;
    ++pos;
    lws::skip_lws(v, pos);
    EventParam param;
    if (!parse_generic_param(v, pos, param) || !on_param(param)) return false;
  }
}

bool store(EventParamList& list, const EventParam& param) noexcept {
  if (list.param_count == EventParamList::kMaxParams) return false;
  list.param_list[list.param_count++] = param;
  return true;
}

// A parameter whose grammar is `name EQUAL token`: a flag or a quoted value does not qualify.
bool is_token_value(const EventParam& param) noexcept { return charset::all_token(param.value); }

// delta-seconds = 1*DIGIT, clamped to 2**32-1 however many digits there are.
std::optional<std::uint32_t> parse_delta_seconds(std::string_view s) noexcept {
  if (s.empty()) return std::nullopt;
  constexpr std::uint64_t kMax = 0xFFFFFFFFu;
  std::uint64_t n = 0;
  for (char c : s) {
    if (!charset::is_digit(c)) return std::nullopt;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');  // n <= kMax, so this cannot wrap
    if (n > kMax) n = kMax;
  }
  return static_cast<std::uint32_t>(n);
}

}  // namespace

const EventParam* EventParamList::find(std::string_view name) const noexcept {
  for (const EventParam& p : params())
    if (charset::iequals(p.name, name)) return &p;
  return nullptr;
}

bool same_event(const Event& a, const Event& b) noexcept {
  return a.type == b.type && a.id == b.id;
}

std::string_view parse_event(std::string_view value, Event& out) noexcept {
  out.param_count = 0;
  out.type = out.package = out.templates = {};
  out.id.reset();

  std::size_t pos = 0;
  lws::skip_lws(value, pos);
  // event-package and event-template are token-nodot: the dots only separate them.
  out.type = lws::parse_token(value, pos);
  if (out.type.empty() || out.type.front() == '.' || out.type.back() == '.' ||
      out.type.find("..") != std::string_view::npos)
    return kMalformedEvent;
  const std::size_t dot = out.type.find('.');
  out.package = out.type.substr(0, dot);
  if (dot != std::string_view::npos) out.templates = out.type.substr(dot + 1);

  const bool ok = parse_param_tail(value, pos, [&out](const EventParam& p) {
    if (!charset::iequals(p.name, "id")) return store(out, p);
    if (out.id || !is_token_value(p)) return false;  // "id" EQUAL token, once
    out.id = p.value;
    return true;
  });
  return ok ? std::string_view{} : kMalformedEvent;
}

std::string_view parse_subscription_state(std::string_view value,
                                          SubscriptionState& out) noexcept {
  out.param_count = 0;
  out.state = SubState::kExtension;
  out.state_name = out.reason = {};
  out.expires.reset();
  out.retry_after.reset();

  std::size_t pos = 0;
  lws::skip_lws(value, pos);
  out.state_name = lws::parse_token(value, pos);
  if (out.state_name.empty()) return kMalformedSubscriptionState;
  // Tokens are case-insensitive unless stated otherwise (RFC 3261 §25).
  if (charset::iequals(out.state_name, "active")) out.state = SubState::kActive;
  else if (charset::iequals(out.state_name, "pending")) out.state = SubState::kPending;
  else if (charset::iequals(out.state_name, "terminated")) out.state = SubState::kTerminated;

  const bool ok = parse_param_tail(value, pos, [&out](const EventParam& p) {
    if (charset::iequals(p.name, "reason")) {
      if (!out.reason.empty() || !is_token_value(p)) return false;
      out.reason = p.value;
      return true;
    }
    std::optional<std::uint32_t>* slot = nullptr;
    if (charset::iequals(p.name, "expires")) slot = &out.expires;
    else if (charset::iequals(p.name, "retry-after")) slot = &out.retry_after;
    if (slot == nullptr) return store(out, p);
    if (slot->has_value()) return false;
    *slot = parse_delta_seconds(p.value);
    return slot->has_value();
  });
  return ok ? std::string_view{} : kMalformedSubscriptionState;
}

}  // namespace trapezoid::sip
