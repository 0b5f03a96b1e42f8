// The envelope decoder, api::decode_response (src/api/envelope.*), with no headers (the facade
// target feeds headers). Input: two bytes of HTTP status, then the body. nlohmann/json is the
// reference reader here: what it cannot parse must come back as the documented "unreadable"
// error for the status, and a plain success envelope must decode to success.
#include <nlohmann/json.hpp>

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
    FUZZ_CHECK(!e.code.empty() && !e.message.empty() && e.status == status);
    FUZZ_CHECK(e.kind == ErrorKind::Server || e.kind == ErrorKind::Protocol);
    FUZZ_CHECK(!e.retry_after.has_value() || *e.retry_after >= 0);
    if (e.code == "2000") FUZZ_CHECK(false);  // the success code never becomes an error
  }

  // Against the reference reader.
  const std::string unreadable = status >= 500 ? "CLIENT.HTTP_5XX" : status == 429 ? "RATE_LIMITED" : "CLIENT.BAD_RESPONSE";
  auto doc = nlohmann::json::parse(body.begin(), body.end(), nullptr, false);  // not const: [] on a missing key is null
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
