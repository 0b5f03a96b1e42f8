// JSON in the core: one non-throwing parse, one non-throwing dump, one checked field accessor.
//
// nlohmann/json throws on a syntax error, on a wrong-type read and on dumping invalid UTF-8; the
// core never lets an exception out, so every text is parsed by `parse_json()`, every text is
// produced by `dump_json()` and every member is read through `field<T>()` / `optional_field<T>()`,
// which check presence and type before touching the value. The `Source` says whose fault a bad
// field is:
//   Source::Peer    a server answer   → Protocol error CLIENT.BAD_RESPONSE
//   Source::Caller  our caller's args → Caller error CLIENT.INVALID_ARGUMENT with a field error
// (code that reports its own error, such as the channel's SECURE_CHANNEL.MALFORMED, only tests ok()).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

#include <nlohmann/json.hpp>

#include "common/error.hpp"

namespace portal {

using Json = nlohmann::json;

enum class Source { Peer, Caller };

// Parses without throwing; a syntax error gives a discarded value, for which is_object(),
// is_array() … are all false (check `is_discarded()` when any JSON value is acceptable).
inline Json parse_json(std::string_view text) { return Json::parse(text.begin(), text.end(), nullptr, false); }

// Serialises without throwing: invalid UTF-8 in a string is replaced, never an exception.
inline std::string dump_json(const Json& value) { return value.dump(-1, ' ', false, Json::error_handler_t::replace); }

// The error for a bad field `name` (a path such as "data.expiresIn"); `code` is the field-error
// code a Caller error carries (FIELD_REQUIRED, FIELD_TYPE, FIELD_INVALID, … as in docs/api.md §5).
Error field_error(Source source, std::string_view name, std::string_view code, std::string_view problem);

namespace detail {
template <typename T>
bool holds(const Json& value) {
  if constexpr (std::is_same_v<T, std::string>) return value.is_string();
  else if constexpr (std::is_same_v<T, bool>) return value.is_boolean();
  else if constexpr (std::is_same_v<T, std::int64_t>) return value.is_number_integer();
  else if constexpr (std::is_same_v<T, std::uint64_t>) return value.is_number_unsigned();
  else if constexpr (std::is_same_v<T, double>) return value.is_number();
  else if constexpr (std::is_same_v<T, Json>) return !value.is_null();
  else static_assert(sizeof(T) == 0, "field: unsupported type");
}
template <typename T>
T take(const Json& value) {
  if constexpr (std::is_same_v<T, Json>) return value;
  else return value.get<T>();
}
}  // namespace detail

// `obj[key]` as T. Fails when `obj` is not an object, the key is missing or null, or the type
// differs. T is one of:
//   std::string     a JSON string
//   bool            true / false
//   std::int64_t    any JSON integer (not 1.0)
//   std::uint64_t   a non-negative JSON integer (not 1.0, not -1)
//   double          any JSON number
//   Json            any non-null value
template <typename T>
Result<T> field(const Json& obj, std::string_view key, Source source = Source::Peer) {
  if (!obj.is_object()) return field_error(source, key, "FIELD_TYPE", "cannot be read: the enclosing value is not an object");
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return field_error(source, key, "FIELD_REQUIRED", "is required");
  if (!detail::holds<T>(*it)) return field_error(source, key, "FIELD_TYPE", "has the wrong type");
  return detail::take<T>(*it);
}

// Like field(), but a missing key or JSON null gives std::nullopt instead of an error.
template <typename T>
Result<std::optional<T>> optional_field(const Json& obj, std::string_view key, Source source = Source::Peer) {
  if (!obj.is_object()) return field_error(source, key, "FIELD_TYPE", "cannot be read: the enclosing value is not an object");
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::optional<T>{};
  if (!detail::holds<T>(*it)) return field_error(source, key, "FIELD_TYPE", "has the wrong type");
  return std::optional<T>{detail::take<T>(*it)};
}

}  // namespace portal
