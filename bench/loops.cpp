// The raw libsodium loops of bench/kernels.hpp. Depends on libsodium only, so the same file also
// builds against the SIMD-enabled native libsodium (portal-bench-native-simd).
#include "kernels.hpp"

#include <sodium/crypto_aead_chacha20poly1305.h>
#include <sodium/crypto_onetimeauth_poly1305.h>
#include <sodium/crypto_scalarmult_curve25519.h>
#include <sodium/crypto_stream_chacha20.h>

#include <cstring>

namespace portal::bench {

namespace {
const std::uint8_t kKey[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                               17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
const std::uint8_t kNonce[12] = {7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7};
}  // namespace

std::uint8_t aead_seal_loop(std::uint8_t* out, const std::uint8_t* in, std::size_t size, int iterations) {
  unsigned long long out_size = 0;
  for (int i = 0; i < iterations; ++i) {
    crypto_aead_chacha20poly1305_ietf_encrypt(out, &out_size, in, size, nullptr, 0, nullptr, kNonce, kKey);
  }
  return out[size];  // the first tag byte
}

std::uint8_t chacha20_loop(std::uint8_t* out, const std::uint8_t* in, std::size_t size, int iterations) {
  for (int i = 0; i < iterations; ++i) crypto_stream_chacha20_ietf_xor(out, in, size, kNonce, kKey);
  return out[size - 1];
}

std::uint8_t poly1305_loop(const std::uint8_t* in, std::size_t size, int iterations) {
  std::uint8_t tag[crypto_onetimeauth_poly1305_BYTES] = {};
  for (int i = 0; i < iterations; ++i) crypto_onetimeauth_poly1305(tag, in, size, kKey);
  return tag[0];
}

std::uint8_t x25519_loop(int iterations) {
  std::uint8_t point[32] = {9};
  std::uint8_t scalar[32];
  std::memcpy(scalar, kKey, sizeof scalar);
  for (int i = 0; i < iterations; ++i) {
    std::uint8_t next[32];
    if (crypto_scalarmult_curve25519(next, scalar, point) != 0) return 0;
    std::memcpy(point, next, sizeof point);  // a chain, so each result feeds the next call
  }
  return point[0];
}

}  // namespace portal::bench
