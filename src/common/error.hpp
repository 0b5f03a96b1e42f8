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
//   remaining_attempts — failed attempts left before the server pauses them (data.remainingAttempts
//                 of an error envelope, e.g. AUTH.INVALID_CREDENTIALS), when the server says so;
//   reason      — the server's machine-readable detail of an error (data.reason), e.g.
//                 "SESSION_TERMINATED" on AUTH.REFRESH_TOKEN_INVALID; empty when absent;
//   field_errors— per-field validation failures from a 4000 answer.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <new>
#include <optional>
#include <string>
#include <utility>
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
  std::optional<std::int64_t> remaining_attempts;
  std::string reason;
  std::vector<FieldError> field_errors;

  // An error with one of the catalogue's codes (common/error_codes.hpp), of the kind the catalogue
  // gives it: the one place a code's kind is decided.
  static Error of(const char* code, std::string message);
  // An error of a kind its raiser decides: a server's code, or a code the catalogue does not know.
  static Error make(ErrorKind kind, std::string code, std::string message) {
    Error e;
    e.kind = kind;
    e.code = std::move(code);
    e.message = std::move(message);
    return e;
  }
};

// Either a value or an Error. Check `ok()` before `value()`; `[[nodiscard]]` keeps callers honest.
// Reading the side that is not there stops the program (as std::get on a variant would, with
// exceptions off). A tagged union rather than std::variant: the variant's visitation tables were
// 4 % of the module's code for this one two-way choice.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : ok_(true) { new (&value_) T(std::move(value)); }             // NOLINT: implicit by design
  Result(Error error) : ok_(false) { new (&error_) Error(std::move(error)); }    // NOLINT: implicit by design
  Result(const Result& other) : ok_(other.ok_) {
    if (ok_) new (&value_) T(other.value_);
    else new (&error_) Error(other.error_);
  }
  Result(Result&& other) noexcept : ok_(other.ok_) {
    if (ok_) new (&value_) T(std::move(other.value_));
    else new (&error_) Error(std::move(other.error_));
  }
  Result& operator=(Result other) noexcept {  // by value: `other` is never *this
    destroy();
    ok_ = other.ok_;
    if (ok_) new (&value_) T(std::move(other.value_));
    else new (&error_) Error(std::move(other.error_));
    return *this;
  }
  ~Result() { destroy(); }

  bool ok() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  T& value() & { return check(ok_), value_; }
  const T& value() const& { return check(ok_), value_; }
  T&& value() && { return check(ok_), std::move(value_); }
  const Error& error() const& { return check(!ok_), error_; }
  Error&& error() && { return check(!ok_), std::move(error_); }

 private:
  static void check(bool present) {
    if (!present) std::abort();
  }
  void destroy() noexcept {
    if (ok_) value_.~T();
    else error_.~Error();
  }

  union {
    T value_;
    Error error_;
  };
  bool ok_;
};

// For operations that produce nothing but may fail.
struct Unit {};
using Status = Result<Unit>;
inline Status ok_status() { return Unit{}; }

}  // namespace portal
