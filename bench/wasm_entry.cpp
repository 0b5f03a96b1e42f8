// Bench-only wasm module: the core's channel functions (through bench/kernels.hpp) and raw
// libsodium loops, linked with the shipped module's flags (PORTAL_WASM_LINK_FLAGS) so its speed is
// the shipped module's speed. Loaded by bench/pages/channel.js; never copied to dist/.
#include <emscripten/bind.h>

#include <cstdint>
#include <string>
#include <vector>

#include "kernels.hpp"

namespace {

using portal::bench::ChannelBench;

ChannelBench& channel() {
  static ChannelBench bench;
  return bench;
}

// One buffer for the raw loops: input, then output with room for the tag.
std::vector<std::uint8_t>& buffer(std::size_t size) {
  static std::vector<std::uint8_t> bytes;
  if (bytes.size() < 2 * size + 16) bytes.assign(2 * size + 16, 0x61);
  return bytes;
}

std::string load(const std::string& transcript) { return channel().load(transcript); }
std::string open_session() { return channel().open_session(); }
std::string seal(const std::string& method, const std::string& path, const std::string& json) {
  return channel().seal(method, path, json);
}
double last_seq() { return static_cast<double>(channel().last_seq()); }
std::string server_seal(const std::string& method, const std::string& path, double seq, int status,
                        const std::string& envelope) {
  return channel().server_seal(method, path, static_cast<std::uint64_t>(seq), status, envelope);
}
std::string open(const std::string& method, const std::string& path, double seq, int status, const std::string& body) {
  return channel().open(method, path, static_cast<std::uint64_t>(seq), status, body);
}

int aead_seal(int size, int iterations) {
  auto& b = buffer(static_cast<std::size_t>(size));
  return portal::bench::aead_seal_loop(b.data() + size, b.data(), static_cast<std::size_t>(size), iterations);
}
int chacha20(int size, int iterations) {
  auto& b = buffer(static_cast<std::size_t>(size));
  return portal::bench::chacha20_loop(b.data() + size, b.data(), static_cast<std::size_t>(size), iterations);
}
int poly1305(int size, int iterations) {
  return portal::bench::poly1305_loop(buffer(static_cast<std::size_t>(size)).data(), static_cast<std::size_t>(size),
                                      iterations);
}
int x25519(int iterations) { return portal::bench::x25519_loop(iterations); }

}  // namespace

EMSCRIPTEN_BINDINGS(portal_bench) {
  using emscripten::function;
  function("load", &load);
  function("openSession", &open_session);
  function("seal", &seal);
  function("lastSeq", &last_seq);
  function("serverSeal", &server_seal);
  function("open", &open);
  function("aeadSeal", &aead_seal);
  function("chacha20", &chacha20);
  function("poly1305", &poly1305);
  function("x25519", &x25519);
}
