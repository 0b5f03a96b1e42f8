#include "common/error.hpp"

#include "common/error_codes.hpp"

namespace portal {

const char* to_string(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::Caller: return "caller";
    case ErrorKind::Order: return "order";
    case ErrorKind::Protocol: return "protocol";
    case ErrorKind::Auth: return "auth";
    case ErrorKind::Server: return "server";
    case ErrorKind::Transport: return "transport";
  }
  return "unknown";
}

Error Error::of(const char* code, std::string message) {
  const codes::CodeSpec* spec = codes::find_code(code);
  return make(spec ? spec->kind : ErrorKind::Protocol, code, std::move(message));
}

}  // namespace portal
