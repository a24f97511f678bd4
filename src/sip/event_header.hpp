// Event and Subscription-State values of SIP event notification (RFC 6665 §8.2.1, §8.2.3,
// §8.4 grammar).
//
//   Event e;
//   if (parse_event("presence.winfo;id=7", e).empty())
//     e.package;    // "presence"    e.templates;  // "winfo"    *e.id;  // "7"
//
//   SubscriptionState s;
//   if (parse_subscription_state("terminated;reason=timeout", s).empty())
//     s.state == SubState::kTerminated;   s.reason;  // "timeout"
//
// Zero-copy: every view points into the parsed value; keep it alive as long as the result.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace trapezoid::sip {

// generic-param = token [ EQUAL gen-value ] (RFC 3261 §25.1).
struct EventParam {
  std::string_view name;   // as written
  std::string_view value;  // "" for a flag; a quoted-string keeps its quotes
};

// Storage shared by both headers for the parameters without a typed field.
struct EventParamList {
  static constexpr std::size_t kMaxParams = 32;  // more is treated as malformed

  std::array<EventParam, kMaxParams> param_list{};
  std::size_t param_count = 0;

  [[nodiscard]] std::span<const EventParam> params() const noexcept {
    return {param_list.data(), param_count};
  }
  // The first parameter with this (case-insensitive) name, or nullptr.
  [[nodiscard]] const EventParam* find(std::string_view name) const noexcept;
};

// Event = ( "Event" / "o" ) HCOLON event-type *( SEMI event-param )
// event-type = event-package *( "." event-template )
struct Event : EventParamList {
  std::string_view type;       // the whole event-type: "presence.winfo"
  std::string_view package;    // "presence"
  std::string_view templates;  // after the first '.': "winfo" (or "a.b"); empty when none
  std::optional<std::string_view> id;  // the "id" parameter, kept out of params()
};

// The match of RFC 6665 §8.2.1: event-type and id compared byte by byte; an Event with an id
// never matches one without. Other parameters do not count.
[[nodiscard]] bool same_event(const Event& a, const Event& b) noexcept;

enum class SubState : std::uint8_t { kActive, kPending, kTerminated, kExtension };

// Subscription-State = "Subscription-State" HCOLON substate-value *( SEMI subexp-params )
struct SubscriptionState : EventParamList {
  SubState state = SubState::kExtension;
  std::string_view state_name;  // as written: "active", "Terminated", "x-custom"
  std::string_view reason;      // event-reason-value ("timeout", ...); empty when absent
  // delta-seconds; values past 2**32-1 are clamped to it, as RFC 3261 §20.19 allows.
  std::optional<std::uint32_t> expires;
  std::optional<std::uint32_t> retry_after;
};

// Parse a header VALUE (after HCOLON). Return "" on success, else the reason phrase of the 400
// to send ("Malformed Event" / "Malformed Subscription-State"). On error `out` is unspecified.
// A typed parameter (id, reason, expires, retry-after) may appear once, with its value form.
[[nodiscard]] std::string_view parse_event(std::string_view value, Event& out) noexcept;
[[nodiscard]] std::string_view parse_subscription_state(std::string_view value,
                                                        SubscriptionState& out) noexcept;

}  // namespace trapezoid::sip
