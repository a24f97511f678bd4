// Header names interned to small integer ids (RFC 3261 §7.3, §20), compact forms included.
//
//   HeaderId id = lookup_header("v");            // HeaderId::kVia
//   std::string_view n = header_name(HeaderId::kCallId);  // "Call-ID"
//
// Lookup is case-insensitive and allocation-free (a compile-time hash table).
#pragma once

#include <cstdint>
#include <string_view>

namespace trapezoid::sip {

// X(id, canonical name, compact form or 0, flags)
#define TRAPEZOID_SIP_HEADERS(X)                                   \
  X(kVia, "Via", 'v', kList)                                       \
  X(kFrom, "From", 'f', kSingle)                                   \
  X(kTo, "To", 't', kSingle)                                       \
  X(kCallId, "Call-ID", 'i', kSingle)                              \
  X(kCSeq, "CSeq", 0, kSingle)                                     \
  X(kMaxForwards, "Max-Forwards", 0, kSingle)                      \
  X(kContact, "Contact", 'm', kList)                               \
  X(kContentLength, "Content-Length", 'l', kSingle)                \
  X(kContentType, "Content-Type", 'c', kSingle)                    \
  X(kRoute, "Route", 0, kList)                                     \
  X(kRecordRoute, "Record-Route", 0, kList)                        \
  X(kExpires, "Expires", 0, kSingle)                               \
  X(kMinExpires, "Min-Expires", 0, kSingle)                        \
  X(kRequire, "Require", 0, kList)                                 \
  X(kSupported, "Supported", 'k', kList)                           \
  X(kUnsupported, "Unsupported", 0, kList)                         \
  X(kProxyRequire, "Proxy-Require", 0, kList)                      \
  X(kAllow, "Allow", 0, kList)                                     \
  X(kWwwAuthenticate, "WWW-Authenticate", 0, kRepeat)              \
  X(kProxyAuthenticate, "Proxy-Authenticate", 0, kRepeat)          \
  X(kAuthorization, "Authorization", 0, kRepeat)                   \
  X(kProxyAuthorization, "Proxy-Authorization", 0, kRepeat)        \
  X(kAuthenticationInfo, "Authentication-Info", 0, kSingle)        \
  X(kEvent, "Event", 'o', kSingle)                                 \
  X(kSubscriptionState, "Subscription-State", 0, kSingle)          \
  X(kAllowEvents, "Allow-Events", 'u', kList)                      \
  X(kContentEncoding, "Content-Encoding", 'e', kList)              \
  X(kContentDisposition, "Content-Disposition", 0, kSingle)        \
  X(kContentLanguage, "Content-Language", 0, kList)                \
  X(kSubject, "Subject", 's', kSingle)                             \
  X(kAccept, "Accept", 0, kList)                                   \
  X(kAcceptEncoding, "Accept-Encoding", 0, kList)                  \
  X(kAcceptLanguage, "Accept-Language", 0, kList)                  \
  X(kAlertInfo, "Alert-Info", 0, kList)                            \
  X(kCallInfo, "Call-Info", 0, kList)                              \
  X(kErrorInfo, "Error-Info", 0, kList)                            \
  X(kInReplyTo, "In-Reply-To", 0, kList)                           \
  X(kDate, "Date", 0, kSingle)                                     \
  X(kMimeVersion, "MIME-Version", 0, kSingle)                      \
  X(kOrganization, "Organization", 0, kSingle)                     \
  X(kPriority, "Priority", 0, kSingle)                             \
  X(kReplyTo, "Reply-To", 0, kSingle)                              \
  X(kRetryAfter, "Retry-After", 0, kSingle)                        \
  X(kServer, "Server", 0, kSingle)                                 \
  X(kTimestamp, "Timestamp", 0, kSingle)                           \
  X(kUserAgent, "User-Agent", 0, kSingle)                          \
  X(kWarning, "Warning", 0, kList)                                 \
  X(kPath, "Path", 0, kList)                                       \
  X(kServiceRoute, "Service-Route", 0, kList)                      \
  X(kRSeq, "RSeq", 0, kSingle)                                     \
  X(kRAck, "RAck", 0, kSingle)                                     \
  X(kSessionExpires, "Session-Expires", 'x', kSingle)              \
  X(kMinSE, "Min-SE", 0, kSingle)                                  \
  X(kReferTo, "Refer-To", 'r', kSingle)                            \
  X(kReferredBy, "Referred-By", 'b', kSingle)                      \
  X(kReplaces, "Replaces", 0, kSingle)                             \
  X(kAcceptContact, "Accept-Contact", 'a', kList)                  \
  X(kRejectContact, "Reject-Contact", 'j', kList)                  \
  X(kRequestDisposition, "Request-Disposition", 'd', kList)        \
  X(kIdentity, "Identity", 'y', kSingle)                           \
  X(kIdentityInfo, "Identity-Info", 'n', kSingle)                  \
  X(kPrivacy, "Privacy", 0, kList)                                 \
  X(kPAssertedIdentity, "P-Asserted-Identity", 0, kList)           \
  X(kPPreferredIdentity, "P-Preferred-Identity", 0, kList)         \
  X(kSipETag, "SIP-ETag", 0, kSingle)                              \
  X(kSipIfMatch, "SIP-If-Match", 0, kSingle)

enum class HeaderId : std::uint8_t {
  kUnknown = 0,
#define TRAPEZOID_X(id, name, compact, kind) id,
  TRAPEZOID_SIP_HEADERS(TRAPEZOID_X)
#undef TRAPEZOID_X
      kCount
};

inline constexpr std::size_t kHeaderIdCount = static_cast<std::size_t>(HeaderId::kCount);

// How a header's values may be combined (§7.3.1).
enum class HeaderKind : std::uint8_t {
  kSingle,  // at most one value in the message
  kList,    // comma-separated list; repeated headers concatenate
  kRepeat,  // may repeat, but a comma does not separate values (credentials, challenges)
};

[[nodiscard]] HeaderId lookup_header(std::string_view name) noexcept;
[[nodiscard]] std::string_view header_name(HeaderId id) noexcept;
namespace detail {
inline constexpr HeaderKind kHeaderKinds[] = {
    HeaderKind::kRepeat,  // an unknown header may appear any number of times
#define TRAPEZOID_X(id, name, compact, kind) HeaderKind::kind,
    TRAPEZOID_SIP_HEADERS(TRAPEZOID_X)
#undef TRAPEZOID_X
};
}  // namespace detail

// Inline: the parser asks for every header field.
[[nodiscard]] constexpr HeaderKind header_kind(HeaderId id) noexcept {
  return detail::kHeaderKinds[static_cast<std::size_t>(id)];
}
// The compact form (§7.3.3), or 0 when the header has none.
[[nodiscard]] char header_compact_form(HeaderId id) noexcept;

}  // namespace trapezoid::sip
