#include "transaction/timer_config.hpp"

namespace trapezoid::transaction {

std::string_view to_string(TimerKind kind) noexcept {
  switch (kind) {
    case TimerKind::kA: return "Timer A";
    case TimerKind::kB: return "Timer B";
    case TimerKind::kD: return "Timer D";
    case TimerKind::kE: return "Timer E";
    case TimerKind::kF: return "Timer F";
    case TimerKind::kG: return "Timer G";
    case TimerKind::kH: return "Timer H";
    case TimerKind::kI: return "Timer I";
    case TimerKind::kJ: return "Timer J";
    case TimerKind::kK: return "Timer K";
    case TimerKind::kL: return "Timer L";
    case TimerKind::kM: return "Timer M";
    case TimerKind::kTrying: return "Trying";
  }
  return "Timer ?";
}

}  // namespace trapezoid::transaction
