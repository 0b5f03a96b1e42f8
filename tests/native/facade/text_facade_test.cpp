// TextFacade: the text the wasm boundary carries (src/facade/text_facade.hpp).
#include <doctest/doctest.h>

#include <algorithm>
#include <limits>
#include <string>

#include "common/json.hpp"
#include "facade/text_facade.hpp"
#include "common/random.hpp"

using namespace portal;

namespace {

class ZeroRandom final : public RandomSource {  // no request here is sealed
 public:
  bool fill(std::uint8_t* out, std::size_t size) override {
    std::fill(out, out + size, 0);
    return true;
  }
};

const std::string kConfig =
    R"({"portal":"system","accessCode":"dev-system-code","clientHash":")" + std::string(64, 'a') +
    R"(","secureChannel":"off"})";

}  // namespace

TEST_CASE("init: a bad config answers a caller error; a good one answers nothing") {
  ZeroRandom random;
  TextFacade client(random);
  const Json bad = Json::parse(client.init(R"({"portal":"system"})"));
  REQUIRE(bad.is_object());
  REQUIRE(bad.size() == 1);
  CHECK(bad["error"]["code"] == "CLIENT.INVALID_ARGUMENT");
  CHECK(bad["error"]["kind"] == "caller");
  CHECK(client.init("not json") != "");
  CHECK(client.init(kConfig) == "");
}

TEST_CASE("start, then the request's head without its body, then the body once") {
  ZeroRandom random;
  TextFacade client(random);
  REQUIRE(client.init(kConfig) == "");
  const Json started = Json::parse(client.start("forgotPassword", R"({"email":"a@example.com"})", 1000));
  REQUIRE(started.contains("op"));

  const Json head = Json::parse(client.poll_request());
  CHECK(head["method"] == "POST");
  CHECK(head["path"] == "/web/v1/system/auth/password/forgot");
  CHECK_FALSE(head.contains("body"));
  const Json body = Json::parse(client.take_request_body());
  CHECK(body["email"] == "a@example.com");
  CHECK(client.take_request_body() == "");
  CHECK(client.poll_request() == "");
}

TEST_CASE("an unknown operation answers {error}; after dispose every call answers CLIENT.DISPOSED or nothing") {
  ZeroRandom random;
  TextFacade client(random);
  REQUIRE(client.init(kConfig) == "");
  CHECK(Json::parse(client.start("noSuchOp", "{}", 0))["error"]["code"] == "CLIENT.UNKNOWN_OPERATION");

  client.dispose();
  CHECK(Json::parse(client.start("getProfile", "{}", 0))["error"]["code"] == "CLIENT.DISPOSED");
  CHECK(Json::parse(client.import_state("{}", 0))["error"]["code"] == "CLIENT.DISPOSED");
  CHECK(client.poll_request() == "");
  CHECK(client.poll_event() == "");
  CHECK(client.poll_timeout() == -1);
  CHECK(client.export_state() == "");
  CHECK_FALSE(client.confirm_send(1, 0));
}

TEST_CASE("config: persist is memory by default, or session / local; anything else is refused") {
  auto with = [](const std::string& extra) {
    return parse_client_config(kConfig.substr(0, kConfig.size() - 1) + extra + "}");
  };
  REQUIRE(with("").ok());
  CHECK(with("").value().persist == ClientConfig::Persist::Memory);
  CHECK(with(R"(,"persist":"session")").value().persist == ClientConfig::Persist::Session);
  CHECK(with(R"(,"persist":"local")").value().persist == ClientConfig::Persist::Local);
  CHECK_FALSE(with(R"(,"persist":"disk")").ok());
  CHECK_FALSE(with(R"(,"persist":1)").ok());
}

TEST_CASE("self_test: passes with the known answers and fails when any one of them is corrupted") {
  CHECK(self_test());
  // One byte in each known answer (X25519 §5.2, X25519 §6.1, ChaCha20-Poly1305 1200 bytes, HMAC),
  // at its first and last byte.
  for (std::size_t byte : {0u, 31u, 32u, 63u, 64u, 95u, 96u, 127u}) {
    CAPTURE(byte);
    CHECK_FALSE(self_test(byte));
  }
  CHECK(self_test(128));  // beyond the answers: nothing corrupted
}

TEST_CASE("ids and times that are not integers below 2^53 are refused as CLIENT.INVALID_ARGUMENT") {
  ZeroRandom random;
  TextFacade client(random);
  REQUIRE(client.init(kConfig) == "");
  const double bad[] = {1e300, -1e300, 1.5, -0.5, 9007199254740993.0 * 2, std::numeric_limits<double>::infinity(),
                        -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN()};
  const auto invalid = [](const std::string& text) {
    CAPTURE(text);
    if (text.empty()) return false;
    // The one failure shape of the boundary: {"error":{…}} and nothing beside it.
    const Json doc = Json::parse(text);
    if (!doc.is_object() || doc.size() != 1 || !doc.contains("error")) return false;
    const Json& error = doc["error"];
    return error["code"] == "CLIENT.INVALID_ARGUMENT" && error["kind"] == "caller";
  };
  for (const double value : bad) {
    CAPTURE(value);
    CHECK(invalid(client.start("forgotPassword", R"({"email":"a@example.com"})", value)));
    CHECK(invalid(client.handle_response(value, 200, "{}", "{}", 1000)));
    CHECK(invalid(client.handle_response(1, 200, "{}", "{}", value)));
    CHECK(invalid(client.handle_transport_error(value, "x", 1000)));
    CHECK(invalid(client.handle_transport_error(1, "x", value)));
    CHECK(invalid(client.handle_timeout(value)));
    CHECK(invalid(client.cancel(value, 1000)));
    CHECK(invalid(client.cancel(1, value)));
    CHECK_FALSE(client.confirm_send(value, 1000));
    CHECK_FALSE(client.confirm_send(1, value));
    CHECK(invalid(client.handle_peer_tokens("{}", value)));
    CHECK(invalid(client.handle_peer_signed_out(value)));
    CHECK(invalid(client.handle_peer_hello(value)));
    CHECK(invalid(client.import_state("{}", value)));
  }
  // Negative times are integers like any other; ids are never negative.
  CHECK(invalid(client.cancel(-1, 1000)));
  CHECK(client.handle_timeout(-5) == "");
  CHECK(client.handle_timeout(9007199254740991.0) == "");
  const Json started = Json::parse(client.start("forgotPassword", R"({"email":"a@example.com"})", 1000));
  CHECK(started.contains("op"));
}
