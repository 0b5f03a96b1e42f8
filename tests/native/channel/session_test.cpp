// The secure channel's client side against the golden transcript
// (tests/vectors/secure-channel-v1-transcript.json), byte for byte, and every negative path.
// Randomness order (begin_session): HPKE ephemeral secret first, then the client FS secret.
#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <vector>

#include "channel/base64url.hpp"
#include "channel/errors.hpp"
#include "channel/hkdf.hpp"
#include "channel/session.hpp"
#include "support/vectors.hpp"

namespace portal {
// Declared a friend by Session: lets the test reach the sequence limit without 2^53 calls.
struct SessionTestAccess {
  static void set_next_seq(Session& session, std::uint64_t seq) { session.next_seq_ = seq; }
  static void set_aead(Session& session, Session::Aead seal, Session::Aead open) {
    session.seal_ = seal;
    session.open_ = open;
  }
};
}  // namespace portal

using namespace portal;
using portal::test::hex;

namespace {

const nlohmann::json& transcript() {
  static const nlohmann::json t = test::load_vector("secure-channel-v1-transcript.json");
  return t;
}
std::string tx(const char* section, const char* name) { return transcript()[section][name].get<std::string>(); }

hpke::Key key_from_hex(const std::string& text) {
  const Bytes bytes = hex(text);
  REQUIRE(bytes.size() == 32);
  hpke::Key key;
  std::copy(bytes.begin(), bytes.end(), key.data());
  return key;
}

std::string public_key_data() { return transcript()["publicKeyResponseData"].dump(); }

ServerKey server_key() {
  auto key = parse_public_key(public_key_data(), {});
  REQUIRE(key.ok());
  return key.value();
}

Result<PendingSession> begin(test::FixedRandom* out_random = nullptr) {
  test::FixedRandom random;
  random.push(hex(tx("inputs", "hpkeEphemeralSk")));
  random.push(hex(tx("inputs", "clientFsSk")));
  auto pending = begin_session(server_key(), tx("inputs", "portal"), tx("inputs", "clientHash"), random);
  CHECK(random.exhausted());
  if (out_random) *out_random = random;
  return pending;
}

// The transcript's session response data with one member replaced (or removed, when value is null).
std::string session_data(const std::string& member = "", const nlohmann::json& value = nullptr) {
  nlohmann::json data = transcript()["sessionResponseData"];
  if (!member.empty()) {
    if (value.is_null()) data.erase(member);
    else data[member] = value;
  }
  return data.dump();
}

Result<Session> finish(const std::string& data) {
  auto pending = begin();
  REQUIRE(pending.ok());
  return finish_session(std::move(pending.value()), data);
}

Session transcript_session() {
  auto session = finish(session_data());
  REQUIRE(session.ok());
  return std::move(session.value());
}

const std::string kMethod = "POST";
const std::string kPath = "/web/v1/system/auth/login/initiate";

// What the server would send: the envelope sealed under s2cKey with the spec's response AAD.
std::string server_response(std::uint64_t seq, const std::string& method, const std::string& path, int status,
                            const std::string& plaintext, const Bytes& nonce) {
  const std::string aad = "v1\n" + method + "\n" + path + "\n" + tx("inputs", "sessionId") + "\n" +
                          std::to_string(seq) + "\n" + std::to_string(status);
  const auto data = hpke::aead_seal(hex(tx("derived", "s2cKey")), nonce, aad, plaintext);
  REQUIRE(data.ok());
  return "{\"seq\":" + std::to_string(seq) + ",\"nonce\":\"" + base64url_encode(nonce) + "\",\"data\":\"" +
         base64url_encode(data.value()) + "\"}";
}

std::string transcript_response_body() {
  const auto& body = transcript()["response"]["body"];
  return "{\"seq\":" + std::to_string(body["seq"].get<int>()) + ",\"nonce\":\"" + body["nonce"].get<std::string>() +
         "\",\"data\":\"" + body["data"].get<std::string>() + "\"}";
}

void check_error(const Error& error, ErrorKind kind, const std::string& code) {
  CHECK(error.kind == kind);
  CHECK(error.code == code);
}

// Calls `visit(text)` with `b64` re-encoded after flipping each bit of each decoded byte.
void for_each_bit_flip(const std::string& b64, const std::function<void(const std::string&)>& visit) {
  const auto decoded = base64url_decode(b64);
  REQUIRE(decoded);
  for (std::size_t i = 0; i < decoded->size(); ++i)
    for (int bit = 0; bit < 8; ++bit) {
      Bytes flipped = *decoded;
      flipped[i] ^= static_cast<std::uint8_t>(1 << bit);
      CAPTURE(i);
      CAPTURE(bit);
      visit(base64url_encode(flipped));
    }
}

}  // namespace

