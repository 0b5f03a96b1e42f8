// Native bench executable (native-release preset): the same kernels as the bench wasm module
// (bench/kernels.hpp), compiled for this machine, so scripts/bench can put the wasm figures next to
// the native limit measured in the same run. Prints one JSON object on stdout.
//
//   portal-bench-native <transcript.json> [--quick]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "kernels.hpp"
#include "median.hpp"

namespace {

namespace pb = portal::bench;
using pb::median_us;
using Clock = std::chrono::steady_clock;

volatile unsigned sink = 0;  // keeps every kernel's result observable


// A JSON text of exactly `size` bytes (size >= 64): {"note":"aaaa…"} (the same as bench/pages/bench.js).
std::string json_of_size(std::size_t size, bool envelope) {
  const std::string head = envelope ? R"({"success":true,"code":"2000","message":"SUCCESS","data":{"note":")" : R"({"note":")";
  const std::string tail = envelope ? "\"}}" : "\"}";
  return head + std::string(size - head.size() - tail.size(), 'a') + tail;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s <transcript.json> [--quick]\n", argv[0]);
    return 2;
  }
  const bool quick = argc > 2 && std::string(argv[2]) == "--quick";
  const int samples = quick ? 3 : 15;
  std::ifstream file(argv[1]);
  std::stringstream text;
  text << file.rdbuf();
  pb::ChannelBench channel;
  if (const std::string failure = channel.load(text.str()); !failure.empty()) {
    std::fprintf(stderr, "transcript: %s\n", failure.c_str());
    return 1;
  }

  constexpr std::size_t kMiB = 1 << 20;
  std::vector<std::uint8_t> in(kMiB, 0x61), out(kMiB + 16);
  const int mib_iterations = quick ? 2 : 8;
  const double aead_us = median_us(samples, mib_iterations, [&](int n) { sink += pb::aead_seal_loop(out.data(), in.data(), kMiB, n); });
  const double chacha_us = median_us(samples, mib_iterations, [&](int n) { sink += pb::chacha20_loop(out.data(), in.data(), kMiB, n); });
  const double poly_us = median_us(samples, mib_iterations, [&](int n) { sink += pb::poly1305_loop(in.data(), kMiB, n); });
  const double x25519_us = median_us(samples, quick ? 20 : 200, [&](int n) { sink += pb::x25519_loop(n); });
  const double open_us = median_us(samples, quick ? 10 : 100, [&](int n) {
    for (int i = 0; i < n; ++i) sink += static_cast<unsigned>(channel.open_session().size());
  });

  // Per request: seal + open of the same bodies as the browser figure (responses made untimed).
  auto request_us = [&](std::size_t size) {
    const std::string path = "/web/v1/system/profile/update";
    const std::string request = json_of_size(size, false);
    const std::string envelope = json_of_size(size, true);
    const int n = quick ? 20 : 200;
    std::vector<double> times;
    for (int s = 0; s < samples; ++s) {
      std::vector<std::string> responses;
      const std::uint64_t first = channel.last_seq() + 1;
      for (int i = 0; i < n; ++i) responses.push_back(channel.server_seal("POST", path, first + i, 200, envelope));
      const auto start = Clock::now();
      for (int i = 0; i < n; ++i) {
        sink += static_cast<unsigned>(channel.seal("POST", path, request).size());
        sink += static_cast<unsigned>(channel.open("POST", path, first + i, 200, responses[i]).size());
      }
      const std::chrono::duration<double, std::micro> spent = Clock::now() - start;
      times.push_back(spent.count() / n);
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
  };
  const double request_1k_us = request_us(1024);
  const double request_16k_us = request_us(16384);

  const double mb = static_cast<double>(kMiB) / 1e6;  // MB per call; MB/µs * 1e6 = MB/s
  std::printf("{\"compiler\":\"%s\",\"aeadMBps\":%.1f,\"chacha20MBps\":%.1f,\"poly1305MBps\":%.1f,"
              "\"x25519Us\":%.2f,\"sessionOpenUs\":%.2f,\"request1KUs\":%.2f,\"request16KUs\":%.2f,\"sink\":%u}\n",
#if defined(__clang__)
              "clang " __clang_version__,
#elif defined(__GNUC__)
              "gcc " __VERSION__,
#else
              "unknown",
#endif
              mb / aead_us * 1e6, mb / chacha_us * 1e6, mb / poly_us * 1e6, x25519_us, open_us,
              request_1k_us, request_16k_us, static_cast<unsigned>(sink) & 1u);
  return 0;
}
