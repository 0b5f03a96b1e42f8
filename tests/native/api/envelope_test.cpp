// Envelope, enum and error decoding (docs/api.md §2, §3, §8).
#include <doctest/doctest.h>

#include "api/envelope.hpp"

using namespace portal;
using namespace portal::api;

namespace {

constexpr std::int64_t kNow = 1'790'000'000'000;  // 2026-09-21T…Z

Result<Json> decode(int status, std::string_view body, const Json& headers = Json::object()) {
  return decode_response(status, headers, body, kNow);
}

}  // namespace

TEST_CASE("envelope: success forms") {
  auto full = decode(200, R"({"success":true,"code":"2000","message":"SUCCESS","data":{"a":1}})");
  REQUIRE(full.ok());
  CHECK(full.value() == Json{{"a", 1}});
  // Seed 001 omits "success".
  auto seed = decode(200, R"({"code":"2000","message":"SUCCESS","data":[1,2]})");
  REQUIRE(seed.ok());
  CHECK(seed.value() == Json::array({1, 2}));
  // No data member → null.
  CHECK(decode(200, R"({"success":true,"code":"2000","message":"SUCCESS"})").value().is_null());
  // The 204 shapes.
  auto shape = decode(200, R"({"status":204,"body":null})");
  REQUIRE(shape.ok());
  CHECK(shape.value().is_null());
  auto empty = decode(204, "");
  REQUIRE(empty.ok());
  CHECK(empty.value().is_null());
}

TEST_CASE("envelope: error envelopes carry code, localized message, status and field errors") {
  auto e = decode(400, R"({"success":false,"code":"4000","message":"Validierung","data":null,
    "fieldErrors":[{"field":"newPassword","code":"PASSWORD_TOO_SHORT","message":"zu kurz"},
                   {"field":"newPassword","code":"PASSWORD_MISSING_DIGIT","message":"Ziffer"}]})");
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().kind == ErrorKind::Server);
  CHECK(e.error().code == "4000");
  CHECK(e.error().message == "Validierung");
  CHECK(e.error().status == 400);
  CHECK_FALSE(e.error().retry_after);
  REQUIRE(e.error().field_errors.size() == 2);
  CHECK(e.error().field_errors[1].code == "PASSWORD_MISSING_DIGIT");
  CHECK(e.error().field_errors[1].field == "newPassword");

  auto mfa = decode(400, R"({"success":false,"code":"AUTH.MFA_CODE_INVALID","message":"wrong code","data":null})");
  REQUIRE_FALSE(mfa.ok());
  CHECK(mfa.error().code == "AUTH.MFA_CODE_INVALID");

  auto seed401 = decode(401, R"({"success":false,"code":"4010","message":"Invalid or expired token"})");
  REQUIRE_FALSE(seed401.ok());
  CHECK(seed401.error().code == "4010");
  CHECK(seed401.error().status == 401);
}

TEST_CASE("envelope: 429 retryAfter from Retry-After seconds, an HTTP-date, or data.retryAfter") {
  const std::string body = R"({"success":false,"code":"RATE_LIMITED","message":"slow down","data":{"retryAfter":7}})";
  auto seconds = decode(429, body, Json{{"retry-after", "30"}});
  REQUIRE_FALSE(seconds.ok());
  CHECK(seconds.error().code == "RATE_LIMITED");
  CHECK(seconds.error().status == 429);
  CHECK(seconds.error().retry_after == 30);

  // HTTP-dates are measured against `now` (784111777 s = Sun, 06 Nov 1994 08:49:37 GMT).
  const auto past = parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", kNow);
  CHECK(past == 0);
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784111777000 - 1500) == 2);
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", 784111777000) == 0);
  CHECK_FALSE(parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", kNow));
  CHECK_FALSE(parse_retry_after("soon", kNow));
  CHECK_FALSE(parse_retry_after("-5", kNow));
  CHECK(parse_retry_after(" 12 ", kNow) == 12);

  CHECK(decode_response(429, Json{{"retry-after", "Sun, 06 Nov 1994 08:49:47 GMT"}}, body, 784111777000)
            .error()
            .retry_after == 10);
  // No usable header: data.retryAfter.
  auto from_data = decode(429, body, Json{{"retry-after", "garbage"}});
  CHECK(from_data.error().retry_after == 7);
  auto no_headers = decode_response(429, parse_json("not json"), body, kNow);
  CHECK(no_headers.error().retry_after == 7);
  // A gateway's plain-text 429.
  auto plain = decode(429, "Too Many Requests", Json{{"retry-after", "5"}});
  REQUIRE_FALSE(plain.ok());
  CHECK(plain.error().code == "RATE_LIMITED");
  CHECK(plain.error().kind == ErrorKind::Server);
  CHECK(plain.error().retry_after == 5);
}

TEST_CASE("Retry-After: an IMF-fixdate needs a day name and a real calendar date") {
  // Found by tests/fuzz/fuzz_dates: "31 Feb" was read as 3 March, and any three letters passed as
  // the day name.
  const std::int64_t now = 784111777000 - 10'000;  // 10 s before Sun, 06 Nov 1994 08:49:37 GMT
  CHECK(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now) == 10);
  CHECK(parse_retry_after("Wed, 29 Feb 2012 00:00:00 GMT", now) == 546'361'833);  // a leap day
  for (const char* bad : {"Sat, 31 Feb 1996 08:49:37 GMT", "Tue, 29 Feb 1900 08:49:37 GMT", "Thu, 31 Apr 2026 08:49:37 GMT",
                          "Xyz, 06 Nov 1994 08:49:37 GMT", "sun, 06 Nov 1994 08:49:37 GMT"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_retry_after(bad, now));
  }
}