TEST_CASE("transcript: public key, HPKE setup and derived secrets from our primitives") {
  const ServerKey key = server_key();
  CHECK(key.key_id == tx("inputs", "keyId"));
  CHECK(to_hex(key.public_key.data(), 32) == tx("inputs", "serverStaticPk"));
  CHECK(key.expires_at == "2026-12-01T00:00:00Z");
  CHECK(key.expires_at_ms == 1796083200000);

  std::string info(kChannelInfoLabel);
  info.append(1, '\0').append("system").append(1, '\0').append("sc-2026-11");
  CHECK(to_hex(to_bytes(info)) == tx("hpke", "info"));
  const auto ephemeral = hpke::key_pair_from_secret(key_from_hex(tx("inputs", "hpkeEphemeralSk")));
  auto setup = hpke::setup_base_s(key.public_key, info, ephemeral);
  REQUIRE(setup.ok());
  CHECK(to_hex(setup.value().enc.data(), 32) == tx("hpke", "enc"));
  const hpke::Context& ctx = setup.value().context;
  CHECK(to_hex(ctx.key().data(), 32) == tx("hpke", "key"));
  CHECK(to_hex(ctx.base_nonce().data(), 12) == tx("hpke", "baseNonce"));
  CHECK(to_hex(ctx.exporter_secret().data(), 32) == tx("hpke", "exporterSecret"));

  hpke::Key salt, ee, prk;
  REQUIRE(ctx.export_secret(salt.data(), 32, std::string_view("session salt")).ok());
  CHECK(to_hex(salt.data(), 32) == tx("derived", "sessionSalt"));
  const auto client_fs = hpke::key_pair_from_secret(key_from_hex(tx("inputs", "clientFsSk")));
  CHECK(to_hex(client_fs.pk.data(), 32) == tx("derived", "clientFsPk"));
  const auto server_fs = hpke::key_pair_from_secret(key_from_hex(tx("inputs", "serverFsSk")));
  CHECK(base64url_encode(server_fs.pk) == tx("sessionResponseData", "fsPublicKey"));
  REQUIRE(hpke::x25519(ee, client_fs.sk, server_fs.pk).ok());
  CHECK(to_hex(ee.data(), 32) == tx("derived", "ee"));
  hkdf_extract(prk, salt, {ee});
  for (const auto& [label, name] : std::vector<std::pair<std::string, const char*>>{
           {"c2s key", "c2sKey"}, {"c2s nonce", "c2sNonce"}, {"s2c key", "s2cKey"}, {"confirm", "confirmKey"}}) {
    Bytes out(hex(tx("derived", name)).size());
    REQUIRE(hkdf_expand(out.data(), out.size(), prk, {label}).ok());
    CHECK(to_hex(out) == tx("derived", name));
  }
  std::uint8_t confirm[32];
  const std::uint8_t zero = 0;
  hmac_sha256(confirm, hex(tx("derived", "confirmKey")),
              {tx("inputs", "sessionId"), ByteView(&zero, 1), server_fs.pk});
  CHECK(base64url_encode(ByteView(confirm, 32)) == tx("sessionResponseData", "confirm"));
}

TEST_CASE("transcript: session open, request and response byte for byte") {
  auto pending = begin();
  REQUIRE(pending.ok());
  const auto& request = transcript()["sessionOpen"]["requestBody"];
  // Members in byte order of their names (docs/secure-channel.md §4.2), no white space.
  const std::string expected_body = "{\"enc\":\"" + request["enc"].get<std::string>() + "\",\"keyId\":\"" +
                                    request["keyId"].get<std::string>() + "\",\"payload\":\"" +
                                    request["payload"].get<std::string>() + "\"}";
  CHECK(pending.value().request_body() == expected_body);

  // The server's view: SetupBaseR with its static key opens exactly the transcript's plaintext.
  const auto server_static = hpke::key_pair_from_secret(key_from_hex(tx("inputs", "serverStaticSk")));
  hpke::PublicKey enc{};
  REQUIRE(base64url_decode_exact(request["enc"].get<std::string>(), enc.data(), 32));
  auto receiver = hpke::setup_base_r(enc, server_static, hex(tx("hpke", "info")));
  REQUIRE(receiver.ok());
  const auto sealed = receiver.value().open(kSessionOpenAad, *base64url_decode(request["payload"].get<std::string>()));
  REQUIRE(sealed.ok());
  CHECK(to_string(sealed.value()) == tx("sessionOpen", "sealedPlaintext"));

  auto session = finish_session(std::move(pending.value()), session_data());
  REQUIRE(session.ok());
  Session& s = session.value();
  CHECK(s.is_open());
  CHECK(s.session_id() == tx("inputs", "sessionId"));
  CHECK(s.expires_at() == "2026-11-22T12:30:00Z");
  CHECK(s.expires_at_ms() == 1795350600000);
  CHECK(s.key_id() == "sc-2026-11");
  CHECK(s.portal() == "system");
  CHECK(s.client_hash() == tx("inputs", "clientHash"));

  const auto& req = transcript()["request"];
  const auto sealed_request = s.seal(req["method"].get<std::string>(), req["path"].get<std::string>(),
                                     req["plaintext"].get<std::string>());
  REQUIRE(sealed_request.ok());
  CHECK(sealed_request.value().seq == 1);
  CHECK(sealed_request.value().body ==
        "{\"data\":\"" + req["body"]["data"].get<std::string>() + "\",\"seq\":1}");

  const auto opened = s.open(kMethod, kPath, 1, transcript()["response"]["status"].get<int>(), transcript_response_body());
  REQUIRE(opened.ok());
  CHECK(opened.value() == tx("response", "plaintext"));
  CHECK(s.is_open());
}

