// Errors as values.
//
// Nothing in the core throws across its interface: every fallible call returns `Result<T>`, and an
// `Error` carries what a caller (and, through the wasm boundary, a JS `PortalError`) needs:
//   kind        — whose fault, a small closed set (see ErrorKind);
//   code        — a stable string: the server's code ("4010", "AUTH.MFA_CODE_INVALID",
//                 "SECURE_CHANNEL.REPLAY") or one of the client's own ("CLIENT.INVALID_ARGUMENT"…);
//   message     — human text (the server's localized message where there is one);
//   status      — HTTP status where a response was involved, else 0;
//   retry_after — seconds, from `Retry-After` on HTTP 429;
//   field_errors— per-field validation failures from a 4000 answer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace portal {

enum class ErrorKind {
  Caller,     // bad arguments from our caller (the JS API turns these into TypeError)
  Order,      // a call made in the wrong state
  Protocol,   // the peer broke the protocol: malformed, unexpected or downgraded answer
  Auth,       // a MAC or AEAD tag did not verify; a confirm value did not match
  Server,     // the server answered with a business or channel error envelope
  Transport,  // the request did not complete (network failure, abort, timeout)
};

const char* to_string(ErrorKind kind) noexcept;

struct FieldError {
  std::string field;
  std::string code;
  std::string message;
};

struct Error {
  ErrorKind kind = ErrorKind::Protocol;
  std::string code;
  std::string message;
  int status = 0;
  std::optional<std::int64_t> retry_after;
  std::vector<FieldError> field_errors;

  static Error make(ErrorKind kind, std::string code, std::string message) {
    Error e;
    e.kind = kind;
    e.code = std::move(code);
    e.message = std::move(message);
    return e;
  }
};

// Either a value or an Error. Check `ok()` before `value()`; `[[nodiscard]]` keeps callers honest.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}             // NOLINT: implicit by design
  Result(Error error) : data_(std::move(error)) {}         // NOLINT: implicit by design

  bool ok() const noexcept { return data_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }
  T& value() & { return std::get<0>(data_); }
  const T& value() const& { return std::get<0>(data_); }
  T&& value() && { return std::get<0>(std::move(data_)); }
  const Error& error() const& { return std::get<1>(data_); }
  Error&& error() && { return std::get<1>(std::move(data_)); }

 private:
  std::variant<T, Error> data_;
};

// For operations that produce nothing but may fail.
struct Unit {};
using Status = Result<Unit>;
inline Status ok_status() { return Unit{}; }

}  // namespace portal
