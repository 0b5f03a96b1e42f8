// Byte strings and secrets.
//
// `Bytes` is a plain owned byte string. `Secret<N>` holds key material of a fixed size and wipes
// it with sodium_memzero when it is destroyed or reset, so no copy of a key outlives its owner.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace portal {

using Bytes = std::vector<std::uint8_t>;

// Wipes `size` bytes at `data` in a way the compiler may not optimise away.
void wipe(void* data, std::size_t size) noexcept;
inline void wipe(Bytes& bytes) noexcept { wipe(bytes.data(), bytes.size()); bytes.clear(); }
inline void wipe(std::string& text) noexcept { wipe(text.data(), text.size()); text.clear(); }

inline Bytes to_bytes(std::string_view text) { return Bytes(text.begin(), text.end()); }
inline std::string to_string(const Bytes& bytes) { return std::string(bytes.begin(), bytes.end()); }

// Lower-case hex, for tests, logs of public values and the client hash.
std::string to_hex(const std::uint8_t* data, std::size_t size);
inline std::string to_hex(const Bytes& bytes) { return to_hex(bytes.data(), bytes.size()); }
// Returns false (and leaves `out` empty) on odd length or a non-hex character.
bool from_hex(std::string_view hex, Bytes& out);

template <std::size_t N>
class Secret {
 public:
  Secret() noexcept { bytes_.fill(0); }
  Secret(const Secret& other) noexcept : bytes_(other.bytes_) {}
  Secret& operator=(const Secret& other) noexcept { bytes_ = other.bytes_; return *this; }
  ~Secret() { reset(); }

  void reset() noexcept { wipe(bytes_.data(), N); }
  std::uint8_t* data() noexcept { return bytes_.data(); }
  const std::uint8_t* data() const noexcept { return bytes_.data(); }
  static constexpr std::size_t size() noexcept { return N; }

 private:
  std::array<std::uint8_t, N> bytes_;
};

}  // namespace portal
