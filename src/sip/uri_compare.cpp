// uri_equal (sip/uri.hpp): URI comparison of RFC 3261 §19.1.4 (sip/sips), RFC 3966 §4 (tel).
#include "sip/uri.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sip/charset.hpp"
#include "sip/host.hpp"
#include "sip/uri_text.hpp"

namespace trapezoid::sip {
namespace {

using charset::iequals;
using charset::lower;
using uri_detail::equivalent;
using uri_detail::find_item;
using uri_detail::for_each_item;
using uri_detail::is_visual_separator;
using uri_detail::lookup;
using uri_detail::NameValue;
using uri_detail::split_name_value;

// Calls f(name, value) for each parameter of `list` but a repeated one: as with param(), the
// first occurrence of a name is the one that counts (a repeat is already a §19.1.1 violation).
template <class F>
bool for_each_first_param(std::string_view list, F&& f) {
  if (list.empty()) return true;
  return for_each_item(list, ';', [&](std::string_view item) {
    const NameValue nv = split_name_value(item);
    if (find_item(list, ';', nv.name)->data() != item.data()) return true;
    return f(nv.name, nv.value);
  });
}

// ---------------------------------------------------------------------------------------------
// sip / sips.

bool hosts_equal(const Uri& a, const Uri& b) noexcept {
  if (a.host_kind != b.host_kind) return false;  // §19.1.4: a name never equals its address
  if (a.host_kind == HostKind::kIPv4 || a.host_kind == HostKind::kIPv6) {
    // Compared as addresses: "[2001:DB8::1]" and "[2001:db8:0::1]" are the same host.
    std::array<std::uint8_t, 16> x{};
    std::array<std::uint8_t, 16> y{};
    HostKind kx = HostKind::kNone;
    HostKind ky = HostKind::kNone;
    if (ip_address_bytes(a.host, x, kx) && ip_address_bytes(b.host, y, ky) &&
        kx == a.host_kind && ky == a.host_kind)
      return x == y;
  }
  return iequals(a.host, b.host);
}

// §19.1.4: "A URI omitting any component with a default value will not match a URI explicitly
// containing that component" (transport, ttl, user, method), and maddr likewise.
bool must_be_in_both(std::string_view name) noexcept {
  for (std::string_view special : {"transport", "ttl", "user", "method", "maddr"})
    if (equivalent(name, special, true)) return true;
  return false;
}

bool sip_params_equal(std::string_view a, std::string_view b) noexcept {
  // Any parameter in both must match; a special one in only one URI never matches; any other
  // parameter in only one is ignored. Both directions are walked to catch one-sided ones.
  const auto covers = [](std::string_view x, std::string_view y) {
    return for_each_first_param(x, [y](std::string_view name, std::string_view value) {
      const auto other = lookup(y, ';', name);
      if (!other) return !must_be_in_both(name);
      return equivalent(value, *other, true);
    });
  };
  return covers(a, b) && covers(b, a);
}

bool header_items_equal(std::string_view x, std::string_view y) noexcept {
  const NameValue a = split_name_value(x);
  const NameValue b = split_name_value(y);
  // Header names are case-insensitive; values follow §7.3.1's default (case-insensitive), as
  // the section 20 rules §19.1.4 refers to cannot be applied to a bare string.
  return equivalent(a.name, b.name, true) && equivalent(a.value, b.value, true);
}

std::size_t count_matching(std::string_view list, std::string_view item) noexcept {
  std::size_t n = 0;
  for_each_item(list, '&', [&](std::string_view other) {
    if (header_items_equal(item, other)) ++n;
    return true;
  });
  return n;
}

// §19.1.4: "Any present header component MUST be present in both URIs and match"; order is not
// significant, so the headers are compared as multisets.
bool sip_headers_equal(std::string_view a, std::string_view b) noexcept {
  if (a.empty() || b.empty()) return a.empty() && b.empty();
  return for_each_item(a, '&', [a, b](std::string_view item) {
           return count_matching(a, item) == count_matching(b, item);
         }) &&
         for_each_item(b, '&', [a, b](std::string_view item) {
           return count_matching(a, item) == count_matching(b, item);
         });
}

bool sip_equal(const Uri& a, const Uri& b) noexcept {
  // §19.1.4: userinfo case-sensitive, everything else case-insensitive.
  if (a.has_user != b.has_user || !equivalent(a.user, b.user, false)) return false;
  if (a.has_password != b.has_password || !equivalent(a.password, b.password, false))
    return false;
  if (!hosts_equal(a, b)) return false;
  if (a.has_port != b.has_port || a.port != b.port) return false;
  return sip_params_equal(a.params, b.params) && sip_headers_equal(a.headers, b.headers);
}

// ---------------------------------------------------------------------------------------------
// tel.

// RFC 3966 §4: numbers and number-valued parameters compare "after removing all visual
// separators", case-insensitively.
bool phone_digits_equal(std::string_view a, std::string_view b) noexcept {
  std::size_t i = 0;
  std::size_t j = 0;
  for (;;) {
    while (i < a.size() && is_visual_separator(a[i])) ++i;
    while (j < b.size() && is_visual_separator(b[j])) ++j;
    if (i == a.size() || j == b.size()) return i == a.size() && j == b.size();
    if (lower(a[i]) != lower(b[j])) return false;
    ++i;
    ++j;
  }
}

bool tel_values_equal(std::string_view name, std::string_view a, std::string_view b) noexcept {
  if (iequals(name, "ext")) return phone_digits_equal(a, b);
  if (iequals(name, "phone-context")) {
    const bool ga = !a.empty() && a[0] == '+';
    const bool gb = !b.empty() && b[0] == '+';
    if (ga != gb) return false;
    return ga ? phone_digits_equal(a, b) : iequals(a, b);
  }
  return equivalent(a, b, true);
}

bool tel_equal(const Uri& a, const Uri& b) noexcept {
  const bool ga = !a.user.empty() && a.user[0] == '+';
  const bool gb = !b.user.empty() && b.user[0] == '+';
  if (ga != gb || !phone_digits_equal(a.user, b.user)) return false;
  // "If one URI has a parameter name not found in the other, the two URIs are not equal."
  const auto covers = [](std::string_view x, std::string_view y) {
    return for_each_first_param(x, [y](std::string_view name, std::string_view value) {
      const auto other = lookup(y, ';', name);
      return other && tel_values_equal(name, value, *other);
    });
  };
  return covers(a.params, b.params) && covers(b.params, a.params);
}

}  // namespace

bool uri_equal(const Uri& a, const Uri& b) {
  // §19.1.4: "A SIP and SIPS URI are never equivalent."
  if (a.scheme != b.scheme) return false;
  switch (a.scheme) {
    case UriScheme::kSip:
    case UriScheme::kSips: return sip_equal(a, b);
    case UriScheme::kTel: return tel_equal(a, b);
    case UriScheme::kOther: break;
  }
  // No rules of their own here: scheme case-insensitive, the rest exact up to escaping of
  // unreserved characters (RFC 3986 §6.2.2).
  return iequals(a.scheme_name, b.scheme_name) && equivalent(a.opaque, b.opaque, false);
}

}  // namespace trapezoid::sip
