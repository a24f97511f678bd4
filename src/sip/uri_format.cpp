// to_string (sip/uri.hpp): a parsed Uri back into canonical text.
#include "sip/uri.hpp"

#include <cstddef>
#include <string>
#include <string_view>

#include "sip/charset.hpp"
#include "sip/host.hpp"

namespace trapezoid::sip {
namespace {

std::string_view scheme_text(const Uri& u) noexcept {
  switch (u.scheme) {
    case UriScheme::kSip: return "sip";
    case UriScheme::kSips: return "sips";
    case UriScheme::kTel: return "tel";
    case UriScheme::kOther: break;
  }
  return u.scheme_name;
}

void append_lower(std::string& out, std::string_view s) {
  for (char c : s) out.push_back(charset::lower(c));
}

// Hosts are case-insensitive, so the canonical form is lower case; an IPv6 reference written
// with RFC 3261's extra colon (RFC 5118 §4.10) is re-serialized with the correct two.
void append_host(std::string& out, const Uri& u) {
  const std::size_t start = out.size();
  append_lower(out, u.host);
  if (u.host_kind != HostKind::kIPv6) return;
  if (const std::size_t bug = out.find(":::", start); bug != std::string::npos) out.erase(bug, 1);
}

}  // namespace

std::string to_string(const Uri& u) {
  std::string out;
  append_lower(out, scheme_text(u));
  out.push_back(':');
  if (u.scheme == UriScheme::kOther) {
    out.append(u.opaque);
    return out;
  }
  if (u.has_user || !u.user.empty()) {
    out.append(u.user);
    if (u.scheme != UriScheme::kTel) {
      if (u.has_password || !u.password.empty()) out.append(":").append(u.password);
      out.push_back('@');
    }
  }
  if (u.scheme != UriScheme::kTel) {
    append_host(out, u);
    if (u.has_port) out.append(":").append(std::to_string(u.port));
  }
  if (!u.params.empty()) out.append(";").append(u.params);
  if (!u.headers.empty()) out.append("?").append(u.headers);
  return out;
}

}  // namespace trapezoid::sip
