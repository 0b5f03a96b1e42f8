#include "common/error.hpp"

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

}  // namespace portal
