#include "api/envelope.hpp"
#include "common/error_codes.hpp"

#include <array>

#include "common/civil_time.hpp"

namespace portal::api {

// IMF-fixdate only (RFC 9110 §5.6.7): "Sun, 06 Nov 1994 08:49:37 GMT". Epoch ms or nullopt.
// The day name must be one of the seven (not checked against the date), the date a real one.
std::optional<std::int64_t> parse_imf_fixdate(std::string_view s) {
  if (s.size() != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
      s[19] != ':' || s[22] != ':' || s.substr(25) != " GMT")
    return std::nullopt;
  static constexpr std::array<std::string_view, 7> kDays{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  bool day_name = false;
  for (const std::string_view name : kDays) day_name = day_name || s.substr(0, 3) == name;
  if (!day_name) return std::nullopt;
  static constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int month = 0;
  for (std::size_t i = 0; i < kMonths.size(); ++i)
    if (s.substr(8, 3) == kMonths[i]) month = static_cast<int>(i) + 1;
  const std::int64_t d = read_decimal(s, 5, 2), year = read_decimal(s, 12, 4), h = read_decimal(s, 17, 2),
                     mi = read_decimal(s, 20, 2), se = read_decimal(s, 23, 2);
  if (month == 0 || year < 0 || d < 1 || d > days_in_month(year, month) || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 60)
    return std::nullopt;
  const std::int64_t days = days_from_civil(year, month, d);
  return ((days * 24 + h) * 60 + mi) * 60'000 + se * 1000;
}

namespace {

std::string header(const Json& headers, std::string_view name) {
  if (!headers.is_object()) return {};
  const auto it = headers.find(name);
  if (it == headers.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

std::optional<std::int64_t> retry_after_of(const Json& headers, const Json& envelope, std::int64_t now_ms) {
  if (auto from_header = parse_retry_after(header(headers, "retry-after"), now_ms)) return from_header;
  if (envelope.is_object()) {
    const auto data = envelope.find("data");
    if (data != envelope.end() && data->is_object()) {
      auto v = optional_field<std::int64_t>(*data, "retryAfter");
      if (v.ok() && v.value() && *v.value() >= 0) return *v.value();
    }
  }
  return std::nullopt;
}

// A body that is not an envelope at all.
Error unreadable(int status, const Json& headers, std::int64_t now_ms, std::string_view why) {
  if (status >= 500) {
    Error e = Error::of(codes::kClientHttp5xx, "the server failed (HTTP " + std::to_string(status) + ") and sent no readable answer");
    e.status = status;
    return e;
  }
  if (status == 429) {
    Error e = Error::make(ErrorKind::Server, "RATE_LIMITED", "too many requests; try again later");
    e.status = status;
    e.retry_after = retry_after_of(headers, Json(), now_ms);
    return e;
  }
  Error e = Error::of(codes::kClientBadResponse, "unreadable server answer (HTTP " + std::to_string(status) + "): " + std::string(why));
  e.status = status;
  return e;
}

// data.remainingAttempts (a count ≥ 0) and data.reason (a string) of an error envelope.
void details_of(const Json& envelope, Error& e) {
  const auto data = envelope.find("data");
  if (data == envelope.end() || !data->is_object()) return;
  if (auto n = optional_field<std::int64_t>(*data, "remainingAttempts"); n.ok() && n.value() && *n.value() >= 0)
    e.remaining_attempts = *n.value();
  if (auto r = optional_field<std::string>(*data, "reason"); r.ok() && r.value()) e.reason = *r.value();
}

std::vector<FieldError> field_errors_of(const Json& envelope) {
  std::vector<FieldError> out;
  const auto it = envelope.find("fieldErrors");
  if (it == envelope.end() || !it->is_array()) return out;
  for (const Json& item : *it) {
    FieldError fe;
    if (auto f = field<std::string>(item, "field"); f.ok()) fe.field = std::move(f).value();
    if (auto c = field<std::string>(item, "code"); c.ok()) fe.code = std::move(c).value();
    if (auto m = field<std::string>(item, "message"); m.ok()) fe.message = std::move(m).value();
    if (!fe.field.empty() || !fe.code.empty()) out.push_back(std::move(fe));
  }
  return out;
}

}  // namespace

std::optional<std::int64_t> parse_retry_after(std::string_view value, std::int64_t now_ms) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  // Delta-seconds; more than 10 digits is absurd (and is no date either).
  if (!value.empty() && value.size() <= 10)
    if (const std::int64_t seconds = read_decimal(value, 0, value.size()); seconds >= 0) return seconds;
  const auto at = parse_imf_fixdate(value);
  if (!at) return std::nullopt;
  if (*at <= now_ms) return 0;
  return (*at - now_ms + 999) / 1000;
}

bool plaintext_error_allowed(std::string_view code) { return code.rfind("SECURE_CHANNEL.", 0) == 0; }

Error plaintext_status_error(int status) {
  Error e;
  if (status >= 500 && status <= 599)
    e = Error::of(codes::kClientHttp5xx, "the server failed (HTTP " + std::to_string(status) + "); its plaintext answer was ignored");
  else if (status == 404 || status == 405 || status == 413)
    e = Error::of(codes::kClientHttpStatus, "HTTP " + std::to_string(status) + " to an encrypted request; its plaintext answer was ignored");
  else
    e = Error::of(codes::kSecureChannelDowngrade, "the server answered an encrypted request in plaintext");
  e.status = status;
  return e;
}

Result<Json> decode_response(int status, const Json& headers, std::string_view body, std::int64_t now_ms) {
  if (body.empty()) {
    if (status == 204) return Json();
    return unreadable(status, headers, now_ms, "empty body");
  }
  return decode_envelope(status, headers, parse_json(body), now_ms);
}

Result<Json> decode_envelope(int status, const Json& headers, const Json& doc, std::int64_t now_ms) {
  if (doc.is_discarded()) return unreadable(status, headers, now_ms, "not JSON (malformed or truncated)");
  if (!doc.is_object()) return unreadable(status, headers, now_ms, "not a JSON object");

  // The seed's 204 shape.
  if (doc.size() == 2 && doc.contains("status") && doc.contains("body")) {
    const auto s = field<std::int64_t>(doc, "status");
    if (s.ok() && s.value() == 204 && doc.find("body")->is_null()) {
      if (status < 200 || status > 299) return unreadable(status, headers, now_ms, "204 body with an error status");
      return Json();
    }
  }

  auto code = field<std::string>(doc, "code");
  if (!code.ok()) return unreadable(status, headers, now_ms, "no envelope code");
  auto success = optional_field<bool>(doc, "success");
  if (!success.ok()) return unreadable(status, headers, now_ms, "'success' is not a boolean");
  const bool is_success = code.value() == kSuccessCode;
  if (success.value() && *success.value() != is_success)
    return unreadable(status, headers, now_ms, "'success' contradicts the code");

  if (is_success) {
    if (status < 200 || status > 299) return unreadable(status, headers, now_ms, "success envelope with an error status");
    const auto data = doc.find("data");
    return data == doc.end() ? Json() : *data;
  }

  Error e;
  e.kind = ErrorKind::Server;
  e.code = std::move(code).value();
  if (auto message = optional_field<std::string>(doc, "message"); message.ok() && message.value())
    e.message = *message.value();
  if (e.message.empty()) e.message = e.code;
  e.status = status;
  e.field_errors = field_errors_of(doc);
  details_of(doc, e);
  if (status == 429 || e.code == "RATE_LIMITED") e.retry_after = retry_after_of(headers, doc, now_ms);
  return e;
}

Result<EnumValue> decode_enum(const Json& value, std::string_view field_name) {
  if (!value.is_object()) return field_error(Source::Peer, field_name, "FIELD_TYPE", "is not an enum object");
  auto code = field<std::string>(value, "code");
  if (!code.ok()) return field_error(Source::Peer, std::string(field_name) + ".code", "FIELD_REQUIRED", "is required");
  EnumValue out;
  out.code = std::move(code).value();
  if (auto v = optional_field<std::int64_t>(value, "value"); v.ok() && v.value()) out.value = *v.value();
  if (auto l = optional_field<std::string>(value, "label"); l.ok() && l.value()) out.label = *l.value();
  return out;
}

Json enum_to_json(const EnumValue& value) {
  return Json{{"code", value.code}, {"value", value.value}, {"label", value.label}};
}

Json error_to_json(const Error& error) {
  Json out = Json::object();
  out["kind"] = to_string(error.kind);
  out["code"] = error.code;
  out["message"] = error.message;
  out["status"] = error.status;
  out["retryAfter"] = error.retry_after ? Json(*error.retry_after) : Json();
  if (error.remaining_attempts) out["remainingAttempts"] = *error.remaining_attempts;
  Json fields = Json::array();
  for (const FieldError& fe : error.field_errors)
    fields.push_back(Json{{"field", fe.field}, {"code", fe.code}, {"message", fe.message}});
  out["fieldErrors"] = std::move(fields);
  return out;
}

}  // namespace portal::api
