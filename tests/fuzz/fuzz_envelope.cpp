// The envelope decoder, api::decode_response (src/api/envelope.*), with no headers (the facade
// target feeds headers). Input: two bytes of HTTP status, then the body. nlohmann/json's own
// lenient parse is the reference reader here: what it cannot parse must come back as the
// documented "unreadable" error for the status, and a plain success envelope must decode to success.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "api/envelope.hpp"
#include "fuzz_check.hpp"

using namespace portal;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Reader in(data, size);
  const int status = 100 + in.u16() % 500;
  const std::string_view body = in.rest();

  const auto decoded = api::decode_response(status, {}, body, 0);
  const bool two_xx = status >= 200 && status <= 299;
  if (decoded.ok()) {
    FUZZ_CHECK(two_xx);
    FUZZ_CHECK(!body.empty() || status == 204);
  } else {
    const Error& e = decoded.error();
    FUZZ_CHECK(e.status == status);
    FUZZ_CHECK(e.kind == ErrorKind::Server || (!e.code.empty() && !e.message.empty()));  // a server's "" passes
    FUZZ_CHECK(e.kind == ErrorKind::Server || e.kind == ErrorKind::Protocol);
    FUZZ_CHECK(!e.retry_after.has_value() || *e.retry_after >= 0);
    if (e.code == "2000") FUZZ_CHECK(false);  // the success code never becomes an error
  }

  // Against the reference reader.
  const std::string unreadable = status >= 500 ? "CLIENT.HTTP_5XX" : status == 429 ? "RATE_LIMITED" : "CLIENT.BAD_RESPONSE";
  // Where the two readers differ by design (the core's parse_json refuses duplicate keys and
  // nesting deeper than 64, and a byte order mark; nlohmann's plain parse takes them), nothing is
  // compared.
  std::vector<std::vector<std::string>> keys;
  bool may_differ = false;
  const nlohmann::json::parser_callback_t note = [&](int depth, nlohmann::json::parse_event_t event,
                                                     nlohmann::json& value) {
    using E = nlohmann::json::parse_event_t;
    if (depth > 60) may_differ = true;
    if (event == E::object_start) keys.emplace_back();
    if (event == E::object_end && !keys.empty()) keys.pop_back();
    if (event == E::key && !keys.empty() && value.is_string()) {
      auto& seen = keys.back();
      const auto key = value.get<std::string>();
      if (std::find(seen.begin(), seen.end(), key) != seen.end()) may_differ = true;
      seen.push_back(key);
    }
    if (event == E::value && value.is_number_float() && !std::isfinite(value.get<double>())) may_differ = true;
    return true;
  };
  auto doc = nlohmann::json::parse(body.begin(), body.end(), note, false);  // not const: [] on a missing key is null
  // nlohmann also stops at a NUL byte as if the text ended there ({"a":1}\0garbage parses).
  if (may_differ || body.find('\0') != std::string_view::npos || body.rfind("\xEF\xBB\xBF", 0) == 0) return 0;
  if (body.empty()) {
    FUZZ_CHECK(status == 204 ? decoded.ok() : (!decoded.ok() && decoded.error().code == unreadable));
  } else if (doc.is_discarded() || !doc.is_object()) {
    FUZZ_CHECK(!decoded.ok() && decoded.error().code == unreadable && !decoded.error().retry_after);
  } else if (doc.size() <= 4 && doc.contains("code") && doc["code"] == "2000" &&
             (!doc.contains("success") || doc["success"] == true) && !doc.contains("status")) {
    FUZZ_CHECK(decoded.ok() == two_xx);
    if (!two_xx) FUZZ_CHECK(decoded.error().code == unreadable);
  } else if (doc.contains("code") && doc["code"].is_string() && doc["code"] != "2000" &&
             (!doc.contains("success") || doc["success"] == false) && !doc.contains("status")) {
    // A business error: the server's code, with the status it came with.
    FUZZ_CHECK(!decoded.ok() && decoded.error().kind == ErrorKind::Server &&
               decoded.error().code == doc["code"].get<std::string>());
  }
  return 0;
}
