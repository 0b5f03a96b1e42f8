// Argument helpers for op handlers: every read goes through field() with Source::Caller, so a
// bad argument is a Caller error CLIENT.INVALID_ARGUMENT naming the field.
#pragma once

#include <string>
#include <string_view>

#include "common/error.hpp"
#include "common/error_codes.hpp"
#include "common/json.hpp"

namespace portal {

inline Error invalid_arg(std::string_view field, std::string message, std::string code = "FIELD_INVALID") {
  Error e = Error::of(codes::kClientInvalidArgument, std::string(field) + ": " + message);
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

// A required email address. Only its shape is checked — one '@' with text on both sides, a dot
// in the domain, no white space — so a typo is answered at once (EMAIL_INVALID) instead of by
// the server; whether the account exists is the server's business.
inline Result<std::string> email_arg(const Json& args, std::string_view name) {
  auto value = text_arg(args, name);
  if (!value.ok()) return value;
  const std::string& text = value.value();
  const auto at = text.find('@');
  const bool shaped = at != std::string::npos && at > 0 && text.find('@', at + 1) == std::string::npos &&
                      text.find_first_of(" \t\r\n") == std::string::npos &&
                      text.find('.', at + 2) != std::string::npos && text.back() != '.';
  if (!shaped) return invalid_arg(name, "is not an email address", "EMAIL_INVALID");
  return value;
}

// An optional boolean argument (absent → false).
inline Result<bool> flag_arg(const Json& args, std::string_view name) {
  auto value = optional_field<bool>(args, name, Source::Caller);
  if (!value.ok()) return std::move(value).error();
  return value.value().value_or(false);
}

}  // namespace portal
