// The sealed-response opener, Session::open (src/channel/session.*), on a real session built from
// the golden transcript's fixed keys (tests/vectors/secure-channel-v1-transcript.json, values
// copied below). Input: mode, seals, sent seq, status, route, then the body (mode 0) or a
// plaintext the harness seals correctly under s2cKey (mode 1) and then damages one byte of
// (mode 2). Invariants: a correctly sealed response opens to exactly its plaintext; whatever else
// opens is either that plaintext or a plaintext SECURE_CHANNEL error returned unchanged; caller
// errors leave the session open, every other failure closes it.
#include <cstring>
#include <vector>

#include "channel/base64url.hpp"
#include "channel/session.hpp"
#include "common/bytes.hpp"
#include "fuzz_check.hpp"

using namespace portal;

namespace {

constexpr const char* kPublicKeyData =
    R"({"keyId":"sc-2026-11","kemId":32,"kdfId":1,"aeadId":3,"publicKey":"v0R94pK7NLt4sBQC9OHnPDKIQPvFM9AvZAixGZJkLTc","expiresAt":"2026-12-01T00:00:00Z"})";
constexpr const char* kSessionData =
    R"({"sessionId":"CY0JgbUYGQcMM6WDK2gxeA","expiresAt":"2026-11-22T12:30:00Z","fsPublicKey":"LUdD3HfLgXiTWoYZgChi_4p744s8lfMQHMPNF63Nk1A","confirm":"3K__Yo1bzQKzvphc7AYxDGTqIG1gZo44m8I9t2Wlip4"})";
constexpr const char* kClientHash = "c3f1000000000000000000000000000000000000000000000000000000000000";
constexpr const char* kHpkeEphemeralSk = "0698c3961d4ed15609fd5dca7c6ce685aa56e88d87a9f7238a6b9a8d2ade11ae";
constexpr const char* kClientFsSk = "5b063653b7c58f9b2c4117a8a6c558c336abe5c3fe49da882fc38abdd32adf46";
constexpr const char* kS2cKey = "5f163064206fd2ecbc46134f755fc07daf40dcf0880ff534dafcd67d2813c4eb";
constexpr const char* kSessionId = "CY0JgbUYGQcMM6WDK2gxeA";
// The transcript's sealed response (seq 1, HTTP 200, POST /web/v1/system/auth/login/initiate).
constexpr const char* kTranscriptPlaintext =
    R"({"success":true,"code":"2000","message":"SUCCESS","data":{"loginSessionId":"LS_001"}})";

struct Route {
  const char* method;
  const char* path;
};
constexpr Route kRoutes[] = {{"POST", "/web/v1/system/auth/login/initiate"},
                             {"GET", "/web/v1/system/account/profile"},
                             {"PUT", "/"},
                             {"post", "/web/v1/system/auth/login/initiate"},  // caller error: lower case
                             {"POST", "/web/v1/x?y"}};                        // caller error: query

Bytes hex(const char* text) {
  Bytes out;
  FUZZ_CHECK(from_hex(text, out));
  return out;
}

class FixedRandom final : public RandomSource {
 public:
  bool fill(std::uint8_t* out, std::size_t size) override {
    const Bytes value = hex(calls_++ == 0 ? kHpkeEphemeralSk : kClientFsSk);
    FUZZ_CHECK(size == value.size() && calls_ <= 2);
    std::memcpy(out, value.data(), size);
    return true;
  }

 private:
  int calls_ = 0;
};

Session new_session() {
  static const ServerKey key = [] {
    auto parsed = parse_public_key(kPublicKeyData, {});
    FUZZ_CHECK(parsed.ok());
    return parsed.value();
  }();
  FixedRandom random;
  auto pending = begin_session(key, "system", kClientHash, random);
  FUZZ_CHECK(pending.ok());
  auto session = finish_session(std::move(pending.value()), kSessionData);
  FUZZ_CHECK(session.ok() && session.value().session_id() == kSessionId);
  return std::move(session.value());
}

std::string seal_response(std::uint64_t seq, const Route& route, int status, std::string_view plaintext,
                          std::uint8_t nonce_byte) {
  const Bytes nonce(12, nonce_byte);
  const std::string aad = std::string("v1\n") + route.method + "\n" + route.path + "\n" + kSessionId + "\n" +
                          std::to_string(seq) + "\n" + std::to_string(status);
  const auto data = hpke::aead_seal(hex(kS2cKey), nonce, aad, plaintext);
  FUZZ_CHECK(data.ok());
  return "{\"seq\":" + std::to_string(seq) + ",\"nonce\":\"" + base64url_encode(nonce) + "\",\"data\":\"" +
         base64url_encode(data.value()) + "\"}";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::Reader in(data, size);
  const int mode = in.byte() % 3;
  const int seals = 1 + in.byte() % 3;
  const std::uint64_t sent_seq = in.byte() % 5;  // 0 and beyond the seals: caller errors
  const int status = in.u16() % 700;
  const Route& route = kRoutes[in.byte() % (sizeof kRoutes / sizeof kRoutes[0])];
  const std::uint8_t nonce_byte = in.byte();
  const std::uint16_t damage_at = in.u16();
  const std::uint8_t damage = in.byte();
  const std::string_view payload = in.rest();

  Session session = new_session();
  for (int i = 0; i < seals; ++i) FUZZ_CHECK(session.seal("POST", "/web/v1/system/x", "{}").ok());

  std::string body(payload);
  if (mode >= 1) {
    body = seal_response(sent_seq, route, status, payload, nonce_byte);
    if (mode == 2 && damage != 0) body[damage_at % body.size()] ^= static_cast<char>(damage);
  }
  const bool valid_call = sent_seq >= 1 && sent_seq <= static_cast<std::uint64_t>(seals) && status >= 100 &&
                          status <= 599 && route.method[0] != 'p' && std::strchr(route.path, '?') == nullptr;

  const auto opened = session.open(route.method, route.path, sent_seq, status, body);
  if (!valid_call) {
    FUZZ_CHECK(!opened.ok() && opened.error().kind == ErrorKind::Caller && session.is_open());
    return 0;
  }
  if (mode == 1) {
    FUZZ_CHECK(opened.ok() && opened.value() == payload);
  } else if (opened.ok()) {
    const std::string& text = opened.value();
    // A plaintext channel error comes back as the same JSON value (written again by dump_json).
    const bool channel_error = parse_json(text) == parse_json(body) && text.find("SECURE_CHANNEL.") != std::string::npos;
    const bool authentic = (mode == 2 && text == payload) ||
                           (text == kTranscriptPlaintext && sent_seq == 1 && status == 200 && route.path[1] == 'w' &&
                            route.method[0] == 'P');
    FUZZ_CHECK(channel_error || authentic);
  }
  if (opened.ok()) {
    FUZZ_CHECK(session.is_open());
  } else {
    FUZZ_CHECK(opened.error().kind != ErrorKind::Caller && !session.is_open());
    FUZZ_CHECK(opened.error().code.rfind("SECURE_CHANNEL.", 0) == 0);
    // A closed session refuses everything with CLOSED.
    const auto again = session.open(route.method, route.path, sent_seq, status, body);
    FUZZ_CHECK(!again.ok() && again.error().code == "SECURE_CHANNEL.CLOSED");
  }
  return 0;
}