TEST_CASE("parse_public_key: suite, pins and malformed data") {
  const std::string pk = tx("publicKeyResponseData", "publicKey");
  const auto with = [](const char* member, const nlohmann::json& value) {
    nlohmann::json data = transcript()["publicKeyResponseData"];
    if (value.is_null()) data.erase(member);
    else data[member] = value;
    return data.dump();
  };
  CHECK(parse_public_key(public_key_data(), {pk}).ok());
  const std::string other_pin = base64url_encode(Bytes(32, 7));
  CHECK(parse_public_key(public_key_data(), {other_pin, pk}).ok());

  const auto not_pinned = parse_public_key(public_key_data(), {other_pin});
  REQUIRE_FALSE(not_pinned.ok());
  check_error(not_pinned.error(), ErrorKind::Auth, "SECURE_CHANNEL.KEY_NOT_PINNED");
  for_each_bit_flip(pk, [&](const std::string& flipped) {
    const auto r = parse_public_key(with("publicKey", flipped), {pk});
    REQUIRE_FALSE(r.ok());
    check_error(r.error(), ErrorKind::Auth, "SECURE_CHANNEL.KEY_NOT_PINNED");
  });
  const auto bad_pin = parse_public_key(public_key_data(), {"short"});
  REQUIRE_FALSE(bad_pin.ok());
  CHECK(bad_pin.error().kind == ErrorKind::Caller);

  for (const char* id : {"kemId", "kdfId", "aeadId"})
    for (int bit = 0; bit < 8; ++bit) {
      const int original = transcript()["publicKeyResponseData"][id].get<int>();
      const auto r = parse_public_key(with(id, original ^ (1 << bit)), {});
      REQUIRE_FALSE(r.ok());
      check_error(r.error(), ErrorKind::Protocol, "SECURE_CHANNEL.UNSUPPORTED_SUITE");
    }
  // Another suite's key has another size: still UNSUPPORTED_SUITE, not MALFORMED.
  nlohmann::json p256 = transcript()["publicKeyResponseData"];
  p256["kemId"] = 16;
  p256["publicKey"] = base64url_encode(Bytes(65, 4));
  const auto other_suite = parse_public_key(p256.dump(), {});
  REQUIRE_FALSE(other_suite.ok());
  CHECK(other_suite.error().code == "SECURE_CHANNEL.UNSUPPORTED_SUITE");

  const std::string malformed[] = {
      "", "null", "[]", "{", public_key_data().substr(0, public_key_data().size() - 1),
      with("keyId", nullptr), with("keyId", ""), with("keyId", 5), with("keyId", "line\nbreak"),
      with("kemId", "32"), with("kemId", 32.0), with("kemId", nullptr), with("aeadId", -3),
      with("publicKey", nullptr), with("publicKey", pk + "="), with("publicKey", pk.substr(1)),
      with("publicKey", base64url_encode(Bytes(31, 1))), with("publicKey", pk.substr(0, 42) + "+"),
      with("expiresAt", nullptr), with("expiresAt", "tomorrow"),
  };
  for (const std::string& data : malformed) {
    CAPTURE(data);
    const auto r = parse_public_key(data, {});
    REQUIRE_FALSE(r.ok());
    check_error(r.error(), ErrorKind::Protocol, "SECURE_CHANNEL.MALFORMED");
  }
}

TEST_CASE("begin_session checks its arguments and the server key") {
  test::FixedRandom random;
  const ServerKey key = server_key();
  const std::string hash = tx("inputs", "clientHash");
  for (const auto& [portal, client_hash] : std::vector<std::pair<std::string, std::string>>{
           {"System", hash}, {"admin", hash}, {"system", hash.substr(1)}, {"system", "C" + hash.substr(1)}}) {
    const auto r = begin_session(key, portal, client_hash, random);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::Caller);
  }
  ServerKey low_order = key;
  low_order.public_key = {};
  random.push(Bytes(32, 1));
  const auto r = begin_session(low_order, "system", hash, random);
  REQUIRE_FALSE(r.ok());
  check_error(r.error(), ErrorKind::Protocol, "SECURE_CHANNEL.INVALID_KEY");
}

