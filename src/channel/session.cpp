#include "channel/session.hpp"

#include <algorithm>
#include <cstring>
#include <memory>

#include <sodium/crypto_verify_32.h>
#include <sodium/utils.h>

#include "channel/base64url.hpp"
#include "channel/errors.hpp"
#include "channel/hkdf.hpp"
#include "channel/rfc3339.hpp"
#include "common/json.hpp"
#include "common/portal.hpp"

namespace portal {

namespace {

constexpr std::string_view kChannelErrorPrefix = "SECURE_CHANNEL.";
constexpr std::size_t kMinSessionIdBytes = 16;

bool all_of(std::string_view text, bool (*pred)(char)) { return std::all_of(text.begin(), text.end(), pred); }

bool is_key_id(std::string_view text) {
  return !text.empty() && text.size() <= 256 && all_of(text, [](char c) { return c >= 0x20 && c <= 0x7e; });
}

bool is_method(std::string_view text) {
  return !text.empty() && text.size() <= 16 && all_of(text, [](char c) { return c >= 'A' && c <= 'Z'; });
}

bool is_path(std::string_view text) {
  return !text.empty() && text.front() == '/' &&
         all_of(text, [](char c) { return c > 0x20 && c <= 0x7e && c != '?' && c != '#'; });
}

Error order_closed(const char* what) { return Error::of(codes::kClosed, what); }

}  // namespace

// ---- Server key ---------------------------------------------------------------------------------

Result<ServerKey> parse_public_key(std::string_view data_json, const std::vector<std::string>& pinned_keys_b64) {
  const Json data = parse_json(data_json);
  if (!data.is_object()) return codes::malformed("public-key data is not a JSON object");
  auto key_id = field<std::string>(data, "keyId");
  const auto kem = field<std::uint64_t>(data, "kemId");
  const auto kdf = field<std::uint64_t>(data, "kdfId");
  const auto aead = field<std::uint64_t>(data, "aeadId");
  auto expires_at = field<std::string>(data, "expiresAt");
  if (!key_id || !is_key_id(key_id.value()) || !kem || !kdf || !aead || !expires_at)
    return codes::malformed("public-key data lacks keyId, suite ids or expiresAt");
  if (kem.value() != hpke::kKemId || kdf.value() != hpke::kKdfId || aead.value() != hpke::kAeadId)
    return Error::of(codes::kUnsupportedSuite, "server key uses an unsupported HPKE suite");

  ServerKey key;
  key.key_id = std::move(key_id).value();
  key.expires_at = std::move(expires_at).value();
  const auto public_key = field<std::string>(data, "publicKey");
  if (!public_key || !base64url_decode_exact(public_key.value(), key.public_key.data(), key.public_key.size()))
    return codes::malformed("publicKey is not base64url of 32 bytes");
  Result<std::int64_t> expires_ms = parse_rfc3339_ms(key.expires_at);
  if (!expires_ms) return std::move(expires_ms).error();
  key.expires_at_ms = expires_ms.value();

  bool pinned = pinned_keys_b64.empty();
  for (const std::string& pin : pinned_keys_b64) {
    hpke::PublicKey pin_key{};
    if (!base64url_decode_exact(pin, pin_key.data(), pin_key.size()))
      return codes::caller_error("a pinned key is not base64url of 32 bytes");
    pinned = pinned || pin_key == key.public_key;
  }
  if (!pinned) return Error::of(codes::kKeyNotPinned, "server key is not in the pin set");
  return key;
}

// ---- Opening a session --------------------------------------------------------------------------

struct PendingSession::State {
  hpke::Context context;
  hpke::KeyPair fs;  // client forward-secrecy key pair (cfsSk, cfsPk)
  std::string key_id;
  std::string portal;
  std::string client_hash;
};

PendingSession::PendingSession() = default;
PendingSession::PendingSession(PendingSession&&) noexcept = default;
PendingSession& PendingSession::operator=(PendingSession&&) noexcept = default;
PendingSession::~PendingSession() = default;

Result<PendingSession> begin_session(const ServerKey& server_key, std::string_view portal,
                                     std::string_view client_hash, RandomSource& random) {
  if (!is_known_portal(portal)) return codes::caller_error(kUnknownPortal);
  if (!is_client_hash(client_hash)) return codes::caller_error("client hash must be 64 lower-case hex digits");
  if (!is_key_id(server_key.key_id)) return codes::caller_error("server key id must be printable ASCII");

  std::string info(kChannelInfoLabel);
  info.append(1, '\0').append(portal).append(1, '\0').append(server_key.key_id);
  Result<hpke::SenderSetup> setup = hpke::setup_base_s(server_key.public_key, info, random);  // draw 1
  if (!setup) return std::move(setup).error();

  PendingSession pending;
  pending.state_ = std::make_unique<PendingSession::State>();
  PendingSession::State& state = *pending.state_;
  state.context = std::move(setup.value().context);
  Result<hpke::KeyPair> fs = hpke::generate_key_pair(random);  // draw 2
  if (!fs) return std::move(fs).error();  // `pending` and its context wipe themselves
  state.fs = std::move(fs).value();
  state.key_id = server_key.key_id;
  state.portal = std::string(portal);
  state.client_hash = std::string(client_hash);

  std::string plaintext = dump_json(Json{{"clientHash", state.client_hash}, {"fsPublicKey", base64url_encode(state.fs.pk)}});
  Result<Bytes> payload = state.context.seal(kSessionOpenAad, plaintext);
  if (!payload) return std::move(payload).error();
  pending.request_body_ = dump_json(Json{{"keyId", state.key_id},
                                         {"enc", base64url_encode(setup.value().enc)},
                                         {"payload", base64url_encode(payload.value())}});
  return Result<PendingSession>(std::move(pending));
}

struct Session::Keys {
  hpke::Key c2s_key;
  hpke::Nonce c2s_nonce;
  hpke::Key s2c_key;
};

Result<Session> finish_session(PendingSession&& pending, std::string_view response_data_json) {
  // Take the state out first: whatever happens below, `pending` is spent and the state (HPKE
  // context, cfsSk) is wiped when `state` goes out of scope.
  const std::unique_ptr<PendingSession::State> state = std::move(pending.state_);
  pending.request_body_.clear();
  if (!state) return order_closed("pending session was already finished");

  const Json data = parse_json(response_data_json);
  if (!data.is_object()) return codes::malformed("session data is not a JSON object");
  auto session_id = field<std::string>(data, "sessionId");
  auto expires_at = field<std::string>(data, "expiresAt");
  const auto fs_public_key = field<std::string>(data, "fsPublicKey");
  const auto confirm_b64 = field<std::string>(data, "confirm");
  hpke::PublicKey server_fs_pk{};
  std::uint8_t confirm[kHashLen];
  const auto session_id_bytes = session_id ? base64url_decode(session_id.value()) : std::nullopt;
  if (!session_id_bytes || session_id_bytes->size() < kMinSessionIdBytes || !expires_at || !fs_public_key ||
      !confirm_b64 || !base64url_decode_exact(fs_public_key.value(), server_fs_pk.data(), server_fs_pk.size()) ||
      !base64url_decode_exact(confirm_b64.value(), confirm, sizeof confirm))
    return codes::malformed("session data lacks a valid sessionId, expiresAt, fsPublicKey or confirm");
  Result<std::int64_t> expires_ms = parse_rfc3339_ms(expires_at.value());
  if (!expires_ms) return std::move(expires_ms).error();

  // prk = HKDF-Extract(ctx.Export("session salt", 32), ee); then the four labelled expansions.
  hpke::Key salt, ee, prk, confirm_key;
  if (Status s = state->context.export_secret(salt.data(), salt.size(), std::string_view("session salt")); !s)
    return std::move(s).error();
  state->context.wipe();
  if (Status s = hpke::x25519(ee, state->fs.sk, server_fs_pk); !s) return std::move(s).error();
  state->fs.sk.reset();
  hkdf_extract(prk, salt, {ee});

  auto keys = std::make_unique<Session::Keys>();
  const auto expand = [&prk](std::uint8_t* out, std::size_t size, std::string_view label) {
    (void)hkdf_expand(out, size, prk, {label});  // sizes 12 and 32 cannot exceed the limit
  };
  expand(keys->c2s_key.data(), keys->c2s_key.size(), "c2s key");
  expand(keys->c2s_nonce.data(), keys->c2s_nonce.size(), "c2s nonce");
  expand(keys->s2c_key.data(), keys->s2c_key.size(), "s2c key");
  expand(confirm_key.data(), confirm_key.size(), "confirm");

  std::uint8_t expected[kHashLen];
  const std::uint8_t separator = 0x00;
  hmac_sha256(expected, confirm_key, {session_id.value(), ByteView(&separator, 1), server_fs_pk});
  if (crypto_verify_32(expected, confirm) != 0)
    return Error::of(codes::kConfirmFailed, "session confirm value did not verify");

  Session session;
  session.keys_ = std::move(keys);
  session.session_id_ = std::move(session_id).value();
  session.expires_at_ = std::move(expires_at).value();
  session.expires_at_ms_ = expires_ms.value();
  session.key_id_ = state->key_id;
  session.portal_ = state->portal;
  session.client_hash_ = state->client_hash;
  return Result<Session>(std::move(session));
}

// ---- Session ------------------------------------------------------------------------------------

Session::Session() = default;
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;
Session::~Session() = default;

void Session::close() noexcept { keys_.reset(); }

Status Session::agreed(Aead aead, ByteView key, ByteView nonce, ByteView aad, ByteView in, std::uint8_t* out,
                       std::size_t size) {
  // Runs 1 and 2 (3 only when they differ) write to out, then to spare; the spare bytes (an
  // open's are plaintext) are wiped before they are freed.
  const std::unique_ptr<std::uint8_t[]> spare(new std::uint8_t[2 * size + 1]);
  std::uint8_t* const run[3] = {out, spare.get(), spare.get() + size};
  bool ok[3];
  int answer = -1;  // the first run of two that agree
  for (int i = 0; i < 3 && answer < 0; ++i) {
    ok[i] = aead(key, nonce, aad, in, run[i]).ok();
    for (int j = 0; j < i && answer < 0; ++j)
      if (ok[i] == ok[j] && std::memcmp(run[i], run[j], size) == 0) answer = j;
  }
  if (answer > 0) std::memcpy(out, run[answer], size);
  sodium_memzero(spare.get(), 2 * size + 1);
  if (answer >= 0 && ok[answer]) return ok_status();
  sodium_memzero(out, size);
  return answer < 0 ? Error::of(codes::kClientSelfTestFailed, "AEAD runs disagreed")
                    : Error::of(codes::kDecryptFailed, "AEAD tag did not verify");
}

std::string Session::request_aad(std::string_view method, std::string_view path, std::uint64_t seq) const {
  std::string aad = "v1\n";
  aad.append(method).append("\n").append(path).append("\n").append(session_id_).append("\n");
  return aad.append(std::to_string(seq));
}

Result<SealedRequest> Session::seal(std::string_view method, std::string_view path, std::string_view plaintext_json) {
  if (!keys_) return order_closed("session is closed");
  if (!is_method(method)) return codes::caller_error("method must be upper-case ASCII letters");
  if (!is_path(path)) return codes::caller_error("path must be a URL path without query or fragment");
  if (next_seq_ > kMaxRequestSeq)
    return Error::of(codes::kSeqExhausted, "session has used every sequence number");

  const std::uint64_t seq = next_seq_++;
  const std::size_t size = plaintext_json.size() + hpke::kTagSize;
  std::unique_ptr<std::uint8_t[]> data(new std::uint8_t[size]);  // sealed into, not zero-filled first
  if (Status s = agreed(seal_, keys_->c2s_key, hpke::compute_nonce(keys_->c2s_nonce, seq),
                        request_aad(method, path, seq), plaintext_json, data.get(), size);
      !s)
    return std::move(s).error();
  return SealedRequest{seq, dump_json(Json{{"seq", seq}, {"data", base64url_encode(ByteView(data.get(), size))}})};
}

Result<std::string> Session::open(std::string_view method, std::string_view path, std::uint64_t sent_seq,
                                  int http_status, std::string_view response_body) {
  return open_parsed(method, path, sent_seq, http_status, parse_json(response_body));
}

Result<std::string> Session::open_parsed(std::string_view method, std::string_view path, std::uint64_t sent_seq,
                                         int http_status, const Json& body) {
  if (!keys_) return order_closed("session is closed");
  if (!is_method(method) || !is_path(path)) return codes::caller_error("bad method or path");
  if (sent_seq == 0 || sent_seq >= next_seq_) return codes::caller_error("sequence number was never sent");
  if (http_status < 100 || http_status > 599) return codes::caller_error("HTTP status out of range");
  const auto fail = [this](Error error) {
    close();
    return error;
  };

  const auto open_sealed = [&](std::uint64_t seq, std::string_view nonce_b64,
                               std::string_view data_b64) -> Result<std::string> {
    std::uint8_t nonce[hpke::kNonceSize];
    const auto size = base64url_decoded_size(data_b64);
    // Decoded and opened in place: buffers that every byte is written to, not zero-filled first.
    std::unique_ptr<std::uint8_t[]> data(new std::uint8_t[size.value_or(0)]);
    if (!size || !base64url_decode_to(data_b64, data.get()) || !base64url_decode_exact(nonce_b64, nonce, sizeof nonce))
      return fail(codes::malformed("encrypted response needs exactly seq, nonce and data"));
    if (seq != sent_seq)
      return fail(Error::of(codes::kResponseMismatch, "response seq is not the request's"));
    const std::string aad = request_aad(method, path, sent_seq) + "\n" + std::to_string(http_status);
    std::string envelope(*size > hpke::kTagSize ? *size - hpke::kTagSize : 0, '\0');
    if (Status s = agreed(open_, keys_->s2c_key, ByteView(nonce, sizeof nonce), aad, ByteView(data.get(), *size),
                          reinterpret_cast<std::uint8_t*>(envelope.data()), envelope.size());
        !s)
      return fail(std::move(s).error());
    return envelope;
  };

  if (!body.is_object()) return fail(codes::malformed("response body is not a JSON object"));

  if (body.contains("seq") || body.contains("nonce")) {
    // The base64url texts are read in place (a response body may be up to 1 MiB).
    const auto seq = field<std::uint64_t>(body, "seq");
    const auto nonce_b64 = body.find("nonce");
    const auto data_b64 = body.find("data");
    if (body.size() != 3 || !seq || nonce_b64 == body.end() || !nonce_b64->is_string() || data_b64 == body.end() ||
        !data_b64->is_string())
      return fail(codes::malformed("encrypted response needs exactly seq, nonce and data"));
    return open_sealed(seq.value(), nonce_b64->get_ref<const std::string&>(), data_b64->get_ref<const std::string&>());
  }

  const auto code = field<std::string>(body, "code");
  const auto success = field<bool>(body, "success");
  if (code && code.value().compare(0, kChannelErrorPrefix.size(), kChannelErrorPrefix) == 0 && success &&
      !success.value())
    return dump_json(body);
  return fail(Error::of(codes::kDowngrade, "plaintext answer to an encrypted request"));
}

}  // namespace portal
