// base64url (src/channel/base64url.*): the table decoder, the in-place decoder and the
// constant-time exact decoder against a reference written here and against libsodium's
// sodium_base642bin; encode -> decode round trips. Input: the text to decode, also used as bytes
// to encode.
#include <sodium/utils.h>

#include <optional>
#include <vector>

#include "channel/base64url.hpp"
#include "fuzz_check.hpp"

using namespace portal;

namespace {

int value_of(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

// RFC 4648 §5 without padding, canonical only: a bit-accumulator decoder.
std::optional<Bytes> reference_decode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  Bytes out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (const char ch : text) {
    const int v = value_of(static_cast<unsigned char>(ch));
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>(acc >> bits));
      acc &= (1u << bits) - 1;
    }
  }
  if (acc != 0) return std::nullopt;  // non-zero leftover bits: not canonical
  return out;
}

std::optional<Bytes> sodium_decode(std::string_view text) {
  std::vector<unsigned char> out(text.size() + 1);
  std::size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, &end,
                        sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
      end != text.data() + text.size())
    return std::nullopt;
  return Bytes(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(len));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto decoded = base64url_decode(text);

  // Differential: the reference always; libsodium only on 7-bit text (1.0.18 reads bytes >= 0x80
  // as '_'), and the project's decoder refuses any byte >= 0x80 itself.
  FUZZ_CHECK(decoded == reference_decode(text));
  bool ascii = true;
  for (const char ch : text) ascii = ascii && static_cast<unsigned char>(ch) < 0x80;
  if (ascii) FUZZ_CHECK(decoded == sodium_decode(text));
  else FUZZ_CHECK(!decoded);

  // The sized and in-place decoders agree with it.
  const auto decoded_size = base64url_decoded_size(text);
  FUZZ_CHECK(decoded_size.has_value() == (text.size() % 4 != 1));
  if (decoded) FUZZ_CHECK(decoded_size && *decoded_size == decoded->size());
  if (decoded_size) {
    Bytes buffer(*decoded_size + 1, 0xA5);
    const bool ok = base64url_decode_to(text, buffer.data());
    FUZZ_CHECK(ok == decoded.has_value());
    FUZZ_CHECK(buffer.back() == 0xA5);  // nothing written past the size
    if (ok) FUZZ_CHECK(Bytes(buffer.begin(), buffer.end() - 1) == *decoded);
  }

  // The constant-time exact decoder: success iff the text is the encoding of exactly n bytes.
  for (const std::size_t n : {decoded ? decoded->size() : std::size_t{0}, std::size_t{12}, std::size_t{32}}) {
    Bytes out(n + 1, 0);
    const bool ok = base64url_decode_exact(text, out.data(), n);
    FUZZ_CHECK(ok == (decoded && decoded->size() == n));
    if (ok) FUZZ_CHECK(Bytes(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n)) == *decoded);
  }

  // Canonical: an accepted text is what encoding its bytes gives back.
  if (decoded) FUZZ_CHECK(base64url_encode(*decoded) == text);

  // Round trip of the input as bytes; append is encode after a prefix.
  const Bytes bytes(data, data + size);
  const std::string encoded = base64url_encode(bytes);
  FUZZ_CHECK(encoded.size() == (size * 4 + 2) / 3);
  FUZZ_CHECK(base64url_decode(encoded) == bytes);
  FUZZ_CHECK(sodium_decode(encoded) == bytes);
  std::string appended = "x";
  base64url_append(appended, bytes);
  FUZZ_CHECK(appended == "x" + encoded);
  return 0;
}