TEST_CASE("finish_session: a flipped bit in sessionId, fsPublicKey or confirm fails the confirm check") {
  int cases = 0;
  for (const char* member : {"sessionId", "fsPublicKey", "confirm"}) {
    CAPTURE(member);
    for_each_bit_flip(tx("sessionResponseData", member), [&](const std::string& flipped) {
      const auto r = finish(session_data(member, flipped));
      REQUIRE_FALSE(r.ok());
      check_error(r.error(), ErrorKind::Auth, "SECURE_CHANNEL.CONFIRM_FAILED");
      ++cases;
    });
  }
  CHECK(cases == (16 + 32 + 32) * 8);
}

TEST_CASE("finish_session: forged confirm, low-order FS key, malformed data; the pending state is spent") {
  const auto forged = finish(session_data("confirm", base64url_encode(Bytes(32, 0))));
  REQUIRE_FALSE(forged.ok());
  check_error(forged.error(), ErrorKind::Auth, "SECURE_CHANNEL.CONFIRM_FAILED");

  const auto zero_ee = finish(session_data("fsPublicKey", base64url_encode(Bytes(32, 0))));
  REQUIRE_FALSE(zero_ee.ok());
  check_error(zero_ee.error(), ErrorKind::Protocol, "SECURE_CHANNEL.INVALID_KEY");

  const std::string data = session_data();
  const std::string sid = tx("sessionResponseData", "sessionId");
  const std::string confirm = tx("sessionResponseData", "confirm");
  std::vector<std::string> malformed = {
      "", "[]", "null", "{}", session_data("sessionId", nullptr), session_data("expiresAt", nullptr),
      session_data("fsPublicKey", nullptr), session_data("confirm", nullptr), session_data("confirm", 1),
      session_data("sessionId", base64url_encode(Bytes(15, 9))),   // fewer than 16 bytes
      session_data("sessionId", sid + "\n"), session_data("sessionId", sid + "="),
      session_data("confirm", confirm + "A"), session_data("confirm", confirm.substr(0, 42)),
      session_data("confirm", confirm.substr(0, 42) + "/"), session_data("fsPublicKey", "@"),
      session_data("expiresAt", "2026-11-22"),
  };
  for (std::size_t cut = 0; cut < data.size(); cut += 7) malformed.push_back(data.substr(0, cut));
  for (const std::string& text : malformed) {
    CAPTURE(text);
    const auto r = finish(text);
    REQUIRE_FALSE(r.ok());
    check_error(r.error(), ErrorKind::Protocol, "SECURE_CHANNEL.MALFORMED");
  }

  // Whatever the outcome, finish_session consumes the pending open.
  auto pending = begin();
  REQUIRE(pending.ok());
  REQUIRE_FALSE(finish_session(std::move(pending.value()), "{}").ok());
  CHECK(pending.value().request_body().empty());
  const auto again = finish_session(std::move(pending.value()), session_data());
  REQUIRE_FALSE(again.ok());
  check_error(again.error(), ErrorKind::Order, "SECURE_CHANNEL.CLOSED");

  // expiresAt is not covered by confirm (docs/secure-channel.md binds sessionId and sfsPk only).
  const auto moved_expiry = finish(session_data("expiresAt", "2030-01-01T00:00:00Z"));
  REQUIRE(moved_expiry.ok());
  CHECK(moved_expiry.value().expires_at() == "2030-01-01T00:00:00Z");
}

TEST_CASE("open: a flipped bit in the response's seq, nonce or data is refused and closes the session") {
  const auto& body = transcript()["response"]["body"];
  const auto opened_with = [&](const std::string& response, ErrorKind kind, const char* code) {
    Session s = transcript_session();
    REQUIRE(s.seal(kMethod, kPath, "{}").ok());
    const auto r = s.open(kMethod, kPath, 1, 200, response);
    REQUIRE_FALSE(r.ok());
    check_error(r.error(), kind, code);
    CHECK_FALSE(s.is_open());
    const auto after = s.open(kMethod, kPath, 1, 200, transcript_response_body());
    REQUIRE_FALSE(after.ok());
    check_error(after.error(), ErrorKind::Order, "SECURE_CHANNEL.CLOSED");
  };
  const auto response = [](const std::string& seq, const std::string& nonce, const std::string& data) {
    return "{\"seq\":" + seq + ",\"nonce\":\"" + nonce + "\",\"data\":\"" + data + "\"}";
  };
  const std::string nonce = body["nonce"].get<std::string>(), data = body["data"].get<std::string>();
  for (int bit = 0; bit < 53; ++bit)
    opened_with(response(std::to_string(1ULL ^ (1ULL << bit)), nonce, data), ErrorKind::Protocol,
                "SECURE_CHANNEL.RESPONSE_MISMATCH");
  int flips = 0;
  for_each_bit_flip(nonce, [&](const std::string& flipped) {
    opened_with(response("1", flipped, data), ErrorKind::Auth, "SECURE_CHANNEL.DECRYPT_FAILED");
    ++flips;
  });
  for_each_bit_flip(data, [&](const std::string& flipped) {
    opened_with(response("1", nonce, flipped), ErrorKind::Auth, "SECURE_CHANNEL.DECRYPT_FAILED");
    ++flips;
  });
  CHECK(flips == (12 + tx("response", "plaintext").size() + hpke::kTagSize) * 8);
}

