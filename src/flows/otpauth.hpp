// The otpauth:// URI for authenticator apps (Google Authenticator "Key Uri Format").
//
//   otpauth://totp/<issuer>:<account>?secret=<BASE32>&issuer=<issuer>&algorithm=SHA1&digits=6&period=30
//
// <issuer> and <account> are each percent-encoded as UTF-8 bytes, everything outside RFC 3986
// "unreserved" escaped — so a space is %20 (never '+'), '@' is %40 and a ':' inside the issuer
// is %3A; the one literal ':' separates issuer and account. The secret must be RFC 4648 base32
// (A–Z, 2–7, padding dropped, lower case accepted and upper-cased).
#pragma once

#include <string>
#include <string_view>

#include "common/error.hpp"
#include "common/uri.hpp"  // percent_encode, for <issuer> and <account>

namespace portal {

// Protocol error CLIENT.BAD_RESPONSE when the secret is not base32 or the issuer is empty
// (both come from the server).
Result<std::string> build_otpauth_uri(std::string_view issuer, std::string_view account, std::string_view secret);

}  // namespace portal
