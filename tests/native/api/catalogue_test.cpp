// The endpoint catalogue against docs/api.md §6: every endpoint's path on every portal, its
// method / JWT / encryption flags, and the headers built for it.
#include <doctest/doctest.h>

#include <map>
#include <set>

#include "api/catalogue.hpp"

using namespace portal;
using namespace portal::api;

namespace {

struct Row {
  const char* method;
  const char* suffix;  // after /web/v1/{portal}/ (or /web/v1/secure-channel/ for channel rows)
  bool jwt;
  bool encrypted;
};

// docs/api.md §6, written out independently of the table under test.
const std::map<Endpoint, Row> kExpected{
    {Endpoint::ChannelPublicKey, {"GET", "public-key", false, false}},
    {Endpoint::ChannelSession, {"POST", "session", false, false}},
    {Endpoint::ChannelClose, {"POST", "session/close", false, true}},
    {Endpoint::LoginInitiate, {"POST", "auth/login/initiate", false, true}},
    {Endpoint::LoginMfaSend, {"POST", "auth/login/mfa/send", false, true}},
    {Endpoint::LoginComplete, {"POST", "auth/login/complete", false, true}},
    {Endpoint::TokenRefresh, {"POST", "auth/token/refresh", false, true}},
    {Endpoint::Logout, {"POST", "auth/logout", true, true}},
    {Endpoint::RegisterSession, {"POST", "auth/register/session", false, true}},
    {Endpoint::RegisterVerifyEmail, {"POST", "auth/register/verify-email", false, true}},
    {Endpoint::RegisterComplete, {"POST", "auth/register/complete", false, true}},
    {Endpoint::PasswordForgot, {"POST", "auth/password/forgot", false, true}},
    {Endpoint::PasswordReset, {"POST", "auth/password/reset", false, true}},
    {Endpoint::PasswordInit, {"POST", "auth/password/init", true, true}},
    {Endpoint::PasswordChange, {"POST", "auth/password/change", true, true}},
    {Endpoint::Profile, {"GET", "profile", true, false}},
    {Endpoint::ProfileUpdate, {"POST", "profile/update", true, true}},
    {Endpoint::MfaState, {"GET", "security/mfa", true, false}},
    {Endpoint::OtpSetup, {"POST", "security/mfa/otp/setup", true, true}},
    {Endpoint::OtpVerify, {"POST", "security/mfa/otp/verify", true, true}},
    {Endpoint::OtpRevoke, {"POST", "security/mfa/otp/revoke", true, true}},
    {Endpoint::BackupCodesGenerate, {"POST", "security/mfa/backup-codes/generate", true, true}},
    {Endpoint::IpWhitelistGet, {"GET", "security/ip-whitelist", true, false}},
    {Endpoint::IpWhitelistSave, {"POST", "security/ip-whitelist", true, true}},
    {Endpoint::IpWhitelistEnable, {"POST", "security/ip-whitelist/enable", true, true}},
    {Endpoint::Sessions, {"GET", "security/sessions", true, false}},
    {Endpoint::SessionTerminate, {"POST", "security/sessions/terminate", true, true}},
    {Endpoint::SessionTerminateAll, {"POST", "security/sessions/terminate-all", true, true}},
    {Endpoint::Invitations, {"GET", "profile/invitations", true, false}},
    {Endpoint::InvitationAccept, {"POST", "profile/invitations/INV-1/accept", true, true}},
    {Endpoint::InvitationDecline, {"POST", "profile/invitations/INV-1/decline", true, true}},
    {Endpoint::WorkspacesMine, {"GET", "workspaces/mine", true, false}},
    {Endpoint::WorkspaceCreate, {"POST", "workspaces/create", true, true}},
    {Endpoint::WorkspaceSelectDefault, {"POST", "workspaces/select-default", true, true}},
};

bool has_param(Endpoint id) { return id == Endpoint::InvitationAccept || id == Endpoint::InvitationDecline; }

std::map<std::string, std::string> header_map(const RequestHead& head) {
  std::map<std::string, std::string> out;
  for (const auto& [name, value] : head.headers) out[name] = value;
  return out;
}

}  // namespace

TEST_CASE("catalogue: the table is complete, in Endpoint order, with distinct names") {
  REQUIRE(kExpected.size() == kEndpointCount);
  std::set<std::string> names;
  for (std::size_t i = 0; i < kEndpointCount; ++i) {
    const EndpointSpec& row = catalogue()[i];
    CHECK(static_cast<std::size_t>(row.id) == i);
    CHECK(&spec(row.id) == &row);
    names.insert(row.name);
  }
  CHECK(names.size() == kEndpointCount);
}

TEST_CASE("catalogue: every endpoint's method, flags and path on every portal") {
  for (const char* portal : {"system", "tenant", "consumer"}) {
    for (const auto& [id, row] : kExpected) {
      CAPTURE(portal);
      CAPTURE(spec(id).name);
      CHECK(std::string(spec(id).method) == row.method);
      CHECK(spec(id).jwt == row.jwt);
      CHECK(spec(id).encrypted == row.encrypted);
      const bool channel = spec(id).scope == Scope::Channel;
      const std::string expected =
          channel ? std::string("/web/v1/secure-channel/") + row.suffix
                  : "/web/v1/" + std::string(portal) + "/" + row.suffix;
      auto path = build_path(id, portal, has_param(id) ? "INV-1" : "");
      REQUIRE(path.ok());
      CHECK(path.value() == expected);
    }
  }
}

