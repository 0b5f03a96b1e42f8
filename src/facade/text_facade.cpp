#include "facade/text_facade.hpp"
#include "common/error_codes.hpp"

#include <cmath>
#include <cstring>
#include <optional>
#include <utility>

#include <sodium/crypto_aead_chacha20poly1305.h>
#include <sodium/crypto_auth_hmacsha256.h>
#include <sodium/crypto_hash_sha256.h>
#include <sodium/crypto_scalarmult_curve25519.h>

#include "api/envelope.hpp"
#include "common/bytes.hpp"
#include "common/json.hpp"

namespace portal {
namespace {

Error disposed_error() {
  return Error::of(codes::kClientDisposed, "the client was disposed");
}

// Ids and epoch milliseconds cross the boundary as f64: accepted only when integral and within
// ±(2^53 - 1) (ids: 0 .. 2^53 - 1), so the cast below is always defined. NaN fails every comparison.
constexpr double kMaxSafeInteger = 9007199254740991.0;
std::optional<std::uint64_t> to_id(double value) {
  if (!(value >= 0 && value <= kMaxSafeInteger) || std::trunc(value) != value) return std::nullopt;
  return static_cast<std::uint64_t>(value);
}
std::optional<std::int64_t> to_ms(double value) {
  if (!(value >= -kMaxSafeInteger && value <= kMaxSafeInteger) || std::trunc(value) != value) return std::nullopt;
  return static_cast<std::int64_t>(value);
}
Error bad_number(const char* name) {
  return Error::of(codes::kClientInvalidArgument, std::string(name) + " must be an integer of magnitude below 2^53");
}

// The calls that take only a time besides their input: `call(client, now)` when now_ms is valid
// and the client is not disposed; "" or the bad-time error, as the header says.
template <typename Call>
std::string at_time(PortalClient* client, double now_ms, Call call) {
  const auto now = to_ms(now_ms);
  if (!now) return error_answer(bad_number("now"));
  if (client) call(*client, *now);
  return "";
}

}  // namespace

std::string error_text(const Error& error) { return dump_json(api::error_to_json(error)); }
std::string error_answer(const Error& error) { return "{\"error\":" + error_text(error) + "}"; }

Result<ClientConfig> parse_client_config(std::string_view config_json) {
  const Json doc = parse_json(config_json);
  auto invalid = [](const std::string& what) {
    return Error::of(codes::kClientInvalidArgument, "invalid client config: " + what);
  };
  if (!doc.is_object()) return invalid("not a JSON object");
  ClientConfig config;
  // Absent or null keeps the default (and fails only when `required`); any other type fails.
  auto text = [&](const char* key, std::string& out, bool required) -> bool {
    auto value = optional_field<std::string>(doc, key, Source::Caller);
    if (!value.ok()) return false;
    if (!value.value()) return !required;
    out = std::move(*value.value());
    return true;
  };
  if (!text("portal", config.portal, true)) return invalid("portal");
  if (!text("accessCode", config.access_code, true)) return invalid("accessCode");
  if (!text("clientHash", config.client_hash, true)) return invalid("clientHash");
  if (!text("locale", config.locale, false)) return invalid("locale");
  std::string mode = "required";
  if (!text("secureChannel", mode, false)) return invalid("secureChannel");
  if (mode == "required") config.channel_mode = ChannelMode::Required;
  else if (mode == "off") config.channel_mode = ChannelMode::Off;
  else return invalid("secureChannel must be 'required' or 'off'");
  const auto pins = optional_field<Json>(doc, "pinnedKeys", Source::Caller);
  if (!pins.ok() || (pins.value() && !pins.value()->is_array())) return invalid("pinnedKeys");
  if (pins.value()) {
    for (const Json& key : *pins.value()) {
      if (!key.is_string()) return invalid("pinnedKeys");
      config.pinned_keys.push_back(key.get<std::string>());
    }
  }
  const auto leeway = optional_field<std::int64_t>(doc, "refreshLeewayMs", Source::Caller);
  if (!leeway.ok() || (leeway.value() && *leeway.value() < 0)) return invalid("refreshLeewayMs");
  if (leeway.value()) config.refresh_leeway_ms = *leeway.value();
  std::string persist = "memory";
  if (!text("persist", persist, false)) return invalid("persist");
  if (persist == "memory") config.persist = ClientConfig::Persist::Memory;
  else if (persist == "session") config.persist = ClientConfig::Persist::Session;
  else if (persist == "local") config.persist = ClientConfig::Persist::Local;
  else return invalid("persist must be 'memory', 'session' or 'local'");
  return config;
}

std::string TextFacade::init(std::string_view config_json) {
  auto config = parse_client_config(config_json);
  if (!config.ok()) return error_answer(config.error());
  auto created = PortalClient::create(std::move(config).value(), random_);
  if (!created.ok()) return error_answer(created.error());
  client_ = std::move(created).value();
  return "";
}

std::string TextFacade::start(std::string_view op, std::string_view args_json, double now_ms) {
  if (!client_) return error_answer(disposed_error());
  const auto now = to_ms(now_ms);
  if (!now) return error_answer(bad_number("now"));
  auto id = client_->start(op, args_json, *now);
  if (!id.ok()) return error_answer(id.error());
  return "{\"op\":" + std::to_string(id.value()) + "}";
}

std::string TextFacade::handle_response(double request_id, int status, std::string_view headers_json,
                                        std::string_view body, double now_ms) {
  const auto id = to_id(request_id);
  const auto now = to_ms(now_ms);
  if (!id || !now) return error_answer(bad_number(id ? "now" : "requestId"));
  if (client_) client_->handle_response(*id, status, headers_json, body, *now);
  return "";
}

std::string TextFacade::handle_transport_error(double request_id, std::string_view reason, double now_ms,
                                               unsigned facts) {
  const auto id = to_id(request_id);
  const auto now = to_ms(now_ms);
  if (!id || !now) return error_answer(bad_number(id ? "now" : "requestId"));
  if (client_) client_->handle_transport_error(*id, reason, *now, facts);
  return "";
}

std::string TextFacade::handle_timeout(double now_ms) {
  return at_time(client_.get(), now_ms, [](PortalClient& c, std::int64_t now) { c.handle_timeout(now); });
}

std::string TextFacade::cancel(double op_id, double now_ms) {
  const auto id = to_id(op_id);
  const auto now = to_ms(now_ms);
  if (!id || !now) return error_answer(bad_number(id ? "now" : "opId"));
  if (client_) client_->cancel(*id, *now);
  return "";
}

bool TextFacade::wants_peer_session() const { return client_ && client_->wants_peer_session(); }

bool TextFacade::confirm_send(double request_id, double now_ms) {
  const auto id = to_id(request_id);
  const auto now = to_ms(now_ms);
  return id && now && client_ && client_->confirm_send(*id, *now);
}

std::string TextFacade::handle_peer_tokens(std::string_view tokens_json, double now_ms) {
  return at_time(client_.get(), now_ms,
                 [&](PortalClient& c, std::int64_t now) { c.handle_peer_tokens(tokens_json, now); });
}

std::string TextFacade::handle_peer_signed_out(double now_ms) {
  return at_time(client_.get(), now_ms, [](PortalClient& c, std::int64_t now) { c.handle_peer_signed_out(now); });
}

std::string TextFacade::handle_peer_hello(double now_ms) {
  return at_time(client_.get(), now_ms, [](PortalClient& c, std::int64_t now) { c.handle_peer_hello(now); });
}

std::string TextFacade::set_online(bool online, double now_ms) {
  return at_time(client_.get(), now_ms, [&](PortalClient& c, std::int64_t now) { c.set_online(online, now); });
}

void TextFacade::set_locale(std::string_view locale) {
  if (client_) client_->set_locale(locale);
}

std::string TextFacade::poll_request() {
  if (!client_) return "";
  auto request = client_->poll_request();
  if (!request) return "";
  Json headers = Json::array();
  for (auto& [name, value] : request->headers) headers.push_back({name, value});
  wipe(request_body_);
  request_body_ = std::move(request->body);
  return dump_json(Json{{"id", request->id},
                        {"method", request->method},
                        {"path", request->path},
                        {"headers", std::move(headers)},
                        {"exclusive", request->exclusive}});
}

std::string TextFacade::take_request_body() { return std::exchange(request_body_, std::string()); }

std::string TextFacade::poll_event() {
  if (!client_) return "";
  auto event = client_->poll_event();
  if (!event) return "";
  // The payload is JSON the client produced itself; it is embedded, not re-encoded.
  return "{\"kind\":" + dump_json(Json(to_string(event->kind))) + ",\"op\":" + std::to_string(event->op) +
         ",\"payload\":" + (event->payload.empty() ? std::string("null") : event->payload) + "}";
}

double TextFacade::poll_timeout() const {
  if (!client_) return -1;
  const auto deadline = client_->poll_timeout();
  return deadline ? static_cast<double>(*deadline) : -1;
}

std::string TextFacade::export_state() const { return client_ ? client_->export_state() : ""; }

std::string TextFacade::import_state(std::string_view state_json, double now_ms) {
  if (!client_) return error_answer(disposed_error());
  const auto now = to_ms(now_ms);
  if (!now) return error_answer(bad_number("now"));
  auto status = client_->import_state(state_json, *now);
  return status.ok() ? "" : error_answer(status.error());
}

void TextFacade::dispose() {
  wipe(request_body_);
  if (!client_) return;
  client_->dispose();
  client_.reset();
}

bool self_test(std::size_t corrupt_byte) {
  // The known answers, one after the other; `corrupt_byte` flips one of them (tests only).
  //   [0, 32)    X25519, RFC 7748 §5.2, first test vector: the output u-coordinate.
  //   [32, 64)   X25519, RFC 7748 §6.1: Alice's public key from her secret key.
  //   [64, 96)   ChaCha20-Poly1305 (RFC 8439 AEAD) over a 1200-byte message, 19 blocks, so every
  //              block-counter step of a multi-block call is covered: SHA-256 of ciphertext || tag.
  //              Key 00 01 … 1f, nonce 07000000 4041424344454647, AAD "portal self-test",
  //              message[i] = (7 i + 3) mod 256. Computed with Python `cryptography` 48 (OpenSSL's
  //              ChaCha20-Poly1305) and matched by the native build's libsodium, which the native
  //              suite checks against every Wycheproof vector (tests/native/channel/primitives_test).
  //   [96, 128)  HMAC-SHA256, RFC 4231 test case 2 (key "Jefe").
  Bytes expected;
  from_hex("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"
           "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"
           "e052c6dfede06dbdb9d0a6199677221393e295f3907ddcaca0d853cc156a37c9"
           "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
           expected);
  if (corrupt_byte < expected.size()) expected[corrupt_byte] ^= 1;

  // X25519 with an arbitrary point, then with the base point.
  Bytes scalar, point;
  from_hex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4", scalar);
  from_hex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c", point);
  std::uint8_t out[32];
  if (crypto_scalarmult_curve25519(out, scalar.data(), point.data()) != 0 ||
      std::memcmp(out, expected.data(), 32) != 0)
    return false;
  from_hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a", scalar);
  if (crypto_scalarmult_curve25519_base(out, scalar.data()) != 0 || std::memcmp(out, expected.data() + 32, 32) != 0)
    return false;

  // ChaCha20-Poly1305: seal against the known answer, open it back, refuse a flipped tag bit.
  constexpr std::size_t kSize = 1200;
  std::uint8_t key[32], nonce[12] = {0x07, 0, 0, 0, 0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47};
  for (std::size_t i = 0; i < sizeof key; ++i) key[i] = static_cast<std::uint8_t>(i);
  static constexpr char kAad[] = "portal self-test";
  const auto* aad = reinterpret_cast<const std::uint8_t*>(kAad);
  const std::size_t aad_size = sizeof kAad - 1;
  Bytes message(kSize), sealed(kSize + crypto_aead_chacha20poly1305_ietf_ABYTES), opened(kSize);
  for (std::size_t i = 0; i < kSize; ++i) message[i] = static_cast<std::uint8_t>(i * 7 + 3);
  unsigned long long sealed_len = 0, opened_len = 0;
  crypto_aead_chacha20poly1305_ietf_encrypt(sealed.data(), &sealed_len, message.data(), kSize, aad, aad_size, nullptr,
                                            nonce, key);
  std::uint8_t digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, sealed.data(), sealed_len);
  if (sealed_len != sealed.size() || std::memcmp(digest, expected.data() + 64, 32) != 0) return false;
  if (crypto_aead_chacha20poly1305_ietf_decrypt(opened.data(), &opened_len, nullptr, sealed.data(), sealed_len, aad,
                                                aad_size, nonce, key) != 0 ||
      opened_len != kSize || opened != message)
    return false;
  sealed.back() ^= 1;  // sealed_len == sealed.size(), checked above
  if (crypto_aead_chacha20poly1305_ietf_decrypt(opened.data(), &opened_len, nullptr, sealed.data(), sealed_len, aad,
                                                aad_size, nonce, key) == 0)
    return false;

  // HMAC-SHA256.
  std::uint8_t mac[32];
  const char* data = "what do ya want for nothing?";
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const std::uint8_t*>("Jefe"), 4);
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const std::uint8_t*>(data), std::strlen(data));
  crypto_auth_hmacsha256_final(&state, mac);
  return std::memcmp(mac, expected.data() + 96, 32) == 0;
}

}  // namespace portal
