// RFC 2782 "Usage rules": SRV records tried by ascending priority, and within one priority in
// a weighted random order (a record's chance to come next is its weight over the sum of the
// weights left; weight 0 records have a small chance, placed first in the running sum).
//
//   std::mt19937 rng(seed);
//   std::vector<SrvData> ordered = order_srv(records, rng);
#pragma once

#include <random>
#include <vector>

#include "dns/records.hpp"

namespace trapezoid::dns {

[[nodiscard]] std::vector<SrvData> order_srv(std::vector<SrvData> records, std::mt19937& rng);

}  // namespace trapezoid::dns
