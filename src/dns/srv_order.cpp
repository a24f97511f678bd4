#include "dns/srv_order.hpp"

#include <algorithm>
#include <cstdint>

namespace trapezoid::dns {

std::vector<SrvData> order_srv(std::vector<SrvData> records, std::mt19937& rng) {
  // Within a priority, weight 0 first ("all those with weight 0 are placed at the beginning of
  // the list"), which the stable sort keeps.
  std::stable_sort(records.begin(), records.end(), [](const SrvData& a, const SrvData& b) {
    if (a.priority != b.priority) return a.priority < b.priority;
    return a.weight == 0 && b.weight != 0;
  });
  std::vector<SrvData> ordered;
  ordered.reserve(records.size());
  auto group = records.begin();
  while (group != records.end()) {
    auto group_end = std::find_if(group, records.end(), [&](const SrvData& r) { return r.priority != group->priority; });
    std::vector<SrvData> left(group, group_end);
    while (!left.empty()) {
      std::uint32_t sum = 0;
      for (const SrvData& r : left) sum += r.weight;
      // "choose a uniform random number between 0 and the sum computed (inclusive), and select
      // the RR whose running sum value is the first in the selected order which is greater than
      // or equal to the random number selected".
      const std::uint32_t pick = std::uniform_int_distribution<std::uint32_t>(0, sum)(rng);
      std::uint32_t running = 0;
      std::size_t chosen = left.size() - 1;
      for (std::size_t i = 0; i < left.size(); ++i) {
        running += left[i].weight;
        if (running >= pick) {
          chosen = i;
          break;
        }
      }
      ordered.push_back(std::move(left[chosen]));
      left.erase(left.begin() + static_cast<std::ptrdiff_t>(chosen));
    }
    group = group_end;
  }
  return ordered;
}

}  // namespace trapezoid::dns
