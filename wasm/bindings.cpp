// The module's boundary: plain C exports over the facade, no generated glue. The JS API
// (web/portal-client.js, `instantiateCore`) is the only caller; it checks arguments before they
// reach here.
//
// Text crosses as UTF-8 bytes in linear memory, never as JS strings copied a char at a time:
//   in   JS asks portal_input(n) for n bytes, encodes every string argument of one call into them
//        (TextEncoder.encodeInto) and passes (pointer, length) pairs. The input is wiped when the
//        call returns (it held passwords, codes, tokens).
//   out  a call that answers text puts it in the one output buffer and returns its length (-1 for
//        "nothing"); JS reads portal_output() .. +length (TextDecoder, or a byte copy for a
//        request body handed to fetch). The previous answer is wiped when the next replaces it.
// Numbers cross as f64 (ids and epoch milliseconds are integers below 2^53; anything else is
// refused as CLIENT.INVALID_ARGUMENT).
//
// Failure has one shape: every export that can fail answers {"error":{kind,code,message,…}} and
// nothing else; success is -1 (nothing) or a JSON object ({"op":N}, {"hash":"…"}). The JS API
// decodes both in one place (`answer` in web/portal-client.js).
//
// Imports: env.portal_random(pointer, length) -> 0 or 1 (failed), filled by crypto.getRandomValues;
// env.portal_parse_number(pointer, length) -> f64, the core's strtod (src/common/js_strtod.cpp);
// and two the standalone C library brings: env.emscripten_notify_memory_growth (a no-op for the JS API, which
// renews its views on use) and wasi_snapshot_preview1.proc_exit (abort). No Emscripten JS runtime;
// memory grows inside wasm.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/bytes.hpp"
#include "common/random.hpp"
#include "facade/text_facade.hpp"
#include "identity/client_hash.hpp"

#define PORTAL_EXPORT(name) extern "C" __attribute__((used, export_name(#name)))

// 0 when `size` random bytes were written at `out`; non-zero when crypto.getRandomValues threw (the
// JS side catches it: no exception ever unwinds through wasm).
extern "C" __attribute__((import_module("env"), import_name("portal_random"))) int portal_random(
    std::uint8_t* out, std::size_t size);

namespace {

// One import call fills the whole pool (libsodium's Emscripten randombytes makes one JS call per
// byte). The JS API refuses to load without crypto.getRandomValues. When a refill fails the pool
// stays empty (the next fill tries again), the bytes already handed to `out` are wiped and fill
// answers false, which the core reports as CLIENT.NO_CRYPTO.
class CryptoRandomPool final : public portal::RandomSource {
 public:
  ~CryptoRandomPool() override { portal::wipe(pool_, sizeof pool_); }
  bool fill(std::uint8_t* out, std::size_t size) override {
    std::uint8_t* const start = out;
    while (size > 0) {
      if (used_ == sizeof pool_) {
        if (portal_random(pool_, sizeof pool_) != 0) {
          portal::wipe(pool_, sizeof pool_);
          portal::wipe(start, static_cast<std::size_t>(out - start));
          return false;
        }
        used_ = 0;
      }
      const std::size_t take = std::min(size, sizeof pool_ - used_);
      std::copy(pool_ + used_, pool_ + used_ + take, out);
      portal::wipe(pool_ + used_, take);  // a byte handed out is never handed out again
      used_ += take;
      out += take;
      size -= take;
    }
    return true;
  }

 private:
  std::uint8_t pool_[256] = {};
  std::size_t used_ = sizeof pool_;
};

// The module's one random source, shared by every client in this JS realm.
portal::RandomSource& module_random() {
  static CryptoRandomPool pool;
  return pool;
}

std::string input;       // arguments of the call in progress
std::size_t input_used;  // how much of it the call asked for (what is wiped)
std::string output;      // the last answer

// Wipes the call's arguments when the exported function returns.
struct InputScope {
  ~InputScope() { portal::wipe(input.data(), input_used); }
};

int answer(std::string text) {
  portal::wipe(output.data(), output.size());
  output = std::move(text);
  return static_cast<int>(output.size());
}
int answer_or_nothing(std::string text) { return text.empty() ? -1 : answer(std::move(text)); }

std::string_view text(const char* data, std::size_t size) { return {data, size}; }

}  // namespace

using portal::TextFacade;

// Buffer for the next call's arguments: at least `size` bytes, contents unspecified.
PORTAL_EXPORT(portal_input) char* portal_input(std::size_t size) {
  if (input.size() < size) input.resize(size);
  input_used = size;
  return input.data();
}

PORTAL_EXPORT(portal_output) const char* portal_output() { return output.data(); }

PORTAL_EXPORT(portal_version) int portal_version() { return answer(PORTAL_VERSION); }

// 1 when the known-answer tests of X25519, ChaCha20-Poly1305 and HMAC-SHA256 pass.
PORTAL_EXPORT(portal_self_test) int portal_self_test() { return portal::self_test() ? 1 : 0; }

