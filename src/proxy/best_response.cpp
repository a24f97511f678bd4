#include "proxy/best_response.hpp"

namespace trapezoid::proxy {
namespace {

// Smaller is better.
int rank(int status) noexcept {
  const int cls = status / 100;
  if (cls == 6) return 0;
  int within = 1;
  if (cls == 4 && (status == 401 || status == 407 || status == 415 || status == 420 || status == 484)) within = 0;
  if (cls == 5 && status != 503) within = 0;
  return cls * 10 + within;
}

}  // namespace

std::optional<std::size_t> choose_best(std::span<const Candidate> candidates) noexcept {
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < candidates.size(); ++i)
    if (!best || rank(candidates[i].status) < rank(candidates[*best].status)) best = i;
  return best;
}

}  // namespace trapezoid::proxy
