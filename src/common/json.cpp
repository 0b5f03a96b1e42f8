#include "common/json.hpp"

namespace portal {

Error field_error(Source source, std::string_view name, std::string_view code, std::string_view problem) {
  const std::string text = "field '" + std::string(name) + "' " + std::string(problem);
  if (source == Source::Caller) {
    Error e = Error::make(ErrorKind::Caller, "CLIENT.INVALID_ARGUMENT", text);
    e.field_errors.push_back({std::string(name), std::string(code), text});
    return e;
  }
  return Error::make(ErrorKind::Protocol, "CLIENT.BAD_RESPONSE", "server answer: " + text);
}

}  // namespace portal
