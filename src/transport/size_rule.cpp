#include "transport/size_rule.hpp"

namespace trapezoid::transport {

bool udp_retry_allowed(std::error_code e) noexcept {
  // A reset answering the SYN is "connection refused"; Linux reports an ICMP protocol
  // unreachable as ENOPROTOOPT.
  return e == std::errc::connection_refused || e == std::errc::connection_reset ||
         e == std::errc::no_protocol_option || e == std::errc::protocol_not_supported ||
         e == std::errc::timed_out;
}

}  // namespace trapezoid::transport
