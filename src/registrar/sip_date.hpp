// The SIP-date of a Date header field (RFC 3261 §20.17, the rfc1123-date of RFC 2616 §3.3.1,
// always in GMT), from Unix seconds.
//
//   format_sip_date(1013562000);   // "Wed, 13 Feb 2002 01:00:00 GMT"
#pragma once

#include <string>

#include "registrar/binding.hpp"

namespace trapezoid::registrar {

// Times before 1970 are written too (the proleptic Gregorian calendar); years past 9999 are
// written with as many digits as they need.
[[nodiscard]] std::string format_sip_date(UnixSeconds t);

}  // namespace trapezoid::registrar