TEST_CASE("open: the AAD binds method, path, seq and status; a response cannot be moved") {
  const std::string envelope = tx("response", "plaintext");
  const Bytes nonce = hex("00112233445566778899aabb");
  struct Case {
    std::string body;
    std::uint64_t sent_seq;
    const char* code;
  };
  const std::vector<Case> cases = {
      {server_response(2, kMethod, kPath, 200, envelope, nonce), 2, nullptr},  // the honest answer
      {server_response(1, kMethod, kPath, 200, envelope, nonce), 2, "SECURE_CHANNEL.RESPONSE_MISMATCH"},
      {server_response(2, "GET", kPath, 200, envelope, nonce), 2, "SECURE_CHANNEL.DECRYPT_FAILED"},
      {server_response(2, kMethod, "/web/v1/system/profile", 200, envelope, nonce), 2, "SECURE_CHANNEL.DECRYPT_FAILED"},
      {server_response(2, kMethod, kPath, 201, envelope, nonce), 2, "SECURE_CHANNEL.DECRYPT_FAILED"},
      // Encrypted for seq 1 but relabelled as seq 2.
      {"{\"seq\":2" + server_response(1, kMethod, kPath, 200, envelope, nonce).substr(8), 2,
       "SECURE_CHANNEL.DECRYPT_FAILED"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.body);
    Session s = transcript_session();
    REQUIRE(s.seal(kMethod, kPath, "{}").ok());
    REQUIRE(s.seal(kMethod, kPath, "{}").ok());
    const auto r = s.open(kMethod, kPath, c.sent_seq, 200, c.body);
    if (c.code == nullptr) {
      REQUIRE(r.ok());
      CHECK(r.value() == envelope);
    } else {
      REQUIRE_FALSE(r.ok());
      CHECK(r.error().code == c.code);
      CHECK_FALSE(s.is_open());
    }
  }
}

