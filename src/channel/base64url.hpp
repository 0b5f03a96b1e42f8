// Strict base64url without padding (RFC 4648 §5), as the secure channel carries binary values.
//
// The decoder accepts exactly the canonical encoding of some byte string and nothing else:
// no '=' padding, no character outside [A-Za-z0-9_-] (no white space, no '+' or '/'), no length
// with len % 4 == 1, and no non-zero bits left over in the last character. So every byte string
// has one accepted text, and a flipped character never decodes to the same bytes.
//
// One table-driven codec for every base64url value (ciphertexts, nonces, public keys, session ids,
// confirm, pins, the install id). libsodium 1.0.18's sodium_base642bin is not used: its decoder
// keeps a character in a signed char and reads any byte >= 0x80 as '_', so non-canonical text
// (bf ae b6 b1 -> ff ff ff) decoded like the canonical one. The table decoder is not constant-time
// (the table is indexed by the text); nothing it decodes is a secret key.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "channel/byte_view.hpp"
#include "common/bytes.hpp"

namespace portal {

// Encodes `bytes` (any length, including zero) to unpadded base64url. Not constant-time: public
// values only.
std::string base64url_encode(ByteView bytes);

// Appends the encoding of `bytes` to `out` (one allocation for a whole JSON body).
void base64url_append(std::string& out, ByteView bytes);

// Decodes canonical unpadded base64url; std::nullopt for any other text. Not constant-time:
// public values only.
std::optional<Bytes> base64url_decode(std::string_view text);
// The same into a caller's buffer of base64url_decoded_size(text) bytes (no zero-filled
// intermediate); false for any text base64url_decode refuses. The size is std::nullopt for a
// length no unpadded encoding has (length % 4 == 1).
std::optional<std::size_t> base64url_decoded_size(std::string_view text);
bool base64url_decode_to(std::string_view text, std::uint8_t* out);

// Decodes into exactly `size` bytes at `out`; false (and `out` unspecified) when `text` is not the
// canonical encoding of `size` bytes.
bool base64url_decode_exact(std::string_view text, std::uint8_t* out, std::size_t size);

}  // namespace portal
