#include "sip/header_id.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cctype>
#include <set>
#include <string>
#include <string_view>

namespace trapezoid::sip {
namespace {

struct Expected {
  HeaderId id;
  std::string_view name;
  char compact;
  HeaderKind kind;
};

constexpr HeaderKind kS = HeaderKind::kSingle;
constexpr HeaderKind kL = HeaderKind::kList;
constexpr HeaderKind kR = HeaderKind::kRepeat;

// Written out independently of the X-macro so a typo in the table shows up here. Compact forms:
// RFC 3261 §7.3.3 (c e f i k l m s t v), RFC 3265 §7.2 (o u), RFC 3515 §2.1 (r), RFC 3892 (b),
// RFC 3841 (a j d), RFC 4028 (x), RFC 4474 (y n).
constexpr std::array<Expected, kHeaderIdCount - 1> kExpected = {{
    {HeaderId::kVia, "Via", 'v', kL},
    {HeaderId::kFrom, "From", 'f', kS},
    {HeaderId::kTo, "To", 't', kS},
    {HeaderId::kCallId, "Call-ID", 'i', kS},
    {HeaderId::kCSeq, "CSeq", 0, kS},
    {HeaderId::kMaxForwards, "Max-Forwards", 0, kS},
    {HeaderId::kContact, "Contact", 'm', kL},
    {HeaderId::kContentLength, "Content-Length", 'l', kS},
    {HeaderId::kContentType, "Content-Type", 'c', kS},
    {HeaderId::kRoute, "Route", 0, kL},
    {HeaderId::kRecordRoute, "Record-Route", 0, kL},
    {HeaderId::kExpires, "Expires", 0, kS},
    {HeaderId::kMinExpires, "Min-Expires", 0, kS},
    {HeaderId::kRequire, "Require", 0, kL},
    {HeaderId::kSupported, "Supported", 'k', kL},
    {HeaderId::kUnsupported, "Unsupported", 0, kL},
    {HeaderId::kProxyRequire, "Proxy-Require", 0, kL},
    {HeaderId::kAllow, "Allow", 0, kL},
    {HeaderId::kWwwAuthenticate, "WWW-Authenticate", 0, kR},
    {HeaderId::kProxyAuthenticate, "Proxy-Authenticate", 0, kR},
    {HeaderId::kAuthorization, "Authorization", 0, kR},
    {HeaderId::kProxyAuthorization, "Proxy-Authorization", 0, kR},
    {HeaderId::kAuthenticationInfo, "Authentication-Info", 0, kS},
    {HeaderId::kEvent, "Event", 'o', kS},
    {HeaderId::kSubscriptionState, "Subscription-State", 0, kS},
    {HeaderId::kAllowEvents, "Allow-Events", 'u', kL},
    {HeaderId::kContentEncoding, "Content-Encoding", 'e', kL},
    {HeaderId::kContentDisposition, "Content-Disposition", 0, kS},
    {HeaderId::kContentLanguage, "Content-Language", 0, kL},
    {HeaderId::kSubject, "Subject", 's', kS},
    {HeaderId::kAccept, "Accept", 0, kL},
    {HeaderId::kAcceptEncoding, "Accept-Encoding", 0, kL},
    {HeaderId::kAcceptLanguage, "Accept-Language", 0, kL},
    {HeaderId::kAlertInfo, "Alert-Info", 0, kL},
    {HeaderId::kCallInfo, "Call-Info", 0, kL},
    {HeaderId::kErrorInfo, "Error-Info", 0, kL},
    {HeaderId::kInReplyTo, "In-Reply-To", 0, kL},
    {HeaderId::kDate, "Date", 0, kS},
    {HeaderId::kMimeVersion, "MIME-Version", 0, kS},
    {HeaderId::kOrganization, "Organization", 0, kS},
    {HeaderId::kPriority, "Priority", 0, kS},
    {HeaderId::kReplyTo, "Reply-To", 0, kS},
    {HeaderId::kRetryAfter, "Retry-After", 0, kS},
    {HeaderId::kServer, "Server", 0, kS},
    {HeaderId::kTimestamp, "Timestamp", 0, kS},
    {HeaderId::kUserAgent, "User-Agent", 0, kS},
    {HeaderId::kWarning, "Warning", 0, kL},
    {HeaderId::kPath, "Path", 0, kL},
    {HeaderId::kServiceRoute, "Service-Route", 0, kL},
    {HeaderId::kRSeq, "RSeq", 0, kS},
    {HeaderId::kRAck, "RAck", 0, kS},
    {HeaderId::kSessionExpires, "Session-Expires", 'x', kS},
    {HeaderId::kMinSE, "Min-SE", 0, kS},
    {HeaderId::kReferTo, "Refer-To", 'r', kS},
    {HeaderId::kReferredBy, "Referred-By", 'b', kS},
    {HeaderId::kReplaces, "Replaces", 0, kS},
    {HeaderId::kAcceptContact, "Accept-Contact", 'a', kL},
    {HeaderId::kRejectContact, "Reject-Contact", 'j', kL},
    {HeaderId::kRequestDisposition, "Request-Disposition", 'd', kL},
    {HeaderId::kIdentity, "Identity", 'y', kS},
    {HeaderId::kIdentityInfo, "Identity-Info", 'n', kS},
    {HeaderId::kPrivacy, "Privacy", 0, kL},
    {HeaderId::kPAssertedIdentity, "P-Asserted-Identity", 0, kL},
    {HeaderId::kPPreferredIdentity, "P-Preferred-Identity", 0, kL},
    {HeaderId::kSipETag, "SIP-ETag", 0, kS},
    {HeaderId::kSipIfMatch, "SIP-If-Match", 0, kS},
}};

std::string lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

char charset_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

std::string uppered(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// Alternating case starting with upper or lower: "ViA" / "vIa".
std::string alternating(std::string_view s, bool upper_first) {
  std::string out(s);
  bool up = upper_first;
  for (char& c : out) {
    if (std::isalpha(static_cast<unsigned char>(c)) != 0) {
      c = static_cast<char>(up ? std::toupper(static_cast<unsigned char>(c))
                               : std::tolower(static_cast<unsigned char>(c)));
      up = !up;
    }
  }
  return out;
}

TEST(HeaderId, TableMatchesTheRfcNamesCompactFormsAndKinds) {
  for (const Expected& e : kExpected) {
    SCOPED_TRACE(std::string(e.name));
    EXPECT_EQ(header_name(e.id), e.name);
    EXPECT_EQ(header_compact_form(e.id), e.compact);
    EXPECT_EQ(header_kind(e.id), e.kind);
  }
}

TEST(HeaderId, EveryIdHasADistinctNonEmptyName) {
  std::set<std::string> seen;
  for (std::size_t i = 1; i < kHeaderIdCount; ++i) {
    std::string_view name = header_name(static_cast<HeaderId>(i));
    EXPECT_FALSE(name.empty()) << i;
    EXPECT_TRUE(seen.insert(lowered(name)).second) << name;
  }
}

// RFC 3261 §7.3.1: "field names are always case-insensitive".
TEST(HeaderId, LooksUpEveryCanonicalNameInAnyCase) {
  for (std::size_t i = 1; i < kHeaderIdCount; ++i) {
    const auto id = static_cast<HeaderId>(i);
    const std::string_view name = header_name(id);
    SCOPED_TRACE(std::string(name));
    EXPECT_EQ(lookup_header(name), id);
    EXPECT_EQ(lookup_header(lowered(name)), id);
    EXPECT_EQ(lookup_header(uppered(name)), id);
    EXPECT_EQ(lookup_header(alternating(name, true)), id);
    EXPECT_EQ(lookup_header(alternating(name, false)), id);
  }
}

// RFC 3261 §7.3.3: compact forms are case-insensitive single letters.
TEST(HeaderId, LooksUpEveryCompactFormInBothCases) {
  std::size_t compact_count = 0;
  for (const Expected& e : kExpected) {
    if (e.compact == 0) continue;
    ++compact_count;
    SCOPED_TRACE(std::string(1, e.compact));
    const char lower[1] = {e.compact};
    const char upper[1] = {static_cast<char>(std::toupper(static_cast<unsigned char>(e.compact)))};
    EXPECT_EQ(lookup_header(std::string_view(lower, 1)), e.id);
    EXPECT_EQ(lookup_header(std::string_view(upper, 1)), e.id);
  }
  EXPECT_EQ(compact_count, 20u);
}

TEST(HeaderId, SingleLettersWithoutACompactFormAreUnknown) {
  std::set<char> used;
  for (const Expected& e : kExpected)
    if (e.compact != 0) used.insert(e.compact);
  for (char c = 'a'; c <= 'z'; ++c) {
    if (used.count(c) != 0) continue;
    const char lower[1] = {c};
    const char upper[1] = {static_cast<char>(c - 32)};
    EXPECT_EQ(lookup_header(std::string_view(lower, 1)), HeaderId::kUnknown) << c;
    EXPECT_EQ(lookup_header(std::string_view(upper, 1)), HeaderId::kUnknown) << c;
  }
  // g h p q w z are the letters no registered compact form uses here.
  EXPECT_EQ(used.size(), 20u);
}

TEST(HeaderId, SingleNonLetterBytesAreUnknown) {
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) continue;
    EXPECT_EQ(lookup_header(std::string_view(&c, 1)), HeaderId::kUnknown) << b;
  }
}

TEST(HeaderId, UnknownNamesAreUnknown) {
  for (std::string_view name :
       {"", "X-Custom", "NewFangledHeader", "Vias", "Vi", "Via ", " Via", "Call_ID", "CallID",
        "Content-Length2", "Content", "Max-Forward", "WWW-Authenticat", "P-Asserted-Identity-",
        "Contact:", "Fromm", "T0", "SIP-ETag2", "Proxy-Authorisation"}) {
    EXPECT_EQ(lookup_header(name), HeaderId::kUnknown) << '"' << name << '"';
  }
}

TEST(HeaderId, NameWithEmbeddedNulIsUnknown) {
  EXPECT_EQ(lookup_header(std::string_view("Via\0", 4)), HeaderId::kUnknown);
  EXPECT_EQ(lookup_header(std::string_view("\0", 1)), HeaderId::kUnknown);
  EXPECT_EQ(lookup_header(std::string_view("V\0a", 3)), HeaderId::kUnknown);
}

TEST(HeaderId, NonAsciiBytesDoNotFoldToLetters) {
  // 0xD6 would become 'V' if the case folding subtracted 0x80 or 0x60 carelessly.
  EXPECT_EQ(lookup_header("\xD6ia"), HeaderId::kUnknown);
  EXPECT_EQ(lookup_header("\xF6"), HeaderId::kUnknown);
  EXPECT_EQ(lookup_header("Vi\xC1"), HeaderId::kUnknown);
}

// Canonical names that share a home slot of the lookup table (under the table's current hash
// or an earlier FNV-1a hash over 512 slots), so all but one are reached by probing. Each must
// still resolve to itself.
TEST(HeaderId, NamesSharingAHashSlotAllResolve) {
  for (const Expected& e : kExpected) {
    for (std::string_view name :
         {"Contact", "Timestamp", "Proxy-Authenticate", "In-Reply-To", "Warning", "Content-Encoding",
          "Error-Info", "Priority", "Replaces", "Record-Route", "Organization", "Unsupported",
          "Proxy-Require", "Retry-After", "SIP-If-Match", "User-Agent", "Service-Route",
          "Content-Disposition", "Referred-By", "Via", "Alert-Info", "Require", "Authorization",
          "Identity", "Content-Length", "Accept-Encoding", "Reply-To", "Refer-To",
          "Content-Language", "Subject"}) {
      if (name != e.name) continue;
      EXPECT_EQ(lookup_header(name), e.id) << name;
      EXPECT_EQ(lookup_header(uppered(name)), e.id) << name;
      EXPECT_EQ(lookup_header(lowered(name)), e.id) << name;
    }
  }
}

// Same length, same first and last letter: only the middle tells them apart.
TEST(HeaderId, NamesDifferingOnlyInTheMiddleAreDistinct) {
  EXPECT_EQ(lookup_header("Reply-To"), HeaderId::kReplyTo);
  EXPECT_EQ(lookup_header("Refer-To"), HeaderId::kReferTo);
  EXPECT_EQ(lookup_header("REPLY-TO"), HeaderId::kReplyTo);
  EXPECT_EQ(lookup_header("refer-to"), HeaderId::kReferTo);
  EXPECT_EQ(lookup_header("Refly-To"), HeaderId::kUnknown);
}

// Any name one character away from a canonical name (same length, so it lands on the same
// slot or probe chain under any hash of length and end letters) is unknown, unless it happens
// to be another canonical name.
TEST(HeaderId, OneCharacterVariantsOfKnownNamesAreUnknown) {
  std::set<std::string> canonical;
  for (const Expected& e : kExpected) canonical.insert(lowered(e.name));
  for (const Expected& e : kExpected) {
    for (std::size_t i = 0; i < e.name.size(); ++i) {
      for (char replacement : {'x', 'Q', '-', '0', '_', '\xE9', '\0', ' ', '.'}) {
        std::string variant(e.name);
        if (charset_lower(variant[i]) == charset_lower(replacement)) continue;
        variant[i] = replacement;
        if (canonical.count(lowered(variant)) != 0) continue;
        EXPECT_EQ(lookup_header(variant), HeaderId::kUnknown) << '"' << variant << '"';
      }
    }
  }
}

// Names one character longer or shorter than a canonical name.
TEST(HeaderId, PrefixesAndExtensionsOfKnownNamesAreUnknown) {
  std::set<std::string> canonical;
  for (const Expected& e : kExpected) canonical.insert(lowered(e.name));
  for (const Expected& e : kExpected) {
    const std::string name(e.name);
    for (const std::string& variant : {name.substr(1), name.substr(0, name.size() - 1), name + "s",
                                       "x" + name, name + name}) {
      if (variant.size() <= 1 || canonical.count(lowered(variant)) != 0) continue;
      EXPECT_EQ(lookup_header(variant), HeaderId::kUnknown) << '"' << variant << '"';
    }
  }
}

// Short unknown names that shared a home slot with Contact, Proxy-Authenticate,
// Content-Encoding (and their displaced neighbours) under the FNV-1a table.
TEST(HeaderId, UnknownNamesCollidingWithKnownSlotsAreUnknown) {
  for (std::string_view name : {"akp", "ayz", "bay", "wf", "ajb", "fr", "si", "cc", "qm", "adi", "avb",
                                "blg", "at", "wn", "ajj", "fj", "sq", "CC", "AKP"}) {
    EXPECT_EQ(lookup_header(name), HeaderId::kUnknown) << name;
  }
}

TEST(HeaderId, VeryLongNamesAreUnknown) {
  EXPECT_EQ(lookup_header(std::string(1000, 'a')), HeaderId::kUnknown);
  EXPECT_EQ(lookup_header("P-Preferred-Identity-And-Then-Some-More"), HeaderId::kUnknown);
}

// An unknown header may appear any number of times: nothing says it is single-valued, and a
// comma in its value cannot be assumed to separate elements (§7.3.1).
TEST(HeaderId, UnknownIdHasNoNameNoCompactFormAndMayRepeat) {
  EXPECT_EQ(header_name(HeaderId::kUnknown), "");
  EXPECT_EQ(header_compact_form(HeaderId::kUnknown), 0);
  EXPECT_EQ(header_kind(HeaderId::kUnknown), HeaderKind::kRepeat);
}

// The compact form of a header and its name look up to the same id (§7.3.3: "equivalent").
TEST(HeaderId, CompactFormAndFullNameAgree) {
  for (std::size_t i = 1; i < kHeaderIdCount; ++i) {
    const auto id = static_cast<HeaderId>(i);
    const char c = header_compact_form(id);
    if (c == 0) continue;
    EXPECT_EQ(lookup_header(std::string_view(&c, 1)), lookup_header(header_name(id)));
  }
}

}  // namespace
}  // namespace trapezoid::sip
