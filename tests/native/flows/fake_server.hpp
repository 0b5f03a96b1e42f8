// A fake portal server and a bounded driver loop for PortalClient tests.
//
// The server side of the secure channel is built from the same src/channel primitives the client
// uses (setup_base_r, HKDF, HMAC, AEAD), so every sealed byte the client sends is really opened
// and every answer really sealed — no test-only shortcut in the client. Answers are produced by
// handlers keyed by "METHOD suffix" (suffix = the path after /web/v1/{portal}/); the defaults
// model a small portal (one account, login with MFA, token rotation, profile, workspaces,
// invitations), tests override any of them.
//
// Harness::drive() is quinn's drive_bounded: it answers requests in FIFO order until the client
// has nothing left to send, and fails the test if that takes more than a fixed number of steps.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "channel/hpke.hpp"
#include "common/json.hpp"
#include "common/random.hpp"
#include "flows/client.hpp"

namespace portal::test {

inline constexpr std::int64_t kStart = 1'790'000'000'000;  // a fixed "now"
inline constexpr const char* kPassword = "Correct-Horse-9";
inline constexpr const char* kEmail = "admin@example.com";
inline constexpr const char* kMfaCode = "123456";

std::string format_rfc3339(std::int64_t ms);
std::string format_imf_fixdate(std::int64_t ms);  // "Sun, 06 Nov 1994 08:49:37 GMT"


// What a handler answers. `envelope` is the plaintext envelope (sealed when the request was).
struct Reply {
  int status = 200;
  std::string envelope;
  Json headers = Json::object();
  bool plaintext = false;  // answer a sealed request in plaintext anyway (downgrade / pre-route errors)
  bool raw = false;        // `envelope` is the raw body as is (HTML, truncated JSON), never sealed
  bool drop = false;       // the connection fails: handle_transport_error
};
Reply ok(const Json& data);
Reply no_content();  // {"status":204,"body":null}
Reply fail(int status, const std::string& code, const std::string& message = "error", const Json& extra = Json());

// A request as the server saw it, after opening.
struct Received {
  std::string method;
  std::string path;
  std::string route;  // "METHOD suffix", e.g. "POST auth/login/initiate", "POST secure-channel/session"
  std::map<std::string, std::string> headers;
  Json body;
  bool sealed = false;
  std::string exclusive;
};

struct Wire {
  int status = 0;
  std::string headers_json = "{}";
  std::string body;
  bool drop = false;
};

class FakeServer {
 public:
  using Handler = std::function<Reply(const Received&, std::int64_t now)>;

  explicit FakeServer(std::string portal = "system");

  // Replaces the handler for `route`; `jwt` makes the server check the bearer token first (4010).
  void on(const std::string& route, Handler handler, bool jwt = true);
  Wire handle(const HttpRequest& request, std::int64_t now);

  int count(const std::string& route) const;
  std::vector<std::string> routes() const;  // every request's route, in order

  // Channel controls.
  void expire_channel_sessions() { channel_sessions_.clear(); }
  void rotate_key();           // new key; the old one is retired (session opens with it → KEY_UNKNOWN)
  void restart();              // a server restart: new key under the SAME key id, no channel sessions
  int refuse_session_opens = 0;  // the next N session opens answer SECURE_CHANNEL.DECRYPT_FAILED
  bool require_channel = true;  // plain POSTs under the portal → SECURE_CHANNEL.REQUIRED
  std::int64_t channel_ttl_ms = 1'800'000;

  // Portal model.
  Json issue_tokens(std::int64_t now, bool mfa_setup_required = false);
  void expire_access_tokens() { access_.clear(); }
  std::vector<std::string> mfa_methods{"EMAIL", "OTP"};
  std::string account_status = "ACTIVE";
  Json workspaces = Json::parse(R"([{"workspaceBizId":"WS_1","workspaceName":"One",
      "role":{"code":"OWNER","value":10050201,"label":"Owner"},"isDefault":true}])");
  Json invitations = Json::array();
  std::string token_tag;  // put inside every issued token, to make tokens easy to search for
  std::int64_t access_ttl_s = 900;
  std::int64_t login_ttl_ms = 300'000;

  std::vector<Received> log;

 private:
  struct ChannelSession {
    Bytes c2s_key, c2s_nonce, s2c_key;
    std::int64_t expires_at_ms = 0;
    std::string client_hash;
    std::set<std::uint64_t> seen;
  };
  struct Entry {
    Handler handler;
    bool jwt = true;
  };
  struct LoginSession {
    std::int64_t expires_at_ms = 0;
  };

  Wire channel_request(Received& r, const HttpRequest& request, std::int64_t now);
  Wire seal_reply(const Reply& reply, const Received& r, const std::string& session_id, std::uint64_t seq);
  static Wire plain(const Reply& reply);
  void install_defaults();

  std::string portal_;
  hpke::KeyPair key_;
  std::string key_id_;
  std::set<std::string> retired_keys_;
  int key_generation_ = 1;
  int counter_ = 0;
  std::map<std::string, ChannelSession> channel_sessions_;
  std::map<std::string, Entry> handlers_;
  std::set<std::string> access_;
  std::set<std::string> refresh_;
  std::map<std::string, LoginSession> logins_;
};

// Deterministic randomness for the client: a different counter-derived block on every call.
class CountingRandom : public RandomSource {
 public:
  bool fill(std::uint8_t* out, std::size_t size) override {
    ++calls_;
    for (std::size_t i = 0; i < size; ++i) out[i] = static_cast<std::uint8_t>(calls_ * 37 + i * 11 + 1);
    return !failing;  // failing: as the wasm pool when crypto.getRandomValues throws
  }
  int calls() const { return calls_; }
  bool failing = false;

 private:
  int calls_ = 0;
};

struct Outcome {
  bool resolved = false;
  Json payload;
};

class Harness {
 public:
  explicit Harness(ClientConfig config = default_config());
  static ClientConfig default_config();

  std::uint64_t start(const std::string& op, const Json& args = Json::object());
  Error start_error(const std::string& op, const Json& args = Json::object());
  // Answers requests FIFO until none is left (bounded); then drains events.
  void drive(int max_steps = 400);
  // Takes the requests queued now without answering them.
  std::vector<HttpRequest> take();
  void answer(const HttpRequest& request);
  void drain_events();

  Outcome outcome(std::uint64_t op) const;  // REQUIREs that the op ended
  Json result(std::uint64_t op) const;      // REQUIREs "resolved"
  Json error(std::uint64_t op) const;       // REQUIREs "rejected"
  bool ended(std::uint64_t op) const;
  // Kinds of the unsolicited events since the last clear, e.g. {"authState","tokens","route"}.
  std::vector<std::string> kinds() const;
  std::vector<Event> of_kind(const std::string& kind) const;
  void clear_events() { events.clear(); }

  // Signs in with email + MFA code and drives to DONE.
  void sign_in();

  ClientConfig config;
  CountingRandom random;
  FakeServer server;
  std::unique_ptr<PortalClient> client;
  std::int64_t now = kStart;               // the client's clock
  std::int64_t server_offset_ms = 0;       // the server's clock is now + this
  bool send_date = false;                  // answers carry a Date header (the server's clock)
  std::vector<Event> events;
  std::vector<HttpRequest> sent;
  int refused_exclusive = 0;  // exclusive requests confirm_send() declined
};

}  // namespace portal::test
