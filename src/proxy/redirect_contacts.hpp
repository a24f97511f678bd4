// The Contact values of a redirect server's 3xx (RFC 3261 §8.3): one per binding of the
// address-of-record, with its q and the seconds it has left.
//
//   std::vector<std::string> c = redirect_contacts(bindings, now, request_uri);
//   // {"<sip:alice@192.0.2.4:5060>;q=0.7;expires=3599", ...}
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "registrar/binding.hpp"

namespace trapezoid::proxy {

// A qvalue (§25.1) from thousandths: 1000 -> "1", 700 -> "0.7", 5 -> "0.005".
[[nodiscard]] std::string format_q(int thousandths);

// §8.3: contacts equal to the Request-URI (§19.1.4) are left out: a redirect server "MUST NOT
// redirect a request to a URI equal to the one in the Request-URI".
[[nodiscard]] std::vector<std::string> redirect_contacts(std::span<const registrar::Binding> bindings,
                                                         registrar::UnixSeconds now,
                                                         std::string_view request_uri);

}  // namespace trapezoid::proxy
