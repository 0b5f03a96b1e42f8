// HMAC-SHA256 and HKDF-SHA256 (RFC 5869) on libsodium's crypto_auth_hmacsha256.
//
// libsodium 1.0.18 has no HKDF, so extract/expand are written here exactly as RFC 5869 §2.2/§2.3.
// Messages are passed as a list of parts, hashed in order as if concatenated, so callers never
// build a temporary buffer that holds secret input (HPKE's labeled IKM, the session's ee).
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>

#include "channel/byte_view.hpp"
#include "common/bytes.hpp"
#include "common/error.hpp"

namespace portal {

inline constexpr std::size_t kHashLen = 32;                  // SHA-256 output, HKDF's HashLen
inline constexpr std::size_t kHkdfMaxOutput = 255 * kHashLen;  // RFC 5869: L <= 255 * HashLen

// out = HMAC-SHA256(key, part_1 || part_2 || ...). Any key length (long keys are hashed first).
void hmac_sha256(std::uint8_t out[kHashLen], ByteView key, std::initializer_list<ByteView> message) noexcept;

// PRK = HKDF-Extract(salt, ikm) = HMAC-SHA256(salt, ikm). An empty salt is RFC 5869's
// "HashLen zeros" (HMAC pads the key with zeros either way).
void hkdf_extract(Secret<kHashLen>& prk, ByteView salt, std::initializer_list<ByteView> ikm) noexcept;

// Writes OKM = HKDF-Expand(prk, info, size) to `out` (size bytes; 0 is allowed and writes nothing).
// Fails with CLIENT.INVALID_ARGUMENT (Caller) if size > 255 * 32, writing nothing.
// `prk` may be any length (RFC 5869 only says "at least HashLen"; Wycheproof tests other sizes).
Status hkdf_expand(std::uint8_t* out, std::size_t size, ByteView prk, std::initializer_list<ByteView> info);

}  // namespace portal
