// Private: steering UDP responses to the worker that owns their transaction, in the kernel.
//
// Workers share a UDP port through SO_REUSEPORT, and the kernel picks a socket by hashing the
// sender's address, so a response often reaches a worker other than the one whose client
// transaction sent the request (RFC 3261 §17.1.3 matches it by the top Via's branch). Handing
// it over costs a wake-up of the owner per response. When each worker puts its index in the
// branches it makes ("z9hG4bK" + letter + index + "."), a classic BPF program attached to the
// group (SO_ATTACH_REUSEPORT_CBPF, socket(7)) reads that index from the datagram and picks the
// index-th socket of the group: socket i must be the i-th to have joined it, which holds when
// workers bind in index order. Anything else (requests, foreign branches, an index past the
// group) falls back to the kernel's hash, and the worker that gets it hands it over as before.
#pragma once

#include <linux/filter.h>

#include <system_error>
#include <vector>

namespace trapezoid::transport::detail {

// How far into a response the program looks for the branch (bytes from the start).
inline constexpr unsigned kSteeringWindow = 512;

// The program for branches "z9hG4bK" + `letter` + decimal index (one or two digits) + ".".
[[nodiscard]] std::vector<sock_filter> branch_steering_program(char letter);

// Attaches the program to the reuseport group of `fd` (bound, with SO_REUSEPORT).
[[nodiscard]] std::error_code attach_branch_steering(int fd, char letter);

}  // namespace trapezoid::transport::detail
