#include "channel/base64url.hpp"

#include <array>
#include <cstring>

namespace portal {

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::uint8_t kInvalid = 0xff;

constexpr std::array<std::uint8_t, 256> make_decode_table() {
  std::array<std::uint8_t, 256> table{};
  for (auto& entry : table) entry = kInvalid;
  for (std::uint8_t i = 0; i < 64; ++i) table[static_cast<unsigned char>(kAlphabet[i])] = i;
  return table;
}
constexpr std::array<std::uint8_t, 256> kDecode = make_decode_table();

}  // namespace

void base64url_append(std::string& out, ByteView bytes) {
  const std::size_t start = out.size();
  out.resize(start + (bytes.size / 3) * 4 + (bytes.size % 3 == 0 ? 0 : bytes.size % 3 + 1));
  char* o = out.data() + start;
  const std::uint8_t* p = bytes.data;
  std::size_t left = bytes.size;
  for (; left >= 3; left -= 3, p += 3, o += 4) {
    const std::uint32_t v = (std::uint32_t{p[0]} << 16) | (std::uint32_t{p[1]} << 8) | p[2];
    o[0] = kAlphabet[v >> 18];
    o[1] = kAlphabet[(v >> 12) & 63];
    o[2] = kAlphabet[(v >> 6) & 63];
    o[3] = kAlphabet[v & 63];
  }
  if (left == 1) {
    o[0] = kAlphabet[p[0] >> 2];
    o[1] = kAlphabet[(p[0] & 3) << 4];
  } else if (left == 2) {
    const std::uint32_t v = (std::uint32_t{p[0]} << 8) | p[1];
    o[0] = kAlphabet[v >> 10];
    o[1] = kAlphabet[(v >> 4) & 63];
    o[2] = kAlphabet[(v & 15) << 2];
  }
}

std::string base64url_encode(ByteView bytes) {
  std::string out;
  base64url_append(out, bytes);
  return out;
}

std::optional<std::size_t> base64url_decoded_size(std::string_view text) {
  const std::size_t tail = text.size() % 4;
  if (tail == 1) return std::nullopt;
  return text.size() / 4 * 3 + (tail == 0 ? 0 : tail - 1);
}

bool base64url_decode_to(std::string_view text, std::uint8_t* o) {
  const std::size_t tail = text.size() % 4;
  if (tail == 1) return false;
  const auto* in = reinterpret_cast<const unsigned char*>(text.data());
  std::uint8_t bad = 0;  // any invalid character sets 0xff's high bits
  std::size_t i = 0;
  for (; i + 4 <= text.size(); i += 4, o += 3) {
    const std::uint8_t a = kDecode[in[i]], b = kDecode[in[i + 1]], c = kDecode[in[i + 2]], d = kDecode[in[i + 3]];
    bad |= a | b | c | d;
    const std::uint32_t v = (std::uint32_t{a} << 18) | (std::uint32_t{b} << 12) | (std::uint32_t{c} << 6) | d;
    o[0] = static_cast<std::uint8_t>(v >> 16);
    o[1] = static_cast<std::uint8_t>(v >> 8);
    o[2] = static_cast<std::uint8_t>(v);
  }
  if (tail == 2) {
    const std::uint8_t a = kDecode[in[i]], b = kDecode[in[i + 1]];
    bad |= a | b;
    if ((b & 15) != 0) return false;  // non-zero leftover bits
    o[0] = static_cast<std::uint8_t>((a << 2) | (b >> 4));
  } else if (tail == 3) {
    const std::uint8_t a = kDecode[in[i]], b = kDecode[in[i + 1]], c = kDecode[in[i + 2]];
    bad |= a | b | c;
    if ((c & 3) != 0) return false;
    o[0] = static_cast<std::uint8_t>((a << 2) | (b >> 4));
    o[1] = static_cast<std::uint8_t>((b << 4) | (c >> 2));
  }
  return (bad & 0xc0) == 0;  // valid values are below 64
}

std::optional<Bytes> base64url_decode(std::string_view text) {
  const auto size = base64url_decoded_size(text);
  if (!size) return std::nullopt;
  Bytes out(*size);
  if (!base64url_decode_to(text, out.data())) return std::nullopt;
  return out;
}

bool base64url_decode_exact(std::string_view text, std::uint8_t* out, std::size_t size) {
  const auto decoded = base64url_decoded_size(text);
  return decoded && *decoded == size && base64url_decode_to(text, out);
}

}  // namespace portal
