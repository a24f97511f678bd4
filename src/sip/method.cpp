#include "sip/method.hpp"

#include <array>

namespace trapezoid::sip {
namespace {
constexpr std::array<std::string_view, 15> kNames = {
    "",      "INVITE",    "ACK",    "BYE",    "CANCEL",  "REGISTER", "OPTIONS", "INFO",
    "PRACK", "SUBSCRIBE", "NOTIFY", "UPDATE", "MESSAGE", "REFER",    "PUBLISH"};
}

Method lookup_method(std::string_view name) noexcept {
  // The length and first letter narrow the candidates to one; a compare of known length
  // confirms it.
  const auto is = [name](Method m) { return name == kNames[static_cast<std::size_t>(m)] ? m : Method::kUnknown; };
  switch (name.size()) {
    case 3: return is(name[0] == 'A' ? Method::kAck : Method::kBye);
    case 4: return is(Method::kInfo);
    case 5: return is(name[0] == 'P' ? Method::kPrack : Method::kRefer);
    case 6:
      switch (name[0]) {
        case 'I': return is(Method::kInvite);
        case 'C': return is(Method::kCancel);
        case 'N': return is(Method::kNotify);
        default: return is(Method::kUpdate);
      }
    case 7:
      switch (name[0]) {
        case 'O': return is(Method::kOptions);
        case 'M': return is(Method::kMessage);
        default: return is(Method::kPublish);
      }
    case 8: return is(Method::kRegister);
    case 9: return is(Method::kSubscribe);
    default: return Method::kUnknown;
  }
}

std::string_view method_name(Method m) noexcept { return kNames[static_cast<std::size_t>(m)]; }

}  // namespace trapezoid::sip
