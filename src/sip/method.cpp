#include "sip/method.hpp"

#include <array>

namespace trapezoid::sip {
namespace {
constexpr std::array<std::string_view, 15> kNames = {
    "",      "INVITE",    "ACK",    "BYE",    "CANCEL",  "REGISTER", "OPTIONS", "INFO",
    "PRACK", "SUBSCRIBE", "NOTIFY", "UPDATE", "MESSAGE", "REFER",    "PUBLISH"};
}

Method lookup_method(std::string_view name) noexcept {
  // The first letter and length narrow the candidates to one.
  if (name.size() < 3) return Method::kUnknown;
  for (std::size_t i = 1; i < kNames.size(); ++i)
    if (kNames[i].size() == name.size() && kNames[i][0] == name[0] && kNames[i] == name)
      return static_cast<Method>(i);
  return Method::kUnknown;
}

std::string_view method_name(Method m) noexcept { return kNames[static_cast<std::size_t>(m)]; }

}  // namespace trapezoid::sip
