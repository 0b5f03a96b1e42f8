// Strict base64url without padding (RFC 4648 §5), as the secure channel carries binary values.
//
// The decoder accepts exactly the canonical encoding of some byte string and nothing else:
// no '=' padding, no character outside [A-Za-z0-9_-] (no white space, no '+' or '/'), no length
// with len % 4 == 1, and no non-zero bits left over in the last character. So every byte string
// has one accepted text, and a flipped character never decodes to the same bytes.
// Built on libsodium's constant-time codec (sodium_bin2base64 / sodium_base642bin).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "channel/byte_view.hpp"
#include "common/bytes.hpp"

namespace portal {

// Encodes `bytes` (any length, including zero) to unpadded base64url.
std::string base64url_encode(ByteView bytes);

// Decodes strict unpadded base64url; nullopt on any deviation listed above.
std::optional<Bytes> base64url_decode(std::string_view text);

// Decodes into exactly `size` bytes at `out`; false (and `out` untouched) if the text is not
// strict base64url or decodes to another length. For fixed-size fields (keys, nonces, MACs).
bool base64url_decode_exact(std::string_view text, std::uint8_t* out, std::size_t size);

}  // namespace portal
