// The native limit as libsodium's own configure builds it on x86-64: the same 1.0.18 source with
// its SSE2/SSSE3/AVX2 code paths compiled in (target sodium_simd, cmake/libsodium.cmake) and
// chosen at run time by sodium_init(), as any application calling sodium_init() gets them. Runs
// only the raw loops (bench/loops.cpp); prints one JSON object on stdout.
//
//   portal-bench-native-simd [--quick]
#include <sodium/core.h>

#include <cstdio>
#include <string>
#include <vector>

#include "kernels.hpp"
#include "median.hpp"

namespace {

namespace pb = portal::bench;
using pb::median_us;
volatile unsigned sink = 0;


}  // namespace

int main(int argc, char** argv) {
  if (sodium_init() < 0) return 1;
  const bool quick = argc > 1 && std::string(argv[1]) == "--quick";
  const int samples = quick ? 3 : 15;
  const int iterations = quick ? 2 : 8;
  constexpr std::size_t kMiB = 1 << 20;
  std::vector<std::uint8_t> in(kMiB, 0x61), out(kMiB + 16);
  const double aead_us = median_us(samples, iterations, [&](int n) { sink += pb::aead_seal_loop(out.data(), in.data(), kMiB, n); });
  const double chacha_us = median_us(samples, iterations, [&](int n) { sink += pb::chacha20_loop(out.data(), in.data(), kMiB, n); });
  const double poly_us = median_us(samples, iterations, [&](int n) { sink += pb::poly1305_loop(in.data(), kMiB, n); });
  const double x25519_us = median_us(samples, quick ? 20 : 200, [&](int n) { sink += pb::x25519_loop(n); });
  const double mb = static_cast<double>(kMiB) / 1e6;  // MB per call; MB/µs * 1e6 = MB/s
  std::printf("{\"aeadMBps\":%.1f,\"chacha20MBps\":%.1f,\"poly1305MBps\":%.1f,\"x25519Us\":%.2f,\"sink\":%u}\n",
              mb / aead_us * 1e6, mb / chacha_us * 1e6, mb / poly_us * 1e6, x25519_us, static_cast<unsigned>(sink) & 1u);
  return 0;
}
