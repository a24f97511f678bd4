// Which outgoing messages only TLS may carry (RFC 3261 §26.2.2): a request whose Request-URI
// is a sips: URI, or whose first Route value is one (the hop it names is to be reached
// securely, §8.1.2 / §16.6 step 7). The worker refuses to send those over UDP or TCP.
//
//   if (target.remote.transport != TransportKind::kTls && needs_tls(bytes))
//     return report(TlsErrc::kSipsNeedsTls);
//
// Responses go where their request came from and are never refused.
#pragma once

#include <string_view>

namespace trapezoid::transport {

// Whether `message` (one whole serialized message) is a request for a sips: resource.
[[nodiscard]] bool needs_tls(std::string_view message) noexcept;

}  // namespace trapezoid::transport
