// import_state (src/flows/client.cpp, through the facade: src/facade/text_facade.*). Input: the
// state text. Invariants: a new client exports nothing; a refused state ({"error":{…}}) changes
// nothing (the export stays empty); an accepted one exports nothing (nothing left to keep, e.g. an
// expired flow) or a state that a fresh client imports to the same export (fixed point);
// a second import into a client that now holds a session is refused with STATE_NOT_EMPTY; every
// answer and event is valid JSON.
#include <nlohmann/json.hpp>

#include "facade/text_facade.hpp"
#include "fuzz_check.hpp"

using namespace portal;
using nlohmann::json;

namespace {

class ZeroRandom final : public RandomSource {
 public:
  bool fill(std::uint8_t* out, std::size_t size) override {
    std::fill(out, out + size, 0);
    return true;
  }
};

const std::string kConfig = R"({"portal":"tenant","accessCode":"code","clientHash":")" + std::string(64, 'b') +
                            R"(","secureChannel":"off"})";
constexpr double kNow = 1'790'000'000'000;

json parsed(const std::string& text) {
  json doc = json::parse(text, nullptr, false);
  FUZZ_CHECK(!doc.is_discarded());
  return doc;
}

void drain(TextFacade& client) {
  for (int i = 0;; ++i) {
    FUZZ_CHECK(i < 4);  // at most a refresh of tokens near expiry
    const std::string request = client.poll_request();
    if (request.empty()) break;
    json r = parsed(request);
    FUZZ_CHECK(r.is_object() && r["path"].is_string());
  }
  for (int i = 0;; ++i) {
    FUZZ_CHECK(i < 16);
    const std::string event = client.poll_event();
    if (event.empty()) break;
    json e = parsed(event);
    FUZZ_CHECK(e.is_object() && e["kind"].is_string() && e["op"] == 0);  // importing ends no op
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view state(reinterpret_cast<const char*>(data), size);
  ZeroRandom random;
  TextFacade client(random);
  FUZZ_CHECK(client.init(kConfig).empty());
  FUZZ_CHECK(client.export_state().empty());
  drain(client);

  const std::string answer = client.import_state(state, kNow);
  if (!answer.empty()) {
    json a = parsed(answer);
    FUZZ_CHECK(a.is_object() && a.size() == 1 && a["error"].is_object());
    json e = a["error"];
    FUZZ_CHECK(e["code"].is_string() && e["kind"] == "caller");
    FUZZ_CHECK(client.export_state().empty());
    FUZZ_CHECK(client.poll_event().empty());
    return 0;
  }
  drain(client);
  const std::string exported = client.export_state();
  if (exported.empty()) return 0;
  json doc = parsed(exported);
  FUZZ_CHECK(doc.is_object() && doc["version"] == 1);
  // One state at a time: a session or one pre-login flow.
  int held = 0;
  for (const char* key : {"tokens", "signIn", "registration", "passwordReset"}) held += doc[key].is_null() ? 0 : 1;
  FUZZ_CHECK(held <= 1);

  ZeroRandom random2;
  TextFacade fresh(random2);
  FUZZ_CHECK(fresh.init(kConfig).empty());
  FUZZ_CHECK(fresh.import_state(exported, kNow).empty());
  FUZZ_CHECK(fresh.export_state() == exported);
  drain(fresh);

  json again = parsed(client.import_state(exported, kNow));
  FUZZ_CHECK(again.is_object() && again["error"]["code"] == "CLIENT.STATE_NOT_EMPTY");
  FUZZ_CHECK(client.export_state() == exported);
  return 0;
}
