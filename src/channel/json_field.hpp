// The one checked accessor through which the channel and identity code read JSON members.
//
// nlohmann/json is used only in non-throwing mode: parse with json::parse(text, nullptr, false)
// and test is_discarded(); read members only through json_field<T>(), which checks presence and
// type before touching the value, so no nlohmann exception can be raised.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace portal {

// Parses `text`; nullopt unless it is well-formed JSON whose top level is an object.
inline std::optional<nlohmann::json> parse_json_object(std::string_view text) {
  nlohmann::json value = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (value.is_discarded() || !value.is_object()) return std::nullopt;
  return value;
}

// Member `name` of `object` as T, or nullopt if `object` is not an object, the member is absent,
// or it has another JSON type. T is one of:
//   std::string      a JSON string
//   std::uint64_t    a non-negative JSON integer (not 1.0, not -1, not above 2^64 - 1)
//   bool             true / false
//   double           any JSON number
template <typename T>
std::optional<T> json_field(const nlohmann::json& object, std::string_view name) {
  if (!object.is_object()) return std::nullopt;
  const auto it = object.find(name);
  if (it == object.end()) return std::nullopt;
  if constexpr (std::is_same_v<T, std::string>) {
    if (it->is_string()) return it->template get_ref<const std::string&>();
  } else if constexpr (std::is_same_v<T, std::uint64_t>) {
    if (it->is_number_unsigned()) return it->template get<std::uint64_t>();
  } else if constexpr (std::is_same_v<T, bool>) {
    if (it->is_boolean()) return it->template get<bool>();
  } else if constexpr (std::is_same_v<T, double>) {
    if (it->is_number()) return it->template get<double>();
  } else {
    static_assert(sizeof(T) == 0, "json_field: unsupported type");
  }
  return std::nullopt;
}

}  // namespace portal
