// The Via branches this proxy writes (RFC 3261 §8.1.1.7, §16.6 item 8, §16.11) and the loop
// check that reads them back (§16.3 step 4).
//
//   z9hG4bK <tag> . <loop hash: 16 hex> . <counter: hex>      stateful branches
//   z9hG4bK <tag> . <loop hash: 16 hex> . s<hash: 16 hex>      stateless ones (ACK of a 2xx)
//
//   BranchMaker branches("w3", seed);
//   const std::uint64_t h = loop_hash(request);          // fields that steer this request
//   std::string b = branches.next(h);                     // "z9hG4bKw3.5f0e...c1.1a2b"
//   loop_hash_of(b, "w3");                                // h
//
// The tag lets a multi-worker server find the worker that owns a branch; the loop hash lets a
// request that comes back be told apart as a loop (same hash) or a spiral (§16.3 step 4); the
// counter (from a random start) makes each branch unique over space and time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sip/message.hpp"

namespace trapezoid::proxy {

// §16.6 item 8: a hash of what decides how this proxy handles the request as received: To
// and From tags, Call-ID, Request-URI, CSeq number, Route, Proxy-Require and
// Proxy-Authorization. Not the method (a CANCEL or ACK shares its INVITE's branch), and not
// the top Via the RFC lists: a looped request comes back with another element's Via on top,
// so hashing it would hide every loop.
[[nodiscard]] std::uint64_t loop_hash(const sip::Message& request);

// 64-bit FNV-1a, continuing from `h`: quick and spread well enough for loop detection, which
// needs no secrecy.
[[nodiscard]] std::uint64_t fnv1a(std::string_view bytes, std::uint64_t h = 0xcbf29ce484222325ULL) noexcept;

class BranchMaker {
 public:
  // `tag`: letters and digits (check_config); `seed`: a random start for the counter.
  BranchMaker(std::string tag, std::uint64_t seed);

  // A new branch for one client transaction of a request with this loop hash.
  [[nodiscard]] std::string next(std::uint64_t loop);
  // The branch for forwarding `request` statelessly: the same for every retransmission
  // (§16.11): from the received top branch when it has the magic cookie, else from the fields
  // that tell transactions apart.
  [[nodiscard]] std::string stateless(const sip::Message& request) const;

  [[nodiscard]] const std::string& tag() const noexcept { return tag_; }

 private:
  std::string prefix_;  // "z9hG4bK" + tag + "."
  std::string tag_;
  std::uint64_t counter_;
};

// The loop hash inside a branch this element made with `tag`, or nullopt for anyone else's.
[[nodiscard]] std::optional<std::uint64_t> loop_hash_of(std::string_view branch, std::string_view tag) noexcept;

}  // namespace trapezoid::proxy
