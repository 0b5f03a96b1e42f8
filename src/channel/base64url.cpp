#include "channel/base64url.hpp"

#include <cstring>

#include <sodium/utils.h>

namespace portal {

namespace {
constexpr int kVariant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
}

std::string base64url_encode(ByteView bytes) {
  // sodium_base64_ENCODED_LEN counts the terminating NUL.
  std::string out(sodium_base64_ENCODED_LEN(bytes.size, kVariant), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data, bytes.size, kVariant);
  out.resize(out.size() - 1);
  return out;
}

std::optional<Bytes> base64url_decode(std::string_view text) {
  Bytes out(text.size() / 4 * 3 + 2);
  std::size_t length = 0;
  // With ignore = NULL and b64_end = NULL, libsodium fails on any character outside the alphabet
  // (including '=' for the no-padding variant), on leftover bits and on len % 4 == 1.
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &length, nullptr,
                        kVariant) != 0)
    return std::nullopt;
  out.resize(length);
  return out;
}

bool base64url_decode_exact(std::string_view text, std::uint8_t* out, std::size_t size) {
  const auto decoded = base64url_decode(text);
  if (!decoded || decoded->size() != size) return false;
  if (size != 0) std::memcpy(out, decoded->data(), size);
  return true;
}

}  // namespace portal
