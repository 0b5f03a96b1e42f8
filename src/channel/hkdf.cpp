#include "channel/hkdf.hpp"

#include <algorithm>
#include <cstring>

#include <sodium/crypto_auth_hmacsha256.h>

#include "channel/errors.hpp"

namespace portal {

namespace {

void hmac_init(crypto_auth_hmacsha256_state& state, ByteView key) noexcept {
  // libsodium declares the key pointer nonnull even for an empty key (an empty HKDF salt).
  static constexpr std::uint8_t kNoKey = 0;
  crypto_auth_hmacsha256_init(&state, key.size != 0 ? key.data : &kNoKey, key.size);
}

void hmac_update(crypto_auth_hmacsha256_state& state, std::initializer_list<ByteView> parts) noexcept {
  for (const ByteView& part : parts)
    if (part.size != 0) crypto_auth_hmacsha256_update(&state, part.data, part.size);
}

// The state holds the padded key's inner/outer hash state: wipe it like the key itself.
void hmac_final(crypto_auth_hmacsha256_state& state, std::uint8_t out[kHashLen]) noexcept {
  crypto_auth_hmacsha256_final(&state, out);
  wipe(&state, sizeof state);
}

}  // namespace

void hmac_sha256(std::uint8_t out[kHashLen], ByteView key, std::initializer_list<ByteView> message) noexcept {
  crypto_auth_hmacsha256_state state;
  hmac_init(state, key);
  hmac_update(state, message);
  hmac_final(state, out);
}

void hkdf_extract(Secret<kHashLen>& prk, ByteView salt, std::initializer_list<ByteView> ikm) noexcept {
  hmac_sha256(prk.data(), salt, ikm);
}

Status hkdf_expand(std::uint8_t* out, std::size_t size, ByteView prk, std::initializer_list<ByteView> info) {
  if (size > kHkdfMaxOutput) return codes::caller_error("HKDF-Expand length exceeds 255 * HashLen");
  // T(0) = empty; T(i) = HMAC(PRK, T(i-1) || info || i); OKM = first `size` bytes of T(1) || T(2) ...
  Secret<kHashLen> block;
  std::size_t previous = 0;  // length of T(i-1): 0 for T(0)
  for (std::uint8_t counter = 1; size != 0; ++counter) {
    crypto_auth_hmacsha256_state state;
    hmac_init(state, prk);
    hmac_update(state, {ByteView(block.data(), previous)});
    hmac_update(state, info);
    hmac_update(state, {ByteView(&counter, 1)});
    hmac_final(state, block.data());
    previous = kHashLen;
    const std::size_t take = std::min(size, kHashLen);
    std::memcpy(out, block.data(), take);
    out += take;
    size -= take;
  }
  return ok_status();
}

}  // namespace portal
