// The transaction timers of RFC 3261 §17 and their defaults (§A, Table 4), plus the Timer L and
// Timer M of RFC 6026 §8.
//
//   TimerConfig timers;                        // T1 = 500 ms, T2 = 4 s, T4 = 5 s
//   timers.B();                                // 64*T1 = 32 s
//   timers.D(Reliability::kReliable);          // 0: nothing to absorb on TCP
//
// Timer C belongs to the proxy (§16.6 step 11), not to the transaction layer.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string_view>

namespace trapezoid::transaction {

using TimePoint = std::chrono::steady_clock::time_point;
using Duration = std::chrono::milliseconds;

// Whether the transport under a transaction delivers reliably (TCP, TLS, SCTP, WebSocket) or
// not (UDP). Retransmission timers run only on unreliable transports (§17.1.1.2, §17.1.2.2).
enum class Reliability : std::uint8_t { kUnreliable, kReliable };

// Every timer a transaction arms. kTrying is the 200 ms wait before an INVITE server
// transaction sends 100 (Trying) on the TU's behalf (§17.2.1).
enum class TimerKind : std::uint8_t { kA, kB, kD, kE, kF, kG, kH, kI, kJ, kK, kL, kM, kTrying };
inline constexpr std::size_t kTimerKindCount = 13;

// "Timer A", ..., "Timer M", "Trying".
[[nodiscard]] std::string_view to_string(TimerKind kind) noexcept;

struct TimerConfig {
  Duration T1{500};   // RTT estimate
  Duration T2{4000};  // the longest retransmission interval for non-INVITE requests and INVITE responses
  Duration T4{5000};  // the longest a message stays in the network
  Duration trying_delay{200};  // §17.2.1: send 100 (Trying) if the TU is silent this long

  // INVITE client (§17.1.1.2): A starts at T1 and doubles, B bounds the whole wait.
  [[nodiscard]] Duration A() const noexcept { return T1; }
  [[nodiscard]] Duration B() const noexcept { return 64 * T1; }
  // Completed absorbs retransmitted final responses: "> 32 s" on UDP, 0 on reliable.
  [[nodiscard]] Duration D(Reliability r) const noexcept {
    return r == Reliability::kReliable ? Duration{0} : std::max(Duration{32000}, 64 * T1);
  }
  // Non-INVITE client (§17.1.2.2): E starts at T1, doubles up to T2; F bounds the wait.
  [[nodiscard]] Duration E() const noexcept { return T1; }
  [[nodiscard]] Duration F() const noexcept { return 64 * T1; }
  // INVITE server (§17.2.1): G retransmits the final response, H waits for the ACK.
  [[nodiscard]] Duration G() const noexcept { return T1; }
  [[nodiscard]] Duration H() const noexcept { return 64 * T1; }
  [[nodiscard]] Duration I(Reliability r) const noexcept {
    return r == Reliability::kReliable ? Duration{0} : T4;
  }
  // Non-INVITE server (§17.2.2): J absorbs request retransmissions.
  [[nodiscard]] Duration J(Reliability r) const noexcept {
    return r == Reliability::kReliable ? Duration{0} : 64 * T1;
  }
  // Non-INVITE client Completed (§17.1.2.2): K absorbs response retransmissions.
  [[nodiscard]] Duration K(Reliability r) const noexcept {
    return r == Reliability::kReliable ? Duration{0} : T4;
  }
  // RFC 6026 §8.7 / §8.4: the Accepted states last 64*T1.
  [[nodiscard]] Duration L() const noexcept { return 64 * T1; }
  [[nodiscard]] Duration M() const noexcept { return 64 * T1; }

  // The next interval of a retransmission timer capped at T2 (E and G): std::min(2*d, T2).
  [[nodiscard]] Duration doubled_capped(Duration d) const noexcept { return std::min(2 * d, T2); }
};

}  // namespace trapezoid::transaction
