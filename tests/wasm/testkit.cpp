// A test-only wasm module over the same core and link flags as the shipped one: it replays the
// secure-channel golden transcript with the transcript's fixed randomness, so the browser suite
// proves the wasm build produces the same bytes as the native build. Never copied to dist/.
#include <emscripten/bind.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <sodium/crypto_stream_chacha20.h>

#include "channel/session.hpp"
#include "common/bytes.hpp"
#include "common/json.hpp"
#include "common/random.hpp"
#include "facade/text_facade.hpp"

namespace {

using nlohmann::json;

class QueuedRandom final : public portal::RandomSource {
 public:
  void push(const std::string& hex) {
    portal::Bytes bytes;
    portal::from_hex(hex, bytes);
    chunks_.push_back(std::move(bytes));
  }
  bool fill(std::uint8_t* out, std::size_t size) override {
    // A wrong draw size makes the transcript differ, which the test reports.
    if (chunks_.empty() || chunks_.front().size() != size) {
      std::memset(out, 0, size);
      return true;
    }
    std::memcpy(out, chunks_.front().data(), size);
    chunks_.pop_front();
    return true;
  }

 private:
  std::deque<portal::Bytes> chunks_;
};

std::string failure(const portal::Error& error) { return portal::error_answer(error); }

// Takes the transcript file's JSON; answers {"sessionRequestBody","requestBody","openedResponse"}.
std::string replay_transcript(const std::string& transcript_json) {
  const json t = json::parse(transcript_json, nullptr, false);
  if (t.is_discarded()) return R"({"error":{"code":"TESTKIT.BAD_JSON"}})";
  const auto& in = t["inputs"];
  QueuedRandom random;
  random.push(in["hpkeEphemeralSk"].get<std::string>());
  random.push(in["clientFsSk"].get<std::string>());

  auto key = portal::parse_public_key(t["publicKeyResponseData"].dump(), {});
  if (!key.ok()) return failure(key.error());
  auto pending = portal::begin_session(key.value(), in["portal"].get<std::string>(),
                                       in["clientHash"].get<std::string>(), random);
  if (!pending.ok()) return failure(pending.error());
  const std::string session_request = pending.value().request_body();
  auto session = portal::finish_session(std::move(pending).value(), t["sessionResponseData"].dump());
  if (!session.ok()) return failure(session.error());

  const auto& request = t["request"];
  auto sealed = session.value().seal(request["method"].get<std::string>(), request["path"].get<std::string>(),
                                     request["plaintext"].get<std::string>());
  if (!sealed.ok()) return failure(sealed.error());
  const auto& response = t["response"];
  auto opened = session.value().open(request["method"].get<std::string>(), request["path"].get<std::string>(),
                                     sealed.value().seq, response["status"].get<int>(), response["body"].dump());
  if (!opened.ok()) return failure(opened.error());
  return json{{"sessionRequestBody", session_request},
              {"requestBody", sealed.value().body},
              {"openedResponse", opened.value()}}
      .dump();
}

// The first length in 0..2048 at which ChaCha20 over the whole message differs from ChaCha20 over
// its 64-byte blocks one call each (block counter advanced by hand), or -1. A cheap regression
// check of multi-block calls in the wasm build: until issue 11 the module ran libsodium's SIMD
// four-block ChaCha20, which gave wrong output at some optimisation levels; it now runs the
// portable code, which this still checks block by block.
int chacha20_first_mismatch() {
  std::uint8_t key[crypto_stream_chacha20_ietf_KEYBYTES], nonce[crypto_stream_chacha20_ietf_NONCEBYTES] = {7};
  for (std::size_t i = 0; i < sizeof key; ++i) key[i] = static_cast<std::uint8_t>(i * 13 + 1);
  std::vector<std::uint8_t> message(2048), whole(2048), blocks(2048);
  for (std::size_t i = 0; i < message.size(); ++i) message[i] = static_cast<std::uint8_t>(i * 7);
  for (std::size_t size = 0; size <= message.size(); ++size) {
    crypto_stream_chacha20_ietf_xor_ic(whole.data(), message.data(), size, nonce, 1, key);
    for (std::size_t at = 0; at < size; at += 64)
      crypto_stream_chacha20_ietf_xor_ic(blocks.data() + at, message.data() + at, std::min<std::size_t>(64, size - at),
                                         nonce, static_cast<std::uint32_t>(1 + at / 64), key);
    if (!std::equal(whole.begin(), whole.begin() + size, blocks.begin())) return static_cast<int>(size);
  }
  return -1;
}

}  // namespace

EMSCRIPTEN_BINDINGS(portal_testkit) {
  emscripten::function("replayTranscript", &replay_transcript);
  emscripten::function("chacha20FirstMismatch", &chacha20_first_mismatch);
  // The core's JSON writer over one string (escapes compared with JSON.stringify).
  emscripten::function("dumpJson", +[](const std::string& text) { return portal::dump_json(portal::Json(text)); });
  // The core's JSON reader then writer ("" when the reader refuses the text): numbers with a
  // fraction or an exponent go through the module's strtod (src/common/js_strtod.cpp).
  emscripten::function("roundTripJson", +[](const std::string& text) {
    const portal::Json value = portal::parse_json(text);
    return value.is_discarded() ? std::string() : portal::dump_json(value);
  });
  // The module's strtod itself: [value, characters consumed].
  emscripten::function("strtod", +[](const std::string& text) {
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    return portal::dump_json(portal::Json::array({value, end - text.c_str()}));
  });
  // The shipped module's load-time self-test; a byte index < 128 corrupts one known answer.
  emscripten::function("selfTest", +[](int corrupt_byte) {
    return portal::self_test(corrupt_byte < 0 ? SIZE_MAX : static_cast<std::size_t>(corrupt_byte));
  });
}
