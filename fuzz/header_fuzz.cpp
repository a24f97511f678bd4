// libFuzzer target: one header value, straight into one typed header parser.
//
// The message parser only reaches a typed parser through a message that parses; this target
// feeds values directly, which finds value-level bugs much faster. The first byte of the input
// picks the parser (modulo the number of parsers), the rest is the value. Inputs are written
// as a selector byte followed by the value, e.g. "\x08Digest realm=\"a\", nonce=\"b\"".
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"
#include "sip/header_list.hpp"

namespace {

using namespace trapezoid::sip;
namespace fz = trapezoid::fuzz;

// Splits the value as a list header would, then runs `f` on each element.
template <class F>
void each_element(std::string_view value, F&& f) {
  (void)for_each_list_element(value, [&](std::string_view element) {
    FUZZ_CHECK(fz::within(element, value) && !element.empty());
    f(element);
    return true;
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view value(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 14) {
    case 0: fz::exercise_uri(value); break;
    case 1: each_element(value, fz::exercise_via); break;
    case 2: fz::exercise_name_addr(value, AddrForm::kNameAddrOrAddrSpec); break;
    case 3: fz::exercise_name_addr(value, AddrForm::kNameAddrOnly); break;
    case 4: each_element(value, fz::exercise_contact); break;
    case 5: fz::exercise_cseq(value); break;
    case 6: fz::exercise_media_type(value); break;
    case 7: fz::exercise_numbers(value); break;
    case 8: fz::exercise_challenge(value); break;
    case 9: fz::exercise_credentials(value); break;
    case 10: fz::exercise_event(value); break;
    case 11: fz::exercise_subscription_state(value); break;
    case 12: {
      const HostKind kind = classify_host(value);
      if (kind == HostKind::kIPv4) FUZZ_CHECK(is_ipv4_address(value));
      (void)is_ipv6_address(value);
      std::uint16_t port = 0;
      (void)parse_port(value, port);
      break;
    }
    default: {
      // Escapes on their own, and the parameter scanner over raw text.
      (void)unescape(value);
      Scanner s(value);
      Params params;
      if (scan_params(s, params)) fz::exercise_params(params, value);
      break;
    }
  }
  return 0;
}
