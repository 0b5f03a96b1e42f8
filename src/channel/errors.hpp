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

namespace portal::codes {

inline constexpr const char* kUnsupportedSuite = "SECURE_CHANNEL.UNSUPPORTED_SUITE";
inline constexpr const char* kKeyNotPinned = "SECURE_CHANNEL.KEY_NOT_PINNED";
inline constexpr const char* kMalformed = "SECURE_CHANNEL.MALFORMED";
inline constexpr const char* kInvalidKey = "SECURE_CHANNEL.INVALID_KEY";
inline constexpr const char* kConfirmFailed = "SECURE_CHANNEL.CONFIRM_FAILED";
inline constexpr const char* kDecryptFailed = "SECURE_CHANNEL.DECRYPT_FAILED";
inline constexpr const char* kResponseMismatch = "SECURE_CHANNEL.RESPONSE_MISMATCH";
inline constexpr const char* kDowngrade = "SECURE_CHANNEL.DOWNGRADE";
inline constexpr const char* kSeqExhausted = "SECURE_CHANNEL.SEQ_EXHAUSTED";
inline constexpr const char* kClosed = "SECURE_CHANNEL.CLOSED";
inline constexpr const char* kInvalidArgument = "CLIENT.INVALID_ARGUMENT";

inline Error caller_error(std::string message) {
  return Error::make(ErrorKind::Caller, kInvalidArgument, std::move(message));
}
inline Error malformed(std::string message) {
  return Error::make(ErrorKind::Protocol, kMalformed, std::move(message));
}

}  // namespace portal::codes