TEST_CASE("open: plaintext answers, malformed bodies and caller errors") {
  const auto open_once = [](const std::string& body) {
    Session s = transcript_session();
    REQUIRE(s.seal(kMethod, kPath, "{}").ok());
    auto r = s.open(kMethod, kPath, 1, 400, body);
    return std::make_pair(std::move(r), s.is_open());
  };

  const std::string channel_error =
      "{\"success\":false,\"code\":\"SECURE_CHANNEL.REPLAY\",\"message\":\"replayed\",\"data\":null}";
  auto [passed, still_open] = open_once(channel_error);
  REQUIRE(passed.ok());
  CHECK(parse_json(passed.value()) == parse_json(channel_error));  // the same envelope, as JSON text
  CHECK(still_open);

  for (const std::string body : {
           std::string(R"({"success":true,"code":"2000","message":"SUCCESS","data":{"loginSessionId":"LS_001"}})"),
           std::string(R"({"success":false,"code":"AUTH.MFA_CODE_INVALID","message":"bad code","data":null})"),
           std::string(R"({"success":true,"code":"SECURE_CHANNEL.REPLAY","message":"x","data":null})"),
           std::string(R"({"success":false,"code":"SECURE_CHANNEL_REPLAY","message":"x","data":null})"),
           std::string(R"({"status":204,"body":null})"), std::string(R"({"data":"abc"})")}) {
    CAPTURE(body);
    auto [r, open] = open_once(body);
    REQUIRE_FALSE(r.ok());
    check_error(r.error(), ErrorKind::Protocol, "SECURE_CHANNEL.DOWNGRADE");
    CHECK_FALSE(open);
  }

  const std::string good = transcript_response_body();
  const auto& b = transcript()["response"]["body"];
  const std::string nonce = b["nonce"].get<std::string>(), data = b["data"].get<std::string>();
  std::vector<std::string> malformed = {
      "", "not json", "[1]", "\"text\"",
      R"({"seq":1,"nonce":")" + nonce + "\"}",
      R"({"seq":1,"data":")" + data + "\"}",
      R"({"nonce":")" + nonce + R"(","data":")" + data + "\"}",
      R"({"seq":"1","nonce":")" + nonce + R"(","data":")" + data + "\"}",
      R"({"seq":1.0,"nonce":")" + nonce + R"(","data":")" + data + "\"}",
      R"({"seq":-1,"nonce":")" + nonce + R"(","data":")" + data + "\"}",
      R"({"seq":1,"nonce":")" + nonce + R"(","data":")" + data + R"(","extra":0})",
      R"({"seq":1,"nonce":")" + nonce.substr(0, 15) + R"(","data":")" + data + "\"}",
      R"({"seq":1,"nonce":")" + nonce + R"(=","data":")" + data + "\"}",
      R"({"seq":1,"nonce":")" + nonce + R"(","data":")" + data + "=\"}",
      R"({"seq":1,"nonce":")" + nonce + R"(","data":")" + data.substr(1) + "\"}",
      R"({"seq":1,"nonce":")" + nonce + R"(","data":null})",
  };
  for (std::size_t cut = 0; cut < good.size(); cut += 5) malformed.push_back(good.substr(0, cut));
  for (const std::string& body : malformed) {
    CAPTURE(body);
    auto [r, open] = open_once(body);
    REQUIRE_FALSE(r.ok());
    check_error(r.error(), ErrorKind::Protocol, "SECURE_CHANNEL.MALFORMED");
    CHECK_FALSE(open);
  }
  // A truncated ciphertext that still decodes is an authentication failure.
  auto [short_data, open] = open_once(R"({"seq":1,"nonce":")" + nonce + R"(","data":")" + data.substr(0, 20) + "\"}");
  REQUIRE_FALSE(short_data.ok());
  CHECK(short_data.error().code == "SECURE_CHANNEL.DECRYPT_FAILED");

  // Caller errors change nothing.
  Session s = transcript_session();
  REQUIRE(s.seal(kMethod, kPath, "{}").ok());
  for (const auto& [method, path, seq, status] : std::vector<std::tuple<std::string, std::string, std::uint64_t, int>>{
           {"post", kPath, 1, 200}, {kMethod, "web/v1", 1, 200}, {kMethod, kPath + "?x=1", 1, 200},
           {kMethod, kPath, 0, 200}, {kMethod, kPath, 2, 200}, {kMethod, kPath, 1, 99}, {kMethod, kPath, 1, 600}}) {
    const auto r = s.open(method, path, seq, status, good);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::Caller);
  }
  CHECK(s.is_open());
  CHECK(s.open(kMethod, kPath, 1, 200, good).ok());
}

TEST_CASE("open: a sealed response in any JSON spelling opens alike (scanned or fully parsed)") {
  const auto& b = transcript()["response"]["body"];
  const std::string nonce = b["nonce"].get<std::string>(), data = b["data"].get<std::string>();
  const auto open_once = [](const std::string& body) {
    Session s = transcript_session();
    REQUIRE(s.seal(kMethod, kPath, "{}").ok());
    return s.open(kMethod, kPath, 1, 200, body);
  };
  const auto expected = open_once(transcript_response_body());
  REQUIRE(expected.ok());
  for (const std::string& body : std::vector<std::string>{
           " \t\r\n{ \"data\" : \"" + data + "\" ,\n\"seq\":1, \"nonce\":\"" + nonce + "\" }\n",
           R"({"nonce":")" + nonce + R"(","data":")" + data + R"(","seq":1})",
           R"({"\u0073eq":1,"nonce":")" + nonce + R"(","data":")" + data + "\"}",
           // an escape inside data: not scanned, decoded by the full parser
           R"({"seq":1,"nonce":")" + nonce + R"(","data":"\u00)" + to_hex(reinterpret_cast<const std::uint8_t*>(data.data()), 1) +
               data.substr(1) + "\"}",
       }) {
    CAPTURE(body);
    const auto r = open_once(body);
    REQUIRE(r.ok());
    CHECK(r.value() == expected.value());
  }
  for (const std::string& body : std::vector<std::string>{
           transcript_response_body() + "x",
           R"({"seq":01,"nonce":")" + nonce + R"(","data":")" + data + "\"}",
           R"({"seq":1e0,"nonce":")" + nonce + R"(","data":")" + data + "\"}",
           R"({"seq":1,"nonce":")" + nonce + R"(","data":")" + data + "\",}",
           R"({"seq":1,"nonce":")" + nonce + R"(","data":"+)" + data.substr(1) + "\"}",   // not base64url
           R"({"seq":1,"nonce":")" + nonce + R"(","data":")" + data + "\n\"}",           // raw control character
           R"({"seq":1,"nonce":")" + nonce + R"(","data":")" + data,                     // unterminated
       }) {
    CAPTURE(body);
    const auto r = open_once(body);
    REQUIRE_FALSE(r.ok());
    check_error(r.error(), ErrorKind::Protocol, "SECURE_CHANNEL.MALFORMED");
  }
}

