#include "kernels.hpp"

#include <sodium/crypto_aead_chacha20poly1305.h>

#include <cstring>
#include <optional>
#include <utility>

#include <nlohmann/json.hpp>

#include "channel/base64url.hpp"
#include "channel/hpke.hpp"
#include "channel/session.hpp"
#include "common/bytes.hpp"
#include "common/random.hpp"

namespace portal::bench {
namespace {

using nlohmann::json;

// Hands out the transcript's two secrets (HPKE ephemeral, then forward secrecy) in turn, forever.
class CyclingRandom final : public RandomSource {
 public:
  Bytes draws[2];
  bool fill(std::uint8_t* out, std::size_t size) override {
    const Bytes& next = draws[index_];
    index_ = (index_ + 1) % 2;
    if (next.size() != size) {  // never with the transcript: begin_session draws 32 + 32
      std::memset(out, 0, size);
      return true;
    }
    std::memcpy(out, next.data(), size);
    return true;
  }

 private:
  std::size_t index_ = 0;
};

std::string field(const json& object, const char* name) {
  const auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

struct ChannelBench::State {
  CyclingRandom random;
  std::optional<ServerKey> server_key;
  std::string portal;
  std::string client_hash;
  std::string session_response;  // the `data` of the session response, as JSON text
  std::string session_id;
  Bytes s2c_key;
  Bytes c2s_key;
  Bytes c2s_nonce;
  std::optional<Session> session;
  std::uint64_t last_seq = 0;
};

ChannelBench::ChannelBench() : state_(std::make_unique<State>()) {}
ChannelBench::~ChannelBench() = default;

std::string ChannelBench::load(std::string_view transcript_json) {
  const json t = json::parse(transcript_json, nullptr, false);
  if (t.is_discarded() || !t.is_object()) return "transcript is not JSON";
  const json& in = t.value("inputs", json::object());
  State& s = *state_;
  if (!from_hex(field(in, "hpkeEphemeralSk"), s.random.draws[0]) || !from_hex(field(in, "clientFsSk"), s.random.draws[1]) ||
      !from_hex(field(t.value("derived", json::object()), "s2cKey"), s.s2c_key) ||
      !from_hex(field(t.value("derived", json::object()), "c2sKey"), s.c2s_key) ||
      !from_hex(field(t.value("derived", json::object()), "c2sNonce"), s.c2s_nonce)) {
    return "transcript lacks its secrets";
  }
  auto key = parse_public_key(t.value("publicKeyResponseData", json::object()).dump(), {});
  if (!key.ok()) return key.error().code;
  s.server_key = std::move(key).value();
  s.portal = field(in, "portal");
  s.client_hash = field(in, "clientHash");
  s.session_id = field(in, "sessionId");
  s.session_response = t.value("sessionResponseData", json::object()).dump();
  return open_session();
}

std::string ChannelBench::open_session() {
  State& s = *state_;
  if (!s.server_key) return "not loaded";
  s.session.reset();
  s.last_seq = 0;
  auto pending = begin_session(*s.server_key, s.portal, s.client_hash, s.random);
  if (!pending.ok()) return pending.error().code;
  auto session = finish_session(std::move(pending).value(), s.session_response);
  if (!session.ok()) return session.error().code;
  s.session.emplace(std::move(session).value());
  return {};
}

std::string ChannelBench::seal(std::string_view method, std::string_view path, std::string_view plaintext_json) {
  State& s = *state_;
  if (!s.session) return {};
  auto sealed = s.session->seal(method, path, plaintext_json);
  if (!sealed.ok()) return {};
  s.last_seq = sealed.value().seq;
  return std::move(sealed).value().body;
}

std::string ChannelBench::probe_seal(std::string_view method, std::string_view path, std::string_view plaintext_json) {
  std::string body = seal(method, path, plaintext_json);
  if (body.empty()) return "--|";
  const State& s = *state_;
  const json parsed = json::parse(body, nullptr, false);
  const auto sealed = base64url_decode(field(parsed, "data"));
  if (!sealed || sealed->size() < hpke::kTagSize) return "AB|" + body;
  hpke::Nonce base;
  std::memcpy(base.data(), s.c2s_nonce.data(), base.size());
  const hpke::Nonce nonce = hpke::compute_nonce(base, s.last_seq);
  const std::string aad = "v1\n" + std::string(method) + "\n" + std::string(path) + "\n" + s.session_id + "\n" +
                          std::to_string(s.last_seq);
  const ByteView key(s.c2s_key.data(), s.c2s_key.size());
  Bytes again(plaintext_json.size() + hpke::kTagSize);
  (void)hpke::aead_seal_to(key, nonce, aad, plaintext_json, again.data());
  std::string reopened(sealed->size() - hpke::kTagSize + 1, '\0');
  const bool opened = hpke::aead_open_to(key, nonce, aad, *sealed, reinterpret_cast<std::uint8_t*>(reopened.data())).ok();
  reopened.pop_back();
  std::string flags = again != *sealed ? "A" : "-";
  flags += !opened || reopened != plaintext_json ? "B" : "-";
  return flags + "|" + body;
}

std::uint64_t ChannelBench::last_seq() const noexcept { return state_->last_seq; }

std::string ChannelBench::server_seal(std::string_view method, std::string_view path, std::uint64_t seq, int status,
                                      std::string_view envelope_json) const {
  const State& s = *state_;
  std::uint8_t nonce[crypto_aead_chacha20poly1305_IETF_NPUBBYTES] = {0x5e, 0x4b, 0x3c, 0x2d};
  for (int i = 0; i < 8; ++i) nonce[11 - i] = static_cast<std::uint8_t>(seq >> (8 * i));
  const std::string aad = "v1\n" + std::string(method) + "\n" + std::string(path) + "\n" + s.session_id + "\n" +
                          std::to_string(seq) + "\n" + std::to_string(status);
  Bytes sealed(envelope_json.size() + crypto_aead_chacha20poly1305_IETF_ABYTES);
  unsigned long long sealed_size = 0;
  crypto_aead_chacha20poly1305_ietf_encrypt(sealed.data(), &sealed_size,
                                            reinterpret_cast<const unsigned char*>(envelope_json.data()),
                                            envelope_json.size(), reinterpret_cast<const unsigned char*>(aad.data()),
                                            aad.size(), nullptr, nonce, s.s2c_key.data());
  return json{{"seq", seq},
              {"nonce", base64url_encode(ByteView(nonce, sizeof nonce))},
              {"data", base64url_encode(ByteView(sealed.data(), static_cast<std::size_t>(sealed_size)))}}
      .dump();
}

std::string ChannelBench::open(std::string_view method, std::string_view path, std::uint64_t seq, int status,
                               std::string_view response_body) {
  State& s = *state_;
  if (!s.session) return {};
  auto opened = s.session->open(method, path, seq, status, response_body);
  return opened.ok() ? std::move(opened).value() : std::string();
}

}  // namespace portal::bench
