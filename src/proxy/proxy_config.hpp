// How one worker's proxy core behaves (RFC 3261 §16 stateful proxy, or the §8.3 redirect
// server) and what it calls itself.
//
//   ProxyConfig cfg;                        // proxy mode, Record-Route on, Timer C 181 s
//   cfg.branch_tag = "w3";                  // this worker's mark in every branch it makes
//   cfg.hosts = {"proxy.example.com"};      // names that denote this element (§16.4)
//   if (std::string_view err = check_config(cfg); !err.empty()) die(err);
//
// The element's own addresses and ports are its bound sockets (ProxyEnvironment::
// local_endpoints()); `hosts` adds the names (and addresses behind NAT) that also mean "us".
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace trapezoid::proxy {

enum class ProxyMode : unsigned char {
  kProxy,     // §16: forward statefully, fork, record-route
  kRedirect,  // §8.3: answer 3xx with the contacts of the target, never forward
};

struct ProxyConfig {
  ProxyMode mode = ProxyMode::kProxy;
  // §16.6 item 4: stay on the path of dialogs (INVITE, SUBSCRIBE, REFER, NOTIFY and methods
  // this element does not know, which may create dialogs).
  bool record_route = true;
  // §16.7 item 4: try the contacts of a 3xx as new targets instead of passing it upstream.
  bool recurse_on_3xx = false;
  // §16.6 item 11: an INVITE branch with no final response for this long is cancelled; the
  // RFC requires more than 3 minutes.
  std::chrono::milliseconds timer_c{181'000};
  // Put right after "z9hG4bK" in every branch this element makes (letters and digits only):
  // a server with several workers reads it back to find the worker that owns a transaction.
  std::string branch_tag = "p";
  // §16.6 item 3: the Max-Forwards given to a request that had none.
  int max_forwards = 70;
  // Other names of this element: host names, or addresses it is reached at but is not bound
  // to (NAT, a wildcard bind). A URI naming one of them, at one of our ports, is ours (§16.4).
  std::vector<std::string> hosts;
  // The host written in our Record-Route and Via values; empty: the address of the socket
  // the request goes out on (or came in on, for the upstream Record-Route).
  std::string advertised_host;
  // §8.2.7: answer a REGISTER for one of our domains as a stateless UAS, without a server
  // transaction holding its request and response for Timer J (32 s on UDP). The registrar
  // answers a retransmission as it answered the first copy (RegisterContext::stateless).
  bool stateless_register = true;
  // §16.3 step 5: the option tags this element understands in Proxy-Require.
  std::vector<std::string> proxy_require_supported;
};

// "" when the configuration can be used, else why not ("Branch Tag Must Be Letters And Digits").
[[nodiscard]] std::string_view check_config(const ProxyConfig& config) noexcept;

}  // namespace trapezoid::proxy
