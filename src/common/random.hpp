// Randomness enters the core only through this interface.
//
// The core owns no generator: whoever builds a core object passes a RandomSource. Tests pass a
// fixed sequence (to reproduce the golden transcript); the wasm bindings pass a pool refilled from
// `crypto.getRandomValues` in one call; native tools may pass libsodium's randombytes.
#pragma once

#include <cstddef>
#include <cstdint>

namespace portal {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  // Fills `size` bytes at `out` with cryptographically secure random bytes.
  virtual void fill(std::uint8_t* out, std::size_t size) = 0;
};

}  // namespace portal
