// Error codes the channel layer produces itself (the server's own SECURE_CHANNEL.* codes arrive in
// plaintext envelopes and are passed through by Session::open, see session.hpp).
//
//   code                                kind      meaning
//   SECURE_CHANNEL.UNSUPPORTED_SUITE    Protocol  server key offers another HPKE suite
//   SECURE_CHANNEL.KEY_NOT_PINNED       Auth      server key is not in the configured pin set
//   SECURE_CHANNEL.MALFORMED            Protocol  peer JSON/base64url/size is not as the spec says
//   SECURE_CHANNEL.INVALID_KEY          Protocol  an X25519 result was all zeros (low-order point)
//   SECURE_CHANNEL.CONFIRM_FAILED       Auth      session `confirm` did not verify
//   SECURE_CHANNEL.DECRYPT_FAILED       Auth      an AEAD tag did not verify
//   SECURE_CHANNEL.RESPONSE_MISMATCH    Protocol  response `seq` is not the sent request's seq
//   SECURE_CHANNEL.DOWNGRADE            Protocol  plaintext non-channel answer to an encrypted request
//   SECURE_CHANNEL.SEQ_EXHAUSTED        Order     2^53 - 1 requests sent; open a new session
//   SECURE_CHANNEL.CLOSED               Order     the session or pending open was closed/consumed
//   CLIENT.INVALID_ARGUMENT             Caller    bad argument from our caller
#pragma once

#include <string>

#include "common/error.hpp"
#include "common/error_codes.hpp"  // the codes themselves (generated from spec/errors.json)

namespace portal::codes {

inline constexpr const char* kUnsupportedSuite = kSecureChannelUnsupportedSuite;
inline constexpr const char* kKeyNotPinned = kSecureChannelKeyNotPinned;
inline constexpr const char* kMalformed = kSecureChannelMalformed;
inline constexpr const char* kInvalidKey = kSecureChannelInvalidKey;
inline constexpr const char* kConfirmFailed = kSecureChannelConfirmFailed;
inline constexpr const char* kDecryptFailed = kSecureChannelDecryptFailed;
inline constexpr const char* kResponseMismatch = kSecureChannelResponseMismatch;
inline constexpr const char* kDowngrade = kSecureChannelDowngrade;
inline constexpr const char* kSeqExhausted = kSecureChannelSeqExhausted;
inline constexpr const char* kClosed = kSecureChannelClosed;
inline constexpr const char* kInvalidArgument = kClientInvalidArgument;

inline Error caller_error(std::string message) {
  return Error::of(kInvalidArgument, std::move(message));
}
inline Error malformed(std::string message) {
  return Error::of(kMalformed, std::move(message));
}

}  // namespace portal::codes
