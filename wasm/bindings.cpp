// embind bindings: declarations only. The JS API (web/portal-client.js) is the only caller and
// checks arguments before they reach here. Structured values cross as JSON text.
#include <emscripten/bind.h>
#include <emscripten/emscripten.h>

#include <algorithm>
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

portal::JsonClient* make_client() { return new portal::JsonClient(module_random()); }

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
  using portal::JsonClient;
  class_<JsonClient>("WasmClient")
      .constructor(&make_client, allow_raw_pointers())
      .function("init", &JsonClient::init)
      .function("start", &JsonClient::start)
      .function("handleResponse", &JsonClient::handle_response)
      .function("handleTransportError", &JsonClient::handle_transport_error)
      .function("handleTimeout", &JsonClient::handle_timeout)
      .function("cancel", &JsonClient::cancel)
      .function("confirmSend", &JsonClient::confirm_send)
      .function("handlePeerTokens", &JsonClient::handle_peer_tokens)
      .function("handlePeerSignedOut", &JsonClient::handle_peer_signed_out)
      .function("setLocale", &JsonClient::set_locale)
      .function("pollRequest", &JsonClient::poll_request)
      .function("pollEvent", &JsonClient::poll_event)
      .function("pollTimeout", &JsonClient::poll_timeout)
      .function("exportState", &JsonClient::export_state)
      .function("importState", &JsonClient::import_state)
      .function("dispose", &JsonClient::dispose);
}
