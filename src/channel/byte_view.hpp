// A non-owning view of bytes, so the crypto layer can take keys, public values and labels alike
// without copying secrets into temporaries. (C++17 has no std::span.)
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/bytes.hpp"

namespace portal {

struct ByteView {
  const std::uint8_t* data = nullptr;
  std::size_t size = 0;

  constexpr ByteView() = default;
  constexpr ByteView(const std::uint8_t* bytes, std::size_t count) : data(bytes), size(count) {}
  ByteView(const Bytes& bytes) noexcept : data(bytes.data()), size(bytes.size()) {}  // NOLINT
  ByteView(std::string_view text) noexcept                                           // NOLINT
      : data(reinterpret_cast<const std::uint8_t*>(text.data())), size(text.size()) {}
  ByteView(const std::string& text) noexcept : ByteView(std::string_view(text)) {}   // NOLINT
  template <std::size_t N>
  ByteView(const std::array<std::uint8_t, N>& bytes) noexcept : data(bytes.data()), size(N) {}  // NOLINT
  template <std::size_t N>
  ByteView(const Secret<N>& secret) noexcept : data(secret.data()), size(N) {}  // NOLINT
};

}  // namespace portal
