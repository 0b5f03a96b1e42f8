// Calendar arithmetic shared by the two timestamp parsers: RFC 3339 (channel/rfc3339.hpp) and the
// IMF-fixdate of Retry-After (api/envelope.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace portal {

// The value of the `count` (at most 18) decimal digits at `pos`; -1 if `text` is too short or one
// of them is not an ASCII digit.
inline std::int64_t read_decimal(std::string_view text, std::size_t pos, std::size_t count) {
  if (pos > text.size() || count > text.size() - pos) return -1;
  std::int64_t value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

// The number of days in month `m` (1-12) of proleptic Gregorian year `y`.
inline std::int64_t days_in_month(std::int64_t y, std::int64_t m) {
  static constexpr std::int64_t kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
inline std::int64_t days_from_civil(std::int64_t y, std::int64_t m, std::int64_t d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

}  // namespace portal
