// The state a stateful proxy keeps for one forwarded request (RFC 3261 §16.6 "response
// context"): its server transaction, the targets still to try, one branch per client
// transaction, and the final responses gathered for §16.7 item 6. Plain data: ProxyCore
// drives it.
//
//   ResponseContext& ctx = ...;
//   ctx.targets.add(target);                   // §16.5
//   ctx.branches.push_back(Branch{...});       // §16.6, one per client transaction
//   ctx.finals.push_back({486, bytes});        // §16.7 item 4
//   if (ctx.all_branches_done()) ...           // §16.7 item 6: choose and send the best
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "proxy/best_response.hpp"
#include "proxy/proxy_environment.hpp"
#include "proxy/target_set.hpp"
#include "sip/method.hpp"

namespace trapezoid::proxy {

enum class BranchState : std::uint8_t {
  kCalling,     // sent, no response yet
  kProceeding,  // a provisional response came (a CANCEL may now be sent, §9.1)
  kDone,        // a final response, a timeout or a transport error
};

// What a branch sends, kept for the next destination of its target (RFC 3263 §4.3).
struct BranchRoute {
  std::string request_uri;
  std::vector<std::string> routes;
  bool sips = false;  // the Request-URI is a SIPS URI
  // The next hop's host when it is a name: a TLS server there must hold a certificate for it
  // (RFC 5922 §4), whatever address DNS gave for it.
  std::string tls_name;
};

struct Branch {
  TransactionId tx = 0;       // its client transaction; 0 when it never started
  Peer destination;           // where it (and its CANCEL, §9.1) went
  BranchState state = BranchState::kCalling;
  bool tx_live = false;       // the client transaction exists (until on_terminated)
  bool cancel_wanted = false; // cancel once a provisional arrives (§9.1)
  bool cancel_sent = false;
  TimerHandle timer_c = 0;       // §16.6 item 11 (INVITE only); 0: not armed
  TimerHandle cancel_guard = 0;  // §9.1: 64*T1 after the CANCEL; 0: not armed
  bool resolving = false;        // waiting for DNS (RFC 3263): nothing sent yet
  std::uint64_t resolution = 0;  // which answer it waits for
  std::shared_ptr<const BranchRoute> route;
  // RFC 3263 §4.3: the target's other destinations, tried in order when this one fails (a
  // transport error, a timeout or a 503).
  std::vector<transport::Target> fallbacks;
};

struct ResponseContext {
  TransactionId server_tx = 0;
  sip::Method method = sip::Method::kUnknown;
  bool invite = false;
  Peer upstream;                      // the server transaction's peer (inbound transport)
  std::string method_name;            // for the log line
  std::string request_uri;            // as received, for the log line
  std::uint64_t loop_hash = 0;        // §16.6 item 8, shared by all its branches
  std::vector<std::string> routes;    // Route values left after §16.4
  bool retargeted = false;            // the Request-URI was ours: 3xx may be recursed (§16.5)
  bool sips = false;                  // the received Request-URI was a SIPS URI
  std::string to_tag;                 // for responses this proxy makes itself

  TargetSet targets;
  std::vector<Branch> branches;
  std::vector<Candidate> finals;      // §16.7 item 4

  bool server_live = true;            // the server transaction exists (until on_terminated)
  bool final_sent = false;            // a final response went upstream
  bool no_new_branches = false;       // 2xx, 6xx or CANCEL seen: no more forking (§16.7 item 5)
  int final_status = 0;               // for the log line

  [[nodiscard]] bool all_branches_done() const noexcept {
    for (const Branch& b : branches)
      if (b.state != BranchState::kDone) return false;
    return true;
  }
  [[nodiscard]] bool any_transaction_live() const noexcept {
    for (const Branch& b : branches)
      if (b.tx_live) return true;
    return false;
  }
};

}  // namespace trapezoid::proxy
