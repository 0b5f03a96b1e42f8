// Argument helpers for op handlers: every read goes through field() with Source::Caller, so a
// bad argument is a Caller error CLIENT.INVALID_ARGUMENT naming the field.
#pragma once

#include <string>
#include <string_view>

#include "common/error.hpp"
#include "common/json.hpp"

namespace portal {

inline Error invalid_arg(std::string_view field, std::string message, std::string code = "FIELD_INVALID") {
  Error e = Error::make(ErrorKind::Caller, "CLIENT.INVALID_ARGUMENT", std::string(field) + ": " + message);
  e.field_errors.push_back({std::string(field), std::move(code), std::move(message)});
  return e;
}

// A required, non-empty string argument.
inline Result<std::string> text_arg(const Json& args, std::string_view name) {
  auto value = field<std::string>(args, name, Source::Caller);
  if (!value.ok()) return value;
  if (value.value().empty()) return invalid_arg(name, "must not be empty", "FIELD_REQUIRED");
  return value;
}

// An optional boolean argument (absent → false).
inline Result<bool> flag_arg(const Json& args, std::string_view name) {
  auto value = optional_field<bool>(args, name, Source::Caller);
  if (!value.ok()) return std::move(value).error();
  return value.value().value_or(false);
}

}  // namespace portal
