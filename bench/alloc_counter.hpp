// Counts heap allocations made through operator new (alloc_counter.cpp replaces the global
// allocation functions for the whole benchmark binary). C code calling malloc directly, as
// sofia-sip and osip2 do, is not counted.
#pragma once

#include <cstdint>

namespace bench {

std::uint64_t allocation_count() noexcept;

}  // namespace bench
