// otpauth:// URIs: label and issuer percent-encoded (spaces, ':', '@', non-ASCII), secret checked.
#include <doctest/doctest.h>

#include <algorithm>

#include "flows/otpauth.hpp"

using namespace portal;

TEST_CASE("otpauth: the seed's values") {
  auto uri = build_otpauth_uri("SlaunchX", "admin@example.com", "JBSWY3DPEHPK3PXP");
  REQUIRE(uri.ok());
  CHECK(uri.value() ==
        "otpauth://totp/SlaunchX:admin%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=SlaunchX&algorithm=SHA1&digits=6&period=30");
}

TEST_CASE("otpauth: spaces, colons, reserved characters and non-ASCII are percent-encoded") {
  auto uri = build_otpauth_uri("Acme Corp: Admin", "jane doe+x@exämple.com", "jbswy3dpehpk3pxp====");
  REQUIRE(uri.ok());
  CHECK(uri.value() ==
        "otpauth://totp/Acme%20Corp%3A%20Admin:jane%20doe%2Bx%40ex%C3%A4mple.com"
        "?secret=JBSWY3DPEHPK3PXP&issuer=Acme%20Corp%3A%20Admin&algorithm=SHA1&digits=6&period=30");
  // Exactly one literal ':' in the label, never a '+' for a space.
  const std::string label = uri.value().substr(15, uri.value().find('?') - 15);
  CHECK(std::count(label.begin(), label.end(), ':') == 1);
  CHECK(uri.value().find('+') == std::string::npos);
  CHECK(uri.value().find(' ') == std::string::npos);

  auto cjk = build_otpauth_uri("门户", "用户@例子.中国", "ABCDEFGH");
  REQUIRE(cjk.ok());
  CHECK(cjk.value().rfind("otpauth://totp/%E9%97%A8%E6%88%B7:%E7%94%A8%E6%88%B7%40", 0) == 0);
  CHECK(percent_encode("a-b_c.d~e/f?g&h=i#j%") == "a-b_c.d~e%2Ff%3Fg%26h%3Di%23j%25");
}

TEST_CASE("otpauth: a secret that is not base32 or an empty issuer is the server's fault") {
  for (const char* bad : {"JBSWY3DPEHPK3PX1", "JBSW Y3DP", "", "====", "JBSW&issuer=evil"}) {
    CAPTURE(bad);
    auto uri = build_otpauth_uri("SlaunchX", "a@b.c", bad);
    REQUIRE_FALSE(uri.ok());
    CHECK(uri.error().kind == ErrorKind::Protocol);
  }
  CHECK_FALSE(build_otpauth_uri("", "a@b.c", "JBSWY3DP").ok());
}
