// embind bindings: declarations only. The JS API (web/portal-client.js) is the only caller and
// checks arguments before they reach here. Structured values cross as JSON text.
#include <emscripten/bind.h>
#include <emscripten/em_js.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "common/bytes.hpp"
#include "common/random.hpp"
#include "facade/json_client.hpp"
#include "identity/client_hash.hpp"

// One crypto.getRandomValues call fills the whole pool (libsodium's Emscripten randombytes
// makes one JS call per byte). The JS API refuses to load without crypto.getRandomValues.
EM_JS(void, fill_from_crypto, (std::uint8_t * out, std::size_t size), {
  crypto.getRandomValues(HEAPU8.subarray(out, out + size));
});

namespace {

class CryptoRandomPool final : public portal::RandomSource {
 public:
  ~CryptoRandomPool() override { portal::wipe(pool_, sizeof pool_); }
  void fill(std::uint8_t* out, std::size_t size) override {
    while (size > 0) {
      if (used_ == sizeof pool_) {
        fill_from_crypto(pool_, sizeof pool_);
        used_ = 0;
      }
      const std::size_t take = std::min(size, sizeof pool_ - used_);
      std::copy(pool_ + used_, pool_ + used_ + take, out);
      portal::wipe(pool_ + used_, take);  // a byte handed out is never handed out again
      used_ += take;
      out += take;
      size -= take;
    }
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

class WasmClient : public portal::JsonClient {
 public:
  WasmClient() : JsonClient(module_random()) {}
};

std::string client_hash(const std::string& portal_name, const std::string& signals_json, const std::string& install_id) {
  auto hash = portal::client_hash(portal_name, signals_json, install_id);
  return hash.ok() ? hash.value() : "{\"error\":" + portal::error_to_json(hash.error()) + "}";
}

std::string core_version() { return PORTAL_VERSION; }

}  // namespace

EMSCRIPTEN_BINDINGS(portal_core) {
  using namespace emscripten;
  function("version", &core_version);
  function("selfTest", &portal::self_test);
  function("clientHash", &client_hash);
  class_<WasmClient>("WasmClient")
      .constructor<>()
      .function("init", &WasmClient::init)
      .function("start", &WasmClient::start)
      .function("handleResponse", &WasmClient::handle_response)
      .function("handleTransportError", &WasmClient::handle_transport_error)
      .function("handleTimeout", &WasmClient::handle_timeout)
      .function("cancel", &WasmClient::cancel)
      .function("confirmSend", &WasmClient::confirm_send)
      .function("handlePeerTokens", &WasmClient::handle_peer_tokens)
      .function("handlePeerSignedOut", &WasmClient::handle_peer_signed_out)
      .function("setLocale", &WasmClient::set_locale)
      .function("pollRequest", &WasmClient::poll_request)
      .function("pollEvent", &WasmClient::poll_event)
      .function("pollTimeout", &WasmClient::poll_timeout)
      .function("exportState", &WasmClient::export_state)
      .function("importState", &WasmClient::import_state)
      .function("dispose", &WasmClient::dispose);
}