TEST_CASE("envelope: malformed, truncated, HTML and contradictory answers give clear errors with the status") {
  struct Case {
    int status;
    const char* body;
    const char* code;
    ErrorKind kind;
  };
  const Case cases[] = {
      {502, "<html><body>Bad Gateway</body></html>", "CLIENT.HTTP_5XX", ErrorKind::Server},
      {500, "", "CLIENT.HTTP_5XX", ErrorKind::Server},
      {503, R"({"success":tr)", "CLIENT.HTTP_5XX", ErrorKind::Server},
      {200, R"({"success":true,"code":"2000","data":{"a":)", "CLIENT.BAD_RESPONSE", ErrorKind::Protocol},
      {200, "", "CLIENT.BAD_RESPONSE", ErrorKind::Protocol},
      {200, "null", "CLIENT.BAD_RESPONSE", ErrorKind::Protocol},
      {200, "[1,2]", "CLIENT.BAD_RESPONSE", ErrorKind::Protocol},
      {200, R"({"data":1})", "CLIENT.BAD_RESPONSE", ErrorKind::Protocol},
      {200, R"({"code":2000,"data":1})", "CLIENT.BAD_RESPONSE", ErrorKind::Protocol},
      {200, R"({"success":false,"code":"2000"})", "CLIENT.BAD_RESPONSE", ErrorKind::Protocol},
      {200, R"({"success":true,"code":"4000"})", "CLIENT.BAD_RESPONSE", ErrorKind::Protocol},
      {200, R"({"success":"yes","code":"2000"})", "CLIENT.BAD_RESPONSE", ErrorKind::Protocol},
      {500, R"({"success":true,"code":"2000","data":1})", "CLIENT.HTTP_5XX", ErrorKind::Server},
      {404, R"({"success":true,"code":"2000","data":1})", "CLIENT.BAD_RESPONSE", ErrorKind::Protocol},
      {500, R"({"status":204,"body":null})", "CLIENT.HTTP_5XX", ErrorKind::Server},
      {200, "\xff\xfe garbage", "CLIENT.BAD_RESPONSE", ErrorKind::Protocol},
  };
  for (const Case& c : cases) {
    CAPTURE(c.body);
    CAPTURE(c.status);
    auto r = decode(c.status, c.body);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == c.code);
    CHECK(r.error().kind == c.kind);
    CHECK(r.error().status == c.status);
    CHECK_FALSE(r.error().message.empty());
  }
  // The server's own 5000 envelope stays the server's error.
  auto server = decode(500, R"({"success":false,"code":"5000","message":"Internal error","data":null})");
  CHECK(server.error().code == "5000");
  CHECK(server.error().kind == ErrorKind::Server);
}

TEST_CASE("envelope: only SECURE_CHANNEL.* errors are believed in plaintext for encrypted requests") {
  for (const char* code : {"SECURE_CHANNEL.SESSION_INVALID", "SECURE_CHANNEL.REPLAY"})
    CHECK(plaintext_error_allowed(code));
  for (const char* code : {"2000", "4010", "4000", "RATE_LIMITED", "AUTH.MFA_CODE_INVALID", "SECURE_CHANNELX", "NOT_FOUND",
                           "METHOD_NOT_ALLOWED", "PAYLOAD_TOO_LARGE", "5000", "CLIENT.HTTP_5XX", "CLIENT.ABORTED"})
    CHECK_FALSE(plaintext_error_allowed(code));
  CHECK(plaintext_status_error(502).code == "CLIENT.HTTP_5XX");
  CHECK(plaintext_status_error(404).code == "CLIENT.HTTP_STATUS");
  CHECK(plaintext_status_error(404).kind == ErrorKind::Transport);
  CHECK(plaintext_status_error(200).code == "SECURE_CHANNEL.DOWNGRADE");
  CHECK(plaintext_status_error(429).code == "SECURE_CHANNEL.DOWNGRADE");
}

TEST_CASE("enums decode by code and keep value and label") {
  auto e = decode_enum(Json::parse(R"({"code":"ACTIVE","value":10010202,"label":"Aktiv"})"), "accountStatus");
  REQUIRE(e.ok());
  CHECK(e.value().code == "ACTIVE");
  CHECK(e.value().value == 10010202);
  CHECK(e.value().label == "Aktiv");
  CHECK(enum_to_json(e.value()) == Json::parse(R"({"code":"ACTIVE","value":10010202,"label":"Aktiv"})"));
  auto code_only = decode_enum(Json::parse(R"({"code":"X"})"), "f");
  REQUIRE(code_only.ok());
  CHECK(code_only.value().value == 0);
  for (const char* bad : {R"("ACTIVE")", R"({"value":1})", R"({"code":5})", "null"}) {
    CAPTURE(bad);
    auto r = decode_enum(Json::parse(bad), "accountStatus");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "CLIENT.BAD_RESPONSE");
    CHECK(r.error().message.find("accountStatus") != std::string::npos);
  }
}

TEST_CASE("error JSON for the wasm boundary") {
  Error e = Error::make(ErrorKind::Server, "RATE_LIMITED", "slow");
  e.status = 429;
  e.retry_after = 30;
  e.field_errors.push_back({"email", "X", "y"});
  CHECK(error_to_json(e) == Json::parse(R"({"kind":"server","code":"RATE_LIMITED","message":"slow","status":429,
      "retryAfter":30,"fieldErrors":[{"field":"email","code":"X","message":"y"}]})"));
  CHECK(error_to_json(Error::make(ErrorKind::Order, "C", "m"))["retryAfter"].is_null());
}
