#include "flows/otpauth.hpp"
#include "common/error_codes.hpp"

namespace portal {

Result<std::string> build_otpauth_uri(std::string_view issuer, std::string_view account, std::string_view secret) {
  std::string clean;
  for (const char c : secret) {
    if (c == '=') continue;
    const char u = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    if (!((u >= 'A' && u <= 'Z') || (u >= '2' && u <= '7')))
      return Error::of(codes::kClientBadResponse, "OTP secret is not base32");
    clean.push_back(u);
  }
  if (clean.empty()) return Error::of(codes::kClientBadResponse, "OTP secret is empty");
  if (issuer.empty()) return Error::of(codes::kClientBadResponse, "OTP issuer is empty");
  const std::string enc_issuer = percent_encode(issuer);
  return "otpauth://totp/" + enc_issuer + ":" + percent_encode(account) + "?secret=" + clean + "&issuer=" + enc_issuer +
         "&algorithm=SHA1&digits=6&period=30";
}

}  // namespace portal