// {"hash":"<hex client hash>"}, or {"error":{…}}.
PORTAL_EXPORT(portal_client_hash)
int portal_client_hash(const char* name, std::size_t name_size, const char* signals, std::size_t signals_size,
                       const char* install_id, std::size_t install_id_size) {
  InputScope scope;
  auto hash = portal::client_hash(text(name, name_size), text(signals, signals_size), text(install_id, install_id_size));
  return answer(hash.ok() ? "{\"hash\":\"" + std::move(hash).value() + "\"}" : portal::error_answer(hash.error()));
}

PORTAL_EXPORT(portal_client_new) TextFacade* portal_client_new() { return new TextFacade(module_random()); }
PORTAL_EXPORT(portal_client_delete) void portal_client_delete(TextFacade* client) { delete client; }

// The TextFacade methods one for one (src/facade/text_facade.hpp says what each answers).
PORTAL_EXPORT(portal_init) int portal_init(TextFacade* client, const char* config, std::size_t size) {
  InputScope scope;
  return answer_or_nothing(client->init(text(config, size)));
}

PORTAL_EXPORT(portal_start)
int portal_start(TextFacade* client, const char* op, std::size_t op_size, const char* args, std::size_t args_size,
                 double now_ms) {
  InputScope scope;
  return answer(client->start(text(op, op_size), text(args, args_size), now_ms));
}

PORTAL_EXPORT(portal_handle_response)
int portal_handle_response(TextFacade* client, double request_id, int status, const char* headers,
                            std::size_t headers_size, const char* body, std::size_t body_size, double now_ms) {
  InputScope scope;
  return answer_or_nothing(
      client->handle_response(request_id, status, text(headers, headers_size), text(body, body_size), now_ms));
}

// The longest response body portal_handle_response reads (PortalClient::kMaxResponseBytes): the JS
// API copies at most one byte more, so an oversized answer never fills linear memory.
PORTAL_EXPORT(portal_max_response_bytes) double portal_max_response_bytes() {
  return static_cast<double>(portal::PortalClient::kMaxResponseBytes);
}

PORTAL_EXPORT(portal_handle_transport_error)
int portal_handle_transport_error(TextFacade* client, double request_id, const char* reason, std::size_t size,
                                   unsigned facts, double now_ms) {
  InputScope scope;
  return answer_or_nothing(client->handle_transport_error(request_id, text(reason, size), now_ms, facts));
}

PORTAL_EXPORT(portal_handle_timeout) int portal_handle_timeout(TextFacade* client, double now_ms) {
  return answer_or_nothing(client->handle_timeout(now_ms));
}

PORTAL_EXPORT(portal_cancel) int portal_cancel(TextFacade* client, double op_id, double now_ms) {
  return answer_or_nothing(client->cancel(op_id, now_ms));
}

PORTAL_EXPORT(portal_confirm_send) int portal_confirm_send(TextFacade* client, double request_id, double now_ms) {
  return client->confirm_send(request_id, now_ms) ? 1 : 0;
}

PORTAL_EXPORT(portal_handle_peer_tokens)
int portal_handle_peer_tokens(TextFacade* client, const char* tokens, std::size_t size, double now_ms) {
  InputScope scope;
  return answer_or_nothing(client->handle_peer_tokens(text(tokens, size), now_ms));
}

PORTAL_EXPORT(portal_handle_peer_signed_out) int portal_handle_peer_signed_out(TextFacade* client, double now_ms) {
  return answer_or_nothing(client->handle_peer_signed_out(now_ms));
}

PORTAL_EXPORT(portal_handle_peer_hello) int portal_handle_peer_hello(TextFacade* client, double now_ms) {
  return answer_or_nothing(client->handle_peer_hello(now_ms));
}

PORTAL_EXPORT(portal_wants_peer_session) int portal_wants_peer_session(TextFacade* client) {
  return client->wants_peer_session() ? 1 : 0;
}

PORTAL_EXPORT(portal_set_online) int portal_set_online(TextFacade* client, int online, double now_ms) {
  return answer_or_nothing(client->set_online(online != 0, now_ms));
}

PORTAL_EXPORT(portal_set_locale) void portal_set_locale(TextFacade* client, const char* locale, std::size_t size) {
  InputScope scope;
  client->set_locale(text(locale, size));
}

// The next request's head, or -1; its body (for fetch, as bytes) follows from portal_request_body.
PORTAL_EXPORT(portal_poll_request) int portal_poll_request(TextFacade* client) {
  return answer_or_nothing(client->poll_request());
}
PORTAL_EXPORT(portal_request_body) int portal_request_body(TextFacade* client) {
  return answer(client->take_request_body());
}

PORTAL_EXPORT(portal_poll_event) int portal_poll_event(TextFacade* client) {
  return answer_or_nothing(client->poll_event());
}

PORTAL_EXPORT(portal_poll_timeout) double portal_poll_timeout(TextFacade* client) { return client->poll_timeout(); }

PORTAL_EXPORT(portal_export_state) int portal_export_state(TextFacade* client) {
  return answer_or_nothing(client->export_state());
}

PORTAL_EXPORT(portal_import_state)
int portal_import_state(TextFacade* client, const char* state, std::size_t size, double now_ms) {
  InputScope scope;
  return answer_or_nothing(client->import_state(text(state, size), now_ms));
}

PORTAL_EXPORT(portal_dispose) void portal_dispose(TextFacade* client) { client->dispose(); }
