// Randomness enters the core only through this interface.
//
// The core owns no generator: whoever builds a core object passes a RandomSource. Tests pass a
// fixed sequence (to reproduce the golden transcript); the wasm bindings pass a pool refilled from
// `crypto.getRandomValues` in one call; native tools may pass libsodium's randombytes.
#pragma once

#include <cstddef>
#include <cstdint>

#include "common/error.hpp"
#include "common/error_codes.hpp"

namespace portal {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  // Fills `size` bytes at `out` with cryptographically secure random bytes and answers true; false
  // when no randomness could be had (the wasm pool: crypto.getRandomValues threw), and then the
  // bytes at `out` are unspecified. The core then fails the operation with CLIENT.NO_CRYPTO.
  [[nodiscard]] virtual bool fill(std::uint8_t* out, std::size_t size) = 0;
};

// The error for a fill() that answered false.
inline Error no_random_error() {
  return Error::of(codes::kClientNoCrypto, "no cryptographic randomness (crypto.getRandomValues failed)");
}

}  // namespace portal
