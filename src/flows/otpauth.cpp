#include "flows/otpauth.hpp"

#include <cstdio>

namespace portal {

std::string percent_encode(std::string_view text) {
  std::string out;
  for (const unsigned char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                            c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out.append(buf, 3);
    }
  }
  return out;
}

Result<std::string> build_otpauth_uri(std::string_view issuer, std::string_view account, std::string_view secret) {
  std::string clean;
  for (const char c : secret) {
    if (c == '=') continue;
    const char u = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    if (!((u >= 'A' && u <= 'Z') || (u >= '2' && u <= '7')))
      return Error::make(ErrorKind::Protocol, "CLIENT.BAD_RESPONSE", "OTP secret is not base32");
    clean.push_back(u);
  }
  if (clean.empty()) return Error::make(ErrorKind::Protocol, "CLIENT.BAD_RESPONSE", "OTP secret is empty");
  if (issuer.empty()) return Error::make(ErrorKind::Protocol, "CLIENT.BAD_RESPONSE", "OTP issuer is empty");
  const std::string enc_issuer = percent_encode(issuer);
  return "otpauth://totp/" + enc_issuer + ":" + percent_encode(account) + "?secret=" + clean + "&issuer=" + enc_issuer +
         "&algorithm=SHA1&digits=6&period=30";
}

}  // namespace portal
