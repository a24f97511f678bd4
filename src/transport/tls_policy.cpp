#include "transport/tls_policy.hpp"

#include <algorithm>

#include "sip/charset.hpp"
#include "sip/find_byte.hpp"
#include "sip/message.hpp"
#include "sip/name_addr.hpp"
#include "sip/parser.hpp"
#include "sip/scanner.hpp"

namespace trapezoid::transport {
namespace {

constexpr std::string_view kSips = "sips:";

bool starts_with_sips(std::string_view text) noexcept {
  return text.size() >= kSips.size() && sip::charset::iequals(text.substr(0, kSips.size()), kSips);
}

// One pass over the bytes: most requests never mention a sips: URI and need no parse. Every
// URI's scheme ends in a colon, so only the four bytes before each colon are compared: the
// search jumps between colons instead of trying "sips:" at every byte (this runs on every
// request sent).
bool mentions_sips(std::string_view bytes) noexcept {
  const char* const begin = bytes.data();
  const char* const end = begin + bytes.size();
  const char* at = begin + std::min<std::size_t>(bytes.size(), kSips.size() - 1);
  while (at < end) {
    const char* colon = sip::find_byte(at, end, ':');
    if (colon == nullptr) return false;
    if (starts_with_sips(std::string_view(colon - (kSips.size() - 1), kSips.size()))) return true;
    at = colon + 1;
  }
  return false;
}

// The Request-URI of a request line, read without a parse (empty for a response).
std::string_view request_uri(std::string_view bytes) noexcept {
  while (!bytes.empty() && (bytes.front() == '\r' || bytes.front() == '\n')) bytes.remove_prefix(1);
  if (bytes.size() >= 4 && sip::charset::iequals(bytes.substr(0, 4), "SIP/")) return {};
  const std::size_t space = bytes.find(' ');
  if (space == std::string_view::npos) return {};
  bytes.remove_prefix(space + 1);
  // A URI holds no space or control byte (§19.1.1, §25.1): the first one ends it.
  const char* stop = sip::find_space_or_control(bytes.data(), bytes.data() + bytes.size());
  return stop == nullptr ? bytes : bytes.substr(0, static_cast<std::size_t>(stop - bytes.data()));
}

}  // namespace

bool needs_tls(std::string_view message) noexcept {
  const std::string_view uri = request_uri(message);
  if (uri.empty()) return false;  // a response (or no message at all)
  if (starts_with_sips(uri)) return true;
  if (!mentions_sips(message)) return false;
  // §8.1.2, §16.6 step 7: the first Route value names the next hop, and server location for
  // a sips: URI yields TLS alone. A message that does not parse is judged by its Request-URI.
  sip::Message msg;
  if (!sip::parse_datagram(message, msg).ok()) return false;
  const sip::HeaderField* route = msg.find(sip::HeaderId::kRoute);
  if (route == nullptr) return false;
  sip::Scanner s(route->value);
  sip::NameAddr first;
  if (!sip::scan_address(s, first, sip::AddrForm::kNameAddrOnly).empty()) return false;
  return first.parsed_uri.scheme == sip::UriScheme::kSips;
}

}  // namespace trapezoid::transport
