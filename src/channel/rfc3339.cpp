#include "channel/rfc3339.hpp"

#include "channel/errors.hpp"
#include "common/civil_time.hpp"

namespace portal {

namespace {

bool expect(std::string_view text, std::size_t pos, char a, char b = '\0') {
  return pos < text.size() && (text[pos] == a || (b != '\0' && text[pos] == b));
}

}  // namespace

Result<std::int64_t> parse_rfc3339_ms(std::string_view text) {
  const auto bad = [&] { return codes::malformed("not an RFC 3339 date-time: " + std::string(text.substr(0, 64))); };
  const std::int64_t year = read_decimal(text, 0, 4), month = read_decimal(text, 5, 2), day = read_decimal(text, 8, 2);
  const std::int64_t hour = read_decimal(text, 11, 2), minute = read_decimal(text, 14, 2),
                     second = read_decimal(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
      second < 0 || second > 59 || !expect(text, 4, '-') || !expect(text, 7, '-') || !expect(text, 10, 'T', 't') ||
      !expect(text, 13, ':') || !expect(text, 16, ':') || day > days_in_month(year, month))
    return bad();

  std::size_t pos = 19;
  std::int64_t millis = 0;
  if (expect(text, pos, '.')) {
    std::size_t count = 0;
    for (++pos; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos, ++count)
      if (count < 3) millis = millis * 10 + (text[pos] - '0');
    if (count == 0) return bad();
    for (; count < 3; ++count) millis *= 10;
  }

  std::int64_t offset_minutes = 0;
  if (expect(text, pos, 'Z', 'z')) {
    ++pos;
  } else if (expect(text, pos, '+', '-')) {
    const std::int64_t oh = read_decimal(text, pos + 1, 2), om = read_decimal(text, pos + 4, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59 || !expect(text, pos + 3, ':')) return bad();
    offset_minutes = (text[pos] == '-' ? -1 : 1) * (oh * 60 + om);
    pos += 6;
  } else {
    return bad();
  }
  if (pos != text.size()) return bad();

  const std::int64_t seconds = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second -
                               offset_minutes * 60;
  return seconds * 1000 + millis;
}

}  // namespace portal
