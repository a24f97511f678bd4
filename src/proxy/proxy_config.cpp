#include "proxy/proxy_config.hpp"

#include "sip/charset.hpp"
#include "sip/host.hpp"

namespace trapezoid::proxy {

std::string_view check_config(const ProxyConfig& config) noexcept {
  if (config.branch_tag.empty() || config.branch_tag.size() > 16) return "Branch Tag Must Be 1 To 16 Characters";
  for (char c : config.branch_tag)
    if (!sip::charset::is_alnum(c)) return "Branch Tag Must Be Letters And Digits";
  // §16.6 item 11: "The timer MUST be larger than 3 minutes."
  if (config.timer_c <= std::chrono::minutes(3)) return "Timer C Must Be Longer Than 3 Minutes";
  if (config.max_forwards < 1 || config.max_forwards > 255) return "Max-Forwards Must Be 1 To 255";
  for (const std::string& h : config.hosts)
    if (sip::classify_host(h) == sip::HostKind::kNone) return "Invalid Proxy Host";
  if (!config.advertised_host.empty() && sip::classify_host(config.advertised_host) == sip::HostKind::kNone)
    return "Invalid Advertised Host";
  for (const std::string& tag : config.proxy_require_supported)
    if (tag.empty() || !sip::charset::all_token(tag)) return "Invalid Option Tag";
  return {};
}

}  // namespace trapezoid::proxy
