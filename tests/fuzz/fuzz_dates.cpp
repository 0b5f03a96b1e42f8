// RFC 3339 (src/channel/rfc3339.*) and Retry-After: delta-seconds or IMF-fixdate
// (api::parse_retry_after, src/api/envelope.*). Input: one byte picks the parser, eight bytes a
// "now", the rest is the text. Accepted dates must be real calendar dates in the documented
// grammar (reference parsers here), re-formatting one must give the same instant, and formatted
// instants must parse back.
#include <cinttypes>
#include <cstdio>
#include <optional>

#include "api/envelope.hpp"
#include "channel/rfc3339.hpp"
#include "fuzz_check.hpp"

using namespace portal;

namespace {

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

// Howard Hinnant's civil_from_days, independent of the core's days_from_civil.
void civil_from_days(std::int64_t z, std::int64_t& y, int& m, int& d) {
  z += 719468;
  const std::int64_t era = floor_div(z, 146097);
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = yoe + era * 400 + (m <= 2);
}

bool leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int days_in(std::int64_t y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}
constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr const char* kWeekdays[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};  // from 1970-01-01

std::string rfc3339(std::int64_t ms) {
  std::int64_t y;
  int m, d;
  const std::int64_t days = floor_div(ms, 86'400'000), in_day = ms - days * 86'400'000;
  civil_from_days(days, y, m, d);
  char out[40];
  std::snprintf(out, sizeof out, "%04" PRId64 "-%02d-%02dT%02d:%02d:%02d.%03dZ", y, m, d,
                static_cast<int>(in_day / 3'600'000), static_cast<int>(in_day / 60'000 % 60),
                static_cast<int>(in_day / 1000 % 60), static_cast<int>(in_day % 1000));
  return out;
}

std::string imf(std::int64_t seconds) {
  std::int64_t y;
  int m, d;
  const std::int64_t days = floor_div(seconds, 86'400), in_day = seconds - days * 86'400;
  civil_from_days(days, y, m, d);
  char out[40];
  std::snprintf(out, sizeof out, "%s, %02d %s %04" PRId64 " %02d:%02d:%02d GMT",
                kWeekdays[((days % 7) + 7) % 7], d, kMonths[m - 1], y, static_cast<int>(in_day / 3600),
                static_cast<int>(in_day / 60 % 60), static_cast<int>(in_day % 60));
  return out;
}

int digits(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

// The IMF-fixdate grammar of RFC 9110 §5.6.7, with a real calendar date; seconds 00-60.
std::optional<std::int64_t> reference_imf_ms(std::string_view s) {
  if (s.size() != 29 || s.substr(3, 2) != ", " || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' || s[19] != ':' ||
      s[22] != ':' || s.substr(25) != " GMT")
    return std::nullopt;
  bool day_name = false;
  for (const char* w : kWeekdays) day_name = day_name || s.substr(0, 3) == w;
  int month = 0;
  for (int i = 0; i < 12; ++i)
    if (s.substr(8, 3) == kMonths[i]) month = i + 1;
  const int d = digits(s, 5, 2), y = digits(s, 12, 4), h = digits(s, 17, 2), mi = digits(s, 20, 2), se = digits(s, 23, 2);
  if (!day_name || month == 0 || y < 0 || d < 1 || d > days_in(y, month) || h < 0 || h > 23 || mi < 0 || mi > 59 ||
      se < 0 || se > 60)
    return std::nullopt;
  // Day count by brute force over the years: independent of both civil algorithms above.
  std::int64_t days = 0;
  for (std::int64_t yy = 1970; yy < y; ++yy) days += leap(yy) ? 366 : 365;
  for (std::int64_t yy = y; yy < 1970; ++yy) days -= leap(yy) ? 366 : 365;
  for (int mm = 1; mm < month; ++mm) days += days_in(y, mm);
  days += d - 1;
  return ((days * 24 + h) * 60 + mi) * 60'000 + se * 1000;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Reader in(data, size);
  const std::uint8_t mode = in.byte();
  std::int64_t now = 0;
  for (int i = 0; i < 6; ++i) now = now << 8 | in.byte();  // 48 bits: years 1970 to ~10900
  const std::string_view text = in.rest();

  if (mode % 2 == 0) {
    const auto ms = parse_rfc3339_ms(text);
    if (ms.ok()) {
      // Years 0000-9999 with offsets of at most 23:59.
      FUZZ_CHECK(ms.value() >= -62'167'219'200'000 - 86'400'000 && ms.value() < 253'402'300'800'000 + 86'400'000);
      const auto again = parse_rfc3339_ms(rfc3339(ms.value()));
      FUZZ_CHECK(again.ok() || ms.value() < -62'167'219'200'000 || ms.value() >= 253'402'300'800'000);
      if (again.ok()) FUZZ_CHECK(again.value() == ms.value());
    } else {
      FUZZ_CHECK(ms.error().code == "SECURE_CHANNEL.MALFORMED");
    }
    // Any instant in range formats and parses back.
    const std::int64_t instant = now % 253'402'300'800'000;
    const auto back = parse_rfc3339_ms(rfc3339(instant));
    FUZZ_CHECK(back.ok() && back.value() == instant);
    return 0;
  }

  // Retry-After against the reference: delta-seconds (1-10 digits after trimming SP/HTAB) or
  // an IMF-fixdate, rounded up to whole seconds from now.
  const auto seconds = api::parse_retry_after(text, now);
  std::string_view trimmed = text;
  while (!trimmed.empty() && (trimmed.front() == ' ' || trimmed.front() == '\t')) trimmed.remove_prefix(1);
  while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\t')) trimmed.remove_suffix(1);
  std::optional<std::int64_t> expected;
  if (!trimmed.empty() && trimmed.size() <= 10 && trimmed.find_first_not_of("0123456789") == std::string_view::npos) {
    expected = std::stoll(std::string(trimmed));
  } else if (const auto at = reference_imf_ms(trimmed)) {
    expected = *at <= now ? 0 : (*at - now + 999) / 1000;
  }
  FUZZ_CHECK(seconds == expected);

  // A formatted date parses to the right delay.
  const std::int64_t at = (now / 1000) % 253'402'300'800 + 1;
  const auto delay = api::parse_retry_after(imf(at), now);
  FUZZ_CHECK(delay && *delay == (at * 1000 <= now ? 0 : (at * 1000 - now + 999) / 1000));
  return 0;
}
