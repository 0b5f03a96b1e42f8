// Envelope, enum and error decoding: the one place that turns an HTTP answer into data or an
// Error (docs/api.md §2, §3, §8).
//
// decode_response(status, headers, body, now):
//   - empty body with HTTP 204, or the body {"status":204,"body":null}   → success, data = null
//   - {"success"?, "code":"2000", "message", "data"}                       → success, data
//     ("success" may be absent, as in seed 001; when present it must agree with the code)
//   - {"success":false, "code":C, "message":M, "fieldErrors"?, "data"?}   → Error{Server, C, M,
//     status, retry_after, field_errors}; retry_after (on 429 / RATE_LIMITED) comes from the
//     `retry-after` header — delta-seconds, or an IMF-fixdate measured against `now_ms` —
//     else from data.retryAfter; remaining_attempts from data.remainingAttempts and reason
//     from data.reason, on any error envelope that carries them
//   - anything else (HTML from a proxy, truncated or malformed JSON, a JSON value without a code):
//       HTTP 5xx → Server error   CLIENT.HTTP_5XX      (with the status)
//       HTTP 429 → Server error   RATE_LIMITED         (with retry_after from the header)
//       other    → Protocol error CLIENT.BAD_RESPONSE  (with the status)
//   - a success envelope with a non-2xx status → Protocol error CLIENT.BAD_RESPONSE
//
// `headers` is the JSON object the owner passes to handle_response (lower-case names); an
// unparsable or non-object value counts as "no headers".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.hpp"
#include "common/json.hpp"

namespace portal::api {

inline constexpr std::string_view kSuccessCode = "2000";

Result<Json> decode_response(int status, const Json& headers, std::string_view body, std::int64_t now_ms);
// The same for a non-empty body its caller has already parsed with parse_json().
Result<Json> decode_envelope(int status, const Json& headers, const Json& doc, std::int64_t now_ms);

// IMF-fixdate only (RFC 9110 §5.6.7): "Sun, 06 Nov 1994 08:49:37 GMT" (Retry-After, Date).
// Epoch ms or nullopt.
std::optional<std::int64_t> parse_imf_fixdate(std::string_view value);

// A Retry-After value in seconds from now: delta-seconds or an IMF-fixdate
// ("Sun, 06 Nov 1994 08:49:37 GMT"); a date in the past gives 0. nullopt when unparsable.
std::optional<std::int64_t> parse_retry_after(std::string_view value, std::int64_t now_ms);

// Error codes whose plaintext envelope is believed on an *encrypted* request: the SECURE_CHANNEL.*
// family only (secure-channel-v1 §4). The pre-route failures of docs/api.md §4 (NOT_FOUND,
// METHOD_NOT_ALLOWED, PAYLOAD_TOO_LARGE, 5000) are unauthenticated there: the client reports them
// by HTTP status (plaintext_status_error) and never with the body's code.
bool plaintext_error_allowed(std::string_view code);

// The error for a plaintext answer to an encrypted request whose body is not believed, from its
// HTTP status alone: 5xx -> CLIENT.HTTP_5XX (Server), 404 / 405 / 413 -> CLIENT.HTTP_STATUS
// (Transport); any other status -> SECURE_CHANNEL.DOWNGRADE (Protocol). `status` is set on each.
Error plaintext_status_error(int status);

// Enums travel as {code, value, label}; decode by code, keep value and label.
struct EnumValue {
  std::string code;
  std::int64_t value = 0;
  std::string label;
};
Result<EnumValue> decode_enum(const Json& value, std::string_view field_name);
Json enum_to_json(const EnumValue& value);

// The error JSON that crosses the wasm boundary:
// {"kind","code","message","status","retryAfter","fieldErrors":[{field,code,message}]}, plus
// "remainingAttempts" when the server said how many attempts are left (absent otherwise).
Json error_to_json(const Error& error);

}  // namespace portal::api
