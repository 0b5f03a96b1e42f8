// RFC 3339 timestamps (the `expiresAt` values of the secure channel) to Unix milliseconds.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/error.hpp"

namespace portal {

// Parses "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)" (RFC 3339 §5.6 date-time; 'T' and 'Z'
// may be lower case) to milliseconds since 1970-01-01T00:00:00Z. Fractions beyond milliseconds
// are truncated. Years 0000-9999; dates and times are range-checked (leap years included).
// A leap second (:60) is refused, as JavaScript's Date does. On failure: SECURE_CHANNEL.MALFORMED
// (Protocol), since every timestamp the core reads comes from the server.
Result<std::int64_t> parse_rfc3339_ms(std::string_view text);

}  // namespace portal
