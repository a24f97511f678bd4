#include "registrar/sip_date.hpp"

#include <cstdint>

namespace trapezoid::registrar {
namespace {

constexpr const char* kWeekdays[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};  // 1970-01-01 was a Thursday
constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

struct CivilDate {
  std::int64_t year;
  unsigned month;  // 1..12
  unsigned day;    // 1..31
};

// Days since 1970-01-01 to a Gregorian date: the era (400-year cycle) and the day within it,
// with years counted from March so that the leap day falls at the end of each year.
CivilDate civil_from_days(std::int64_t days) {
  days += 719468;  // from 0000-03-01 to 1970-01-01
  const std::int64_t era = floor_div(days, 146097);
  const auto day_of_era = static_cast<std::uint32_t>(days - era * 146097);
  const std::uint32_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::uint32_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::uint32_t month_from_march = (5 * day_of_year + 2) / 153;
  const unsigned day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
  const unsigned month = month_from_march < 10 ? month_from_march + 3 : month_from_march - 9;
  const std::int64_t year = static_cast<std::int64_t>(year_of_era) + era * 400 + (month <= 2 ? 1 : 0);
  return {year, month, day};
}

void append_2(std::string& out, std::int64_t v) {
  out.push_back(static_cast<char>('0' + v / 10));
  out.push_back(static_cast<char>('0' + v % 10));
}

std::string format_uncached(UnixSeconds t);

}  // namespace

std::string format_sip_date(UnixSeconds t) {
  // Every response of one second carries the same text: formatted once per second and thread.
  thread_local UnixSeconds cached_at = 0;
  thread_local std::string cached;
  if (cached.empty() || t != cached_at) {
    cached = format_uncached(t);
    cached_at = t;
  }
  return cached;
}

namespace {

std::string format_uncached(UnixSeconds t) {
  const std::int64_t days = floor_div(t, 86400);
  const std::int64_t second_of_day = t - days * 86400;
  const CivilDate date = civil_from_days(days);
  std::string out;
  out.reserve(29);
  const std::int64_t weekday = days - floor_div(days, 7) * 7;
  out.append(kWeekdays[weekday]).append(", ");
  append_2(out, date.day);
  out.push_back(' ');
  out.append(kMonths[date.month - 1]).push_back(' ');
  std::string year = std::to_string(date.year < 0 ? -date.year : date.year);
  if (year.size() < 4) year.insert(0, 4 - year.size(), '0');
  if (date.year < 0) out.push_back('-');
  out.append(year).push_back(' ');
  append_2(out, second_of_day / 3600);
  out.push_back(':');
  append_2(out, second_of_day / 60 % 60);
  out.push_back(':');
  append_2(out, second_of_day % 60);
  out.append(" GMT");
  return out;
}

}  // namespace

}  // namespace trapezoid::registrar