TEST_CASE("catalogue: docs/api.md §4 rule — every portal POST is encrypted, every GET plain") {
  for (const EndpointSpec& row : catalogue()) {
    if (row.scope != Scope::Portal) continue;
    CAPTURE(row.name);
    CHECK(row.encrypted == (std::string(row.method) == "POST"));
  }
}

TEST_CASE("catalogue: rate-limited endpoints are exactly docs/api.md §7") {
  std::set<Endpoint> limited;
  for (const EndpointSpec& row : catalogue())
    if (row.rate_limited) limited.insert(row.id);
  CHECK(limited == std::set<Endpoint>{Endpoint::LoginInitiate, Endpoint::LoginMfaSend, Endpoint::RegisterSession,
                                      Endpoint::PasswordForgot, Endpoint::PasswordReset, Endpoint::PasswordChange});
}

TEST_CASE("catalogue: path parameters are percent-encoded and validated") {
  auto uuid = build_path(Endpoint::InvitationAccept, "system", "a1b2c3d4-e5f6-7890-abcd-ef1234567890");
  REQUIRE(uuid.ok());
  CHECK(uuid.value() == "/web/v1/system/profile/invitations/a1b2c3d4-e5f6-7890-abcd-ef1234567890/accept");

  auto odd = build_path(Endpoint::InvitationDecline, "tenant", "a/b?c#d e%");
  REQUIRE(odd.ok());
  CHECK(odd.value() == "/web/v1/tenant/profile/invitations/a%2Fb%3Fc%23d%20e%25/decline");

  auto utf8 = build_path(Endpoint::InvitationAccept, "consumer", "\xC3\xA9");
  REQUIRE(utf8.ok());
  CHECK(utf8.value() == "/web/v1/consumer/profile/invitations/%C3%A9/accept");

  for (const char* bad : {"", ".", ".."}) {
    CAPTURE(bad);
    auto r = build_path(Endpoint::InvitationAccept, "system", bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::Caller);
    CHECK(r.error().field_errors.at(0).field == "invitationBizId");
  }
  CHECK_FALSE(build_path(Endpoint::InvitationAccept, "system", std::string(129, 'a')).ok());
  CHECK(build_path(Endpoint::InvitationAccept, "system", std::string(128, 'a')).ok());
  // A parameter on a row without one, and an unknown portal.
  CHECK_FALSE(build_path(Endpoint::Profile, "system", "x").ok());
  auto portal = build_path(Endpoint::Profile, "admin", "");
  REQUIRE_FALSE(portal.ok());
  CHECK(portal.error().kind == ErrorKind::Caller);
  // Channel rows ignore the portal namespace.
  CHECK(build_path(Endpoint::ChannelPublicKey, "system", "").value() == "/web/v1/secure-channel/public-key");
}

TEST_CASE("catalogue: headers — always access code, client hash, language; Bearer on JWT rows; channel id when given") {
  const std::string token = "tok";
  const std::string session = "sid";
  const std::string hash = "ab" + std::string(62, '0');  // HeaderContext holds views: keep the text alive
  HeaderContext context{"code-1", hash, "zh-Hant", std::string_view(token), std::string_view(session)};

  auto get = build_head(Endpoint::Profile, "system", "", HeaderContext{"code-1", "h", "en", std::string_view(token), std::nullopt});
  REQUIRE(get.ok());
  CHECK(get.value().method == "GET");
  CHECK(get.value().headers == std::vector<std::pair<std::string, std::string>>{
                                   {"X-PORTAL-ACCESS-CODE", "code-1"},
                                   {"X-Client-Hash", "h"},
                                   {"Accept-Language", "en"},
                                   {"Accept", "application/json"},
                                   {"Authorization", "Bearer tok"}});

  auto post = build_head(Endpoint::OtpVerify, "tenant", "", context);
  REQUIRE(post.ok());
  auto h = header_map(post.value());
  CHECK(h.at("Authorization") == "Bearer tok");
  CHECK(h.at("X-Secure-Channel-Session-Id") == "sid");
  CHECK(h.at("Content-Type") == "application/json");
  CHECK(h.at("Accept-Language") == "zh-Hant");
  CHECK(h.at("X-Client-Hash") == context.client_hash);

  // A non-JWT row never carries the token, even when one is offered.
  auto login = build_head(Endpoint::LoginInitiate, "consumer", "", context);
  REQUIRE(login.ok());
  CHECK(header_map(login.value()).count("Authorization") == 0);
  CHECK(header_map(login.value()).count("X-Secure-Channel-Session-Id") == 1);

  // The session open is a plain POST: Content-Type, no channel id when none is given.
  auto open = build_head(Endpoint::ChannelSession, "system", "",
                         HeaderContext{"c", "h", "en", std::nullopt, std::nullopt});
  REQUIRE(open.ok());
  CHECK(open.value().path == "/web/v1/secure-channel/session");
  CHECK(header_map(open.value()).count("X-Secure-Channel-Session-Id") == 0);
  CHECK(header_map(open.value()).at("Content-Type") == "application/json");
  CHECK(header_map(open.value()).at("X-PORTAL-ACCESS-CODE") == "c");
}
