// Choosing the final response a forking proxy sends upstream once every branch is done
// (RFC 3261 §16.7 item 6).
//
//   std::vector<Candidate> finals = {{486, bytes_486}, {603, bytes_603}};
//   choose_best(finals);          // 1: a 6xx wins
//   upstream_status(503);         // 500: a 503 is not passed on (§16.7 item 6)
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>

namespace trapezoid::proxy {

// One final response of a branch.
struct Candidate {
  int status = 0;
  std::string bytes;  // as received; empty when the proxy stands in for it (408 for a timeout,
                      // 503 for a transport error, §16.6 item 7, §16.9)
  bool prepared = false;  // `bytes` already lost our Via (a 3xx whose contacts were recursed)
};

// The index of the response to send: the first 6xx; else the lowest class, preferring in 4xx
// the responses that help a retry (401, 407, 415, 420, 484) and in 5xx anything over a 503;
// among equals the first received. nullopt when there is none (the proxy then sends 408).
[[nodiscard]] std::optional<std::size_t> choose_best(std::span<const Candidate> candidates) noexcept;

// §16.7 item 6: a 503 means the next hop cannot serve anything, which is not true of this
// proxy, so it becomes 500. Other codes are sent as they are.
[[nodiscard]] constexpr int upstream_status(int status) noexcept { return status == 503 ? 500 : status; }

}  // namespace trapezoid::proxy
