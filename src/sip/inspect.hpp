// What a server would do with one datagram: parse it, validate it, and name the first response
// it would send (or why a response would be dropped). Used by `trapezoid lint` and the
// conformance tests, so both judge a message the same way.
//
//   Message msg;
//   Inspection r = inspect_datagram(bytes, msg, policy);
//   if (!r.ok()) std::cout << r.status << ' ' << r.reason;
#pragma once

#include <string_view>

#include "sip/message.hpp"
#include "sip/validate.hpp"

namespace trapezoid::sip {

struct Inspection {
  bool parsed = false;       // the parser accepted the bytes (msg holds them)
  bool is_response = false;  // the bytes are (or look like) a response
  bool well_formed = false;  // parsed, and its syntax is valid (whatever the role decides)
  int status = 0;            // 0 when acceptable; else the response code (requests) or 400
  std::string_view reason;   // why, when not acceptable
  std::string_view detail;   // e.g. the option tag of a 420
  [[nodiscard]] bool ok() const noexcept { return status == 0; }
};

[[nodiscard]] Inspection inspect_datagram(std::string_view bytes, Message& msg,
                                          const ValidationPolicy& policy = {});

}  // namespace trapezoid::sip
