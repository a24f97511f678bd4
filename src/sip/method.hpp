// SIP request methods (RFC 3261 §7.1 and the extension RFCs), interned to ids.
#pragma once

#include <cstdint>
#include <string_view>

namespace trapezoid::sip {

enum class Method : std::uint8_t {
  kUnknown,  // an extension method: compare by name
  kInvite,
  kAck,
  kBye,
  kCancel,
  kRegister,
  kOptions,
  kInfo,
  kPrack,
  kSubscribe,
  kNotify,
  kUpdate,
  kMessage,
  kRefer,
  kPublish,
};

// Method names are case-sensitive (§7.1).
[[nodiscard]] Method lookup_method(std::string_view name) noexcept;
[[nodiscard]] std::string_view method_name(Method m) noexcept;

}  // namespace trapezoid::sip