TEST_CASE("seal: sequence numbers, argument checks, the 2^53 - 1 limit, close and move") {
  Session s = transcript_session();
  for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
           {"post", kPath}, {"", kPath}, {"PO ST", kPath}, {kMethod, ""}, {kMethod, "relative"},
           {kMethod, kPath + "?q"}, {kMethod, kPath + "#f"}, {kMethod, "/a b"}, {kMethod, "/a\nb"}}) {
    const auto r = s.seal(method, path, "{}");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::Caller);
  }
  for (std::uint64_t expected = 1; expected <= 3; ++expected) {
    const auto r = s.seal(kMethod, kPath, "{}");
    REQUIRE(r.ok());
    CHECK(r.value().seq == expected);
    CHECK(r.value().body.find("\",\"seq\":" + std::to_string(expected) + "}") != std::string::npos);
  }

  SessionTestAccess::set_next_seq(s, kMaxRequestSeq);
  const auto last = s.seal(kMethod, kPath, "{}");
  REQUIRE(last.ok());
  CHECK(last.value().seq == 9007199254740991ULL);
  CHECK(last.value().body.find(",\"seq\":9007199254740991}") != std::string::npos);
  const auto exhausted = s.seal(kMethod, kPath, "{}");
  REQUIRE_FALSE(exhausted.ok());
  check_error(exhausted.error(), ErrorKind::Order, "SECURE_CHANNEL.SEQ_EXHAUSTED");

  Session moved = std::move(s);
  CHECK(moved.is_open());
  CHECK_FALSE(s.is_open());
  check_error(s.seal(kMethod, kPath, "{}").error(), ErrorKind::Order, "SECURE_CHANNEL.CLOSED");
  moved.close();
  moved.close();
  CHECK_FALSE(moved.is_open());
  check_error(moved.seal(kMethod, kPath, "{}").error(), ErrorKind::Order, "SECURE_CHANNEL.CLOSED");
  check_error(moved.open(kMethod, kPath, 1, 200, transcript_response_body()).error(), ErrorKind::Order,
              "SECURE_CHANNEL.CLOSED");
}

TEST_CASE("non-canonical base64url with bytes >= 0x80 is refused in publicKey, pins, fsPublicKey, confirm and nonce") {
  // "é" (c3 a9, valid UTF-8, so it passes the JSON parser) in place of "__": libsodium 1.0.18's
  // decoder read every byte >= 0x80 as '_' and decoded both texts to the same bytes.
  const auto spoil = [](std::string text) {
    const auto at = text.find("__");
    REQUIRE(at != std::string::npos);
    return text.replace(at, 2, "\xc3\xa9");
  };
  const std::string ff_key = base64url_encode(Bytes(32, 0xff));
  nlohmann::json key_data = transcript()["publicKeyResponseData"];
  key_data["publicKey"] = spoil(ff_key);
  const auto key = parse_public_key(key_data.dump(), {});
  REQUIRE_FALSE(key.ok());
  check_error(key.error(), ErrorKind::Protocol, "SECURE_CHANNEL.MALFORMED");
  key_data["publicKey"] = ff_key;
  const auto pin = parse_public_key(key_data.dump(), {spoil(ff_key)});
  REQUIRE_FALSE(pin.ok());
  CHECK(pin.error().kind == ErrorKind::Caller);

  for (const char* member : {"fsPublicKey", "confirm"}) {
    CAPTURE(member);
    const auto r = finish(session_data(member, spoil(ff_key)));
    REQUIRE_FALSE(r.ok());
    check_error(r.error(), ErrorKind::Protocol, "SECURE_CHANNEL.MALFORMED");
  }

  const Bytes nonce(12, 0xff);
  const std::string envelope = tx("response", "plaintext");
  std::string body = server_response(1, kMethod, kPath, 200, envelope, nonce);
  {
    Session s = transcript_session();
    REQUIRE(s.seal(kMethod, kPath, "{}").ok());
    REQUIRE(s.open(kMethod, kPath, 1, 200, body).ok());  // the canonical nonce opens
  }
  const std::string canonical = base64url_encode(nonce);
  body.replace(body.find(canonical), canonical.size(), spoil(canonical));
  Session s = transcript_session();
  REQUIRE(s.seal(kMethod, kPath, "{}").ok());
  const auto r = s.open(kMethod, kPath, 1, 200, body);
  REQUIRE_FALSE(r.ok());
  check_error(r.error(), ErrorKind::Protocol, "SECURE_CHANNEL.MALFORMED");
}

