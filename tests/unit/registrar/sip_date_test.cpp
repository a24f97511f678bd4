#include "registrar/sip_date.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <ctime>

namespace trapezoid::registrar {
namespace {

TEST(SipDate, KnownInstants) {
  EXPECT_EQ(format_sip_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(format_sip_date(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");  // RFC 2616 §3.3.1
  EXPECT_EQ(format_sip_date(951782400), "Tue, 29 Feb 2000 00:00:00 GMT");  // a 400-year leap day
  EXPECT_EQ(format_sip_date(1013562000), "Wed, 13 Feb 2002 01:00:00 GMT");
  EXPECT_EQ(format_sip_date(4107542399), "Sun, 28 Feb 2100 23:59:59 GMT");  // 2100 is no leap year
  EXPECT_EQ(format_sip_date(4107542400), "Mon, 01 Mar 2100 00:00:00 GMT");
  EXPECT_EQ(format_sip_date(4133980799), "Fri, 31 Dec 2100 23:59:59 GMT");
  EXPECT_EQ(format_sip_date(-1), "Wed, 31 Dec 1969 23:59:59 GMT");
}

TEST(SipDate, AgreesWithGmtimeOverManyDays) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  // Every 7919 seconds + a day, from 1960 to about 2110: crosses leap years and centuries.
  for (std::int64_t t = -315619200; t < 4400000000; t += 86400 * 37 + 7919) {
    const std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    ASSERT_NE(gmtime_r(&tt, &tm), nullptr);
    char expected[64];
    std::snprintf(expected, sizeof expected, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday], tm.tm_mday,
                  kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    ASSERT_EQ(format_sip_date(t), expected) << t;
  }
}

}  // namespace
}  // namespace trapezoid::registrar
