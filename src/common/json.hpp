// JSON in the core: nlohmann/json's value type, one strict non-throwing parse, one non-throwing
// dump, and checked field reads.
//
// `Json` is nlohmann::json (Debian's nlohmann-json3-dev, 3.11). The whole core is built with
// JSON_NOEXCEPTION (a misuse aborts instead of throwing: nothing in the core catches), without
// implicit conversions, and without nlohmann's silent enum-to-integer conversion (the `json`
// target in the top-level CMakeLists.txt). Objects are std::map, so keys are sorted (byte order)
// and every dump of the same value is the same text.
//
// Three rules keep nlohmann's preconditions out of reach of input:
//   - every text is parsed by `parse_json()`, which never throws: a text it refuses gives a
//     discarded value (is_object(), is_array() … all false; check `is_discarded()` when any JSON
//     value is acceptable);
//   - every text is written by `dump_json()`, which replaces invalid UTF-8 instead of throwing;
//   - every member of a value that came from outside is read through `field<T>()` /
//     `optional_field<T>()`, which check presence and type before reading (nlohmann's const
//     operator[] on a missing key and get<T>() on another type are undefined or abort).
//
// parse_json() is nlohmann's parser with a parser callback adding what the protocol relies on:
//   - RFC 8259 as nlohmann reads it: no trailing commas, comments, leading zeros, NaN/Infinity,
//     unescaped control characters, invalid UTF-8, lone surrogates, numbers beyond a double;
//   - no duplicate object keys (nlohmann keeps the last; a sealed answer must mean one thing);
//   - no nesting deeper than kMaxJsonDepth ([] is depth 1);
//   - no NUL byte anywhere (nlohmann's lexer treats one as the end of the input) and no byte order
//     mark (nlohmann skips one).
//
// The `Source` of a field read says whose fault a bad field is:
//   Source::Peer    a server answer   → Protocol error CLIENT.BAD_RESPONSE
//   Source::Caller  our caller's args → Caller error CLIENT.INVALID_ARGUMENT with a field error
// (code that reports its own error, such as the channel's SECURE_CHANNEL.MALFORMED, only tests ok()).
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include <nlohmann/json.hpp>

#include "common/error.hpp"

namespace portal {

using Json = nlohmann::json;

inline constexpr int kMaxJsonDepth = 64;

enum class Source { Peer, Caller };

// The value of `text`, or a discarded value when the rules above refuse it.
Json parse_json(std::string_view text);

// Compact text (no spaces), non-ASCII as raw UTF-8, invalid UTF-8 replaced by U+FFFD.
std::string dump_json(const Json& value);

// The error for a bad field `name` (a path such as "data.expiresIn"); `code` is the field-error
// code a Caller error carries (FIELD_REQUIRED, FIELD_TYPE, FIELD_INVALID, … as in docs/api.md §5).
Error field_error(Source source, std::string_view name, std::string_view code, std::string_view problem);

// Whether `value` can be read as T by field<T>() (see there for the types).
template <typename T>
bool json_holds(const Json& value) noexcept {
  if constexpr (std::is_same_v<T, Json>) return true;
  else if constexpr (std::is_same_v<T, std::string>) return value.is_string();
  else if constexpr (std::is_same_v<T, bool>) return value.is_boolean();
  else if constexpr (std::is_same_v<T, double>) return value.is_number();
  else if constexpr (std::is_same_v<T, std::uint64_t>)
    return value.is_number_unsigned() ||
           (value.is_number_integer() && value.get_ref<const Json::number_integer_t&>() >= 0);
  else if constexpr (std::is_same_v<T, std::int64_t>)
    return value.is_number_integer() &&
           (!value.is_number_unsigned() || value.get_ref<const Json::number_unsigned_t&>() <=
                                               static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()));
  else static_assert(sizeof(T) == 0, "json_holds: unsupported type");
}

namespace detail {
// The checks field() and optional_field() share, once for every T: the member `key` of `obj`, or
// nullptr when it is missing or null; an error when `obj` is not an object or `holds` refuses it.
Result<const Json*> member(const Json& obj, std::string_view key, Source source, bool (*holds)(const Json&) noexcept);
}  // namespace detail

// `obj[key]` as T. Fails when `obj` is not an object, the key is missing or null, or the type
// differs. T is one of:
//   std::string     a JSON string
//   bool            true / false
//   std::int64_t    a JSON integer within int64 (not 1.0)
//   std::uint64_t   a non-negative JSON integer within uint64 (not 1.0, not -1)
//   double          any JSON number
//   Json            any non-null value
template <typename T>
Result<T> field(const Json& obj, std::string_view key, Source source = Source::Peer) {
  auto found = detail::member(obj, key, source, &json_holds<T>);
  if (!found.ok()) return std::move(found).error();
  if (!found.value()) return field_error(source, key, "FIELD_REQUIRED", "is required");
  return found.value()->template get<T>();
}

// Like field(), but a missing key or JSON null gives std::nullopt instead of an error.
template <typename T>
Result<std::optional<T>> optional_field(const Json& obj, std::string_view key, Source source = Source::Peer) {
  auto found = detail::member(obj, key, source, &json_holds<T>);
  if (!found.ok()) return std::move(found).error();
  if (!found.value()) return std::optional<T>{};
  return std::optional<T>{found.value()->template get<T>()};
}

}  // namespace portal