// ---- Engine-fault guard --------------------------------------------------------------------------
// Stand-ins for an engine that computes an AEAD answer wrong now and then: the real function, with
// the output of the runs listed in `g_faulty_runs` (counted from 0 across calls) made wrong. Run k
// is made wrong differently from every other run (k + 1 xored into one byte), or, for
// `g_same_fault`, the same way every time.
namespace {

std::vector<int> g_faulty_runs;
int g_run = 0;
bool g_same_fault = false;
bool g_fail_faulty = false;  // a faulty run reports a failed tag check instead of wrong bytes

Status faulty(Status (*real)(ByteView, ByteView, ByteView, ByteView, std::uint8_t*), std::size_t out_size,
              ByteView key, ByteView nonce, ByteView aad, ByteView in, std::uint8_t* out) {
  const int run = g_run++;
  Status status = real(key, nonce, aad, in, out);
  if (std::find(g_faulty_runs.begin(), g_faulty_runs.end(), run) == g_faulty_runs.end()) return status;
  if (g_fail_faulty) return Error::of(codes::kDecryptFailed, "faulty run");
  if (out_size > 0) out[out_size / 2] ^= static_cast<std::uint8_t>(g_same_fault ? 0x40 : run + 1);
  return status;
}
Status faulty_seal(ByteView key, ByteView nonce, ByteView aad, ByteView in, std::uint8_t* out) {
  return faulty(hpke::aead_seal_to, in.size + hpke::kTagSize, key, nonce, aad, in, out);
}
Status faulty_open(ByteView key, ByteView nonce, ByteView aad, ByteView in, std::uint8_t* out) {
  return faulty(hpke::aead_open_to, in.size - hpke::kTagSize, key, nonce, aad, in, out);
}

void faults_at(std::vector<int> runs, bool same = false, bool fail = false) {
  g_faulty_runs = std::move(runs);
  g_run = 0;
  g_same_fault = same;
  g_fail_faulty = fail;
}

Session faulty_session() {
  Session s = transcript_session();
  SessionTestAccess::set_aead(s, faulty_seal, faulty_open);
  return s;
}

Result<SealedRequest> seal_transcript_request(Session& s) {
  const auto& req = transcript()["request"];
  return s.seal(req["method"].get<std::string>(), req["path"].get<std::string>(), req["plaintext"].get<std::string>());
}
std::string transcript_request_body() {
  return "{\"data\":\"" + transcript()["request"]["body"]["data"].get<std::string>() + "\",\"seq\":1}";
}
Result<std::string> open_transcript_response(Session& s) {
  return s.open(kMethod, kPath, 1, transcript()["response"]["status"].get<int>(), transcript_response_body());
}

}  // namespace

TEST_CASE("engine-fault guard: one wrong AEAD run in seal or open is outvoted; the answer is the right one") {
  for (const int wrong : {0, 1, 2}) {  // the first, second or (never needed) third run
    CAPTURE(wrong);
    Session s = faulty_session();
    faults_at({wrong});
    const auto sealed = seal_transcript_request(s);
    REQUIRE(sealed.ok());
    CHECK(sealed.value().body == transcript_request_body());
    CHECK(g_run == (wrong == 2 ? 2 : 3));  // two runs when they agree, a third to decide otherwise
    faults_at({wrong});
    const auto opened = open_transcript_response(s);
    REQUIRE(opened.ok());
    CHECK(opened.value() == tx("response", "plaintext"));
    CHECK(s.is_open());
  }
  // A run whose tag check failed spuriously is outvoted too.
  Session s = faulty_session();
  REQUIRE(seal_transcript_request(s).ok());
  faults_at({0}, false, true);
  const auto opened = open_transcript_response(s);
  REQUIRE(opened.ok());
  CHECK(opened.value() == tx("response", "plaintext"));
}

TEST_CASE("engine-fault guard: three different answers fail with CLIENT.SELF_TEST_FAILED and nothing out") {
  Session s = faulty_session();
  faults_at({0, 1});
  const auto sealed = seal_transcript_request(s);
  REQUIRE_FALSE(sealed.ok());
  check_error(sealed.error(), ErrorKind::Protocol, "CLIENT.SELF_TEST_FAILED");
  CHECK(g_run == 3);

  Session t = faulty_session();
  faults_at({});
  REQUIRE(seal_transcript_request(t).ok());
  faults_at({1, 2});
  const auto opened = open_transcript_response(t);
  REQUIRE_FALSE(opened.ok());
  check_error(opened.error(), ErrorKind::Protocol, "CLIENT.SELF_TEST_FAILED");
  CHECK_FALSE(t.is_open());  // as for any response that does not open
}

TEST_CASE("engine-fault guard: two runs wrong the same way win (the limit of a majority)") {
  Session s = faulty_session();
  faults_at({0, 1}, true);
  const auto sealed = seal_transcript_request(s);
  REQUIRE(sealed.ok());
  CHECK(sealed.value().body != transcript_request_body());
  CHECK(g_run == 2);
}
