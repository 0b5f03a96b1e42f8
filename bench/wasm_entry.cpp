// Bench-only wasm module: the core's channel functions (through bench/kernels.hpp) and raw
// libsodium loops, linked with the shipped module's code generation flags
// (PORTAL_WASM_LINK_FLAGS) so its speed is the shipped module's speed. Loaded by
// bench/pages/channel.js; never copied to dist/.
//
// The timed per-request path (bench_seal, bench_open) crosses the boundary the way the shipped
// module's does (wasm/bindings.cpp): UTF-8 text through one input buffer, the answer in one
// output buffer. Set-up calls use embind.
#include <emscripten/bind.h>
#include <emscripten/emscripten.h>

#include <cstdint>
#include <string>
#include <string_view>
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
double last_seq() { return static_cast<double>(channel().last_seq()); }
std::string server_seal(const std::string& method, const std::string& path, double seq, int status,
                        const std::string& envelope) {
  return channel().server_seal(method, path, static_cast<std::uint64_t>(seq), status, envelope);
}
std::string probe_seal(const std::string& method, const std::string& path, const std::string& json) {
  return channel().probe_seal(method, path, json);
}
std::string input;   // the arguments of one bench_seal / bench_open call
std::string output;  // its answer

std::string_view text(const char* data, std::size_t size) { return {data, size}; }

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

extern "C" {

EMSCRIPTEN_KEEPALIVE char* bench_input(std::size_t size) {
  if (input.size() < size) input.resize(size);
  return input.data();
}
EMSCRIPTEN_KEEPALIVE const char* bench_output() { return output.data(); }

// Session::seal of a request JSON: the sealed body's length in the output, -1 on failure.
EMSCRIPTEN_KEEPALIVE int bench_seal(const char* method, std::size_t method_size, const char* path,
                                    std::size_t path_size, const char* json, std::size_t json_size) {
  output = channel().seal(text(method, method_size), text(path, path_size), text(json, json_size));
  return output.empty() ? -1 : static_cast<int>(output.size());
}

// Session::open of a response body: the envelope JSON's length in the output, -1 on failure.
EMSCRIPTEN_KEEPALIVE int bench_open(const char* method, std::size_t method_size, const char* path,
                                    std::size_t path_size, const char* body, std::size_t body_size, double seq,
                                    int status) {
  output = channel().open(text(method, method_size), text(path, path_size), static_cast<std::uint64_t>(seq), status,
                          text(body, body_size));
  return output.empty() ? -1 : static_cast<int>(output.size());
}

}  // extern "C"

EMSCRIPTEN_BINDINGS(portal_bench) {
  using emscripten::function;
  function("load", &load);
  function("openSession", &open_session);
  function("lastSeq", &last_seq);
  function("serverSeal", &server_seal);
  function("probeSeal", &probe_seal);
  function("aeadSeal", &aead_seal);
  function("chacha20", &chacha20);
  function("poly1305", &poly1305);
  function("x25519", &x25519);
}
