// TextFacade — the PortalClient as strings in, strings out, for the wasm boundary.
//
// The bindings (wasm/bindings.cpp) expose this class as it is; it holds the only JSON encoding of
// requests, events and errors that the JS API reads, so that the bindings only move bytes:
//
//   init(config_json)            → "" on success
//   start(op, args_json, now)    → {"op":N}
//   poll_request()               → {"id","method","path","headers":[[name,value]…],"exclusive"} or ""
//   take_request_body()          → that request's body ("" for GET), handed over once
//   poll_event()                 → {"kind","op","payload":…} or ""
//   poll_timeout()               → epoch ms, or -1 when no timer is needed
//   import_state(json, now)      → "" on success
//   handle_*(…), cancel(…)       → "" (they fail on a bad id or time only)
//   wants_peer_session()         → bool (false once disposed)
// Every one of them that fails answers the one failure shape {"error":{…}}, and nothing else does.
//
// Ids and times (epoch ms) arrive as f64: a value that is not an integer of magnitude at most
// 2^53 - 1 (ids: not negative) is refused as CLIENT.INVALID_ARGUMENT (Caller), and the call does
// nothing; confirm_send() answers false.
//
// An error JSON is {"kind","code","message","status","retryAfter","fieldErrors":[{field,code,message}]}
// (retryAfter null when absent; "remainingAttempts" only when the server gave it). Every call after dispose() answers CLIENT.DISPOSED.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "common/error.hpp"
#include "common/random.hpp"
#include "flows/client.hpp"

namespace portal {

// The error JSON above as text, and the same wrapped as {"error":{…}}: what every call that fails answers.
std::string error_text(const Error& error);
std::string error_answer(const Error& error);

class TextFacade {
 public:
  // `random` must outlive this object.
  explicit TextFacade(RandomSource& random) : random_(random) {}

  std::string init(std::string_view config_json);
  std::string start(std::string_view op, std::string_view args_json, double now_ms);
  std::string handle_response(double request_id, int status, std::string_view headers_json, std::string_view body,
                              double now_ms);
  std::string handle_transport_error(double request_id, std::string_view reason, double now_ms, unsigned facts = 0);
  std::string handle_timeout(double now_ms);
  std::string cancel(double op_id, double now_ms);
  bool confirm_send(double request_id, double now_ms);
  std::string handle_peer_tokens(std::string_view tokens_json, double now_ms);
  std::string handle_peer_signed_out(double now_ms);
  std::string handle_peer_hello(double now_ms);
  bool wants_peer_session() const;
  std::string set_online(bool online, double now_ms);
  void set_locale(std::string_view locale);

  std::string poll_request();
  std::string take_request_body();
  std::string poll_event();
  double poll_timeout() const;

  std::string export_state() const;
  std::string import_state(std::string_view state_json, double now_ms);
  void dispose();

 private:
  RandomSource& random_;
  std::unique_ptr<PortalClient> client_;
  std::string request_body_;  // of the request poll_request() returned last
};

// Parses the JS API's config object: {"portal","accessCode","clientHash","locale",
// "secureChannel":"required"|"off","pinnedKeys":[…],"refreshLeewayMs","persist":"memory"|"session"|"local"}.
Result<ClientConfig> parse_client_config(std::string_view config_json);

// Known-answer self-test of the primitives the module depends on (X25519 with the base point and
// another one, multi-block ChaCha20-Poly1305, HMAC-SHA256), run once when the module loads, so a
// miscompiled module refuses to start. True when all answers match. `corrupt_byte` < 128 flips one
// byte of the known answers (text_facade.cpp lists them), which must make it fail: tests only.
bool self_test(std::size_t corrupt_byte = SIZE_MAX);

}  // namespace portal
