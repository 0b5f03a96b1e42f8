#include "api/catalogue.hpp"
#include "common/error_codes.hpp"

#include "common/portal.hpp"
#include "common/uri.hpp"

namespace portal::api {
namespace {

constexpr const char* kGet = "GET";
constexpr const char* kPost = "POST";
constexpr Scope kCh = Scope::Channel;
constexpr Scope kP = Scope::Portal;

// docs/api.md §6. Rule (§4): every POST under P/ is encrypted, every GET plain; the channel's own
// endpoints follow docs/secure-channel.md (public-key plain GET, session plain POST, close sealed).
//                 id                               name                                method scope suffix                                    JWT    enc    RL
constexpr std::array<EndpointSpec, kEndpointCount> kTable{{
    {Endpoint::ChannelPublicKey,       "secure-channel/public-key",          kGet,  kCh, "public-key",                               false, false, false},
    {Endpoint::ChannelSession,         "secure-channel/session",             kPost, kCh, "session",                                  false, false, false},
    {Endpoint::ChannelClose,           "secure-channel/session/close",       kPost, kCh, "session/close",                            false, true,  false},
    {Endpoint::LoginInitiate,          "auth/login/initiate",                kPost, kP,  "auth/login/initiate",                      false, true,  true},
    {Endpoint::LoginMfaSend,           "auth/login/mfa/send",                kPost, kP,  "auth/login/mfa/send",                      false, true,  true},
    {Endpoint::LoginComplete,          "auth/login/complete",                kPost, kP,  "auth/login/complete",                      false, true,  false},
    {Endpoint::TokenRefresh,           "auth/token/refresh",                 kPost, kP,  "auth/token/refresh",                       false, true,  false},
    {Endpoint::Logout,                 "auth/logout",                        kPost, kP,  "auth/logout",                              true,  true,  false},
    {Endpoint::RegisterSession,        "auth/register/session",              kPost, kP,  "auth/register/session",                    false, true,  true},
    {Endpoint::RegisterVerifyEmail,    "auth/register/verify-email",         kPost, kP,  "auth/register/verify-email",               false, true,  false},
    {Endpoint::RegisterComplete,       "auth/register/complete",             kPost, kP,  "auth/register/complete",                   false, true,  false},
    {Endpoint::PasswordForgot,         "auth/password/forgot",               kPost, kP,  "auth/password/forgot",                     false, true,  true},
    {Endpoint::PasswordReset,          "auth/password/reset",                kPost, kP,  "auth/password/reset",                      false, true,  true},
    {Endpoint::PasswordInit,           "auth/password/init",                 kPost, kP,  "auth/password/init",                       true,  true,  false},
    {Endpoint::PasswordChange,         "auth/password/change",               kPost, kP,  "auth/password/change",                     true,  true,  true},
    {Endpoint::Profile,                "profile",                            kGet,  kP,  "profile",                                  true,  false, false},
    {Endpoint::ProfileUpdate,          "profile/update",                     kPost, kP,  "profile/update",                           true,  true,  false},
    {Endpoint::MfaState,               "security/mfa",                       kGet,  kP,  "security/mfa",                             true,  false, false},
    {Endpoint::OtpSetup,               "security/mfa/otp/setup",             kPost, kP,  "security/mfa/otp/setup",                   true,  true,  false},
    {Endpoint::OtpVerify,              "security/mfa/otp/verify",            kPost, kP,  "security/mfa/otp/verify",                  true,  true,  false},
    {Endpoint::OtpRevoke,              "security/mfa/otp/revoke",            kPost, kP,  "security/mfa/otp/revoke",                  true,  true,  false},
    {Endpoint::BackupCodesGenerate,    "security/mfa/backup-codes/generate", kPost, kP,  "security/mfa/backup-codes/generate",       true,  true,  false},
    {Endpoint::IpWhitelistGet,         "security/ip-whitelist (GET)",        kGet,  kP,  "security/ip-whitelist",                    true,  false, false},
    {Endpoint::IpWhitelistSave,        "security/ip-whitelist (POST)",       kPost, kP,  "security/ip-whitelist",                    true,  true,  false},
    {Endpoint::IpWhitelistEnable,      "security/ip-whitelist/enable",       kPost, kP,  "security/ip-whitelist/enable",             true,  true,  false},
    {Endpoint::Sessions,               "security/sessions",                  kGet,  kP,  "security/sessions",                        true,  false, false},
    {Endpoint::SessionTerminate,       "security/sessions/terminate",        kPost, kP,  "security/sessions/terminate",              true,  true,  false},
    {Endpoint::SessionTerminateAll,    "security/sessions/terminate-all",    kPost, kP,  "security/sessions/terminate-all",          true,  true,  false},
    {Endpoint::Invitations,            "profile/invitations",                kGet,  kP,  "profile/invitations",                      true,  false, false},
    {Endpoint::InvitationAccept,       "profile/invitations/accept",         kPost, kP,  "profile/invitations/{invitationBizId}/accept",  true, true, false},
    {Endpoint::InvitationDecline,      "profile/invitations/decline",        kPost, kP,  "profile/invitations/{invitationBizId}/decline", true, true, false},
    {Endpoint::WorkspacesMine,         "workspaces/mine",                    kGet,  kP,  "workspaces/mine",                          true,  false, false},
    {Endpoint::WorkspaceCreate,        "workspaces/create",                  kPost, kP,  "workspaces/create",                        true,  true,  false},
    {Endpoint::WorkspaceSelectDefault, "workspaces/select-default",          kPost, kP,  "workspaces/select-default",                true,  true,  false},
}};

constexpr std::string_view kParam = "{invitationBizId}";
constexpr std::size_t kMaxParam = 128;

Error caller(const char* code, std::string message) {
  return Error::of(code, std::move(message));
}

}  // namespace

const std::array<EndpointSpec, kEndpointCount>& catalogue() { return kTable; }

const EndpointSpec& spec(Endpoint id) { return kTable[static_cast<std::size_t>(id)]; }

Result<std::string> build_path(Endpoint id, std::string_view portal, std::string_view param) {
  const EndpointSpec& row = spec(id);
  std::string suffix = row.suffix;
  const auto at = suffix.find(kParam);
  if (at != std::string::npos) {
    // Dot segments would be resolved by a URL parser (even as %2e) and change the route.
    if (param.empty() || param == "." || param == "..") {
      Error e = caller(codes::kClientInvalidArgument, "invitationBizId must be a non-empty id");
      e.field_errors.push_back({"invitationBizId", "FIELD_INVALID", e.message});
      return e;
    }
    if (param.size() > kMaxParam) {
      Error e = caller(codes::kClientInvalidArgument, "invitationBizId is too long");
      e.field_errors.push_back({"invitationBizId", "FIELD_TOO_LONG", e.message});
      return e;
    }
    suffix.replace(at, kParam.size(), percent_encode(param));
  } else if (!param.empty()) {
    return caller(codes::kClientInvalidArgument, std::string(row.name) + " takes no path parameter");
  }
  if (row.scope == Scope::Channel) return "/web/v1/secure-channel/" + suffix;
  if (!is_known_portal(portal)) return caller(codes::kClientInvalidArgument, "unknown portal '" + std::string(portal) + "'");
  return "/web/v1/" + std::string(portal) + "/" + suffix;
}

Result<RequestHead> build_head(Endpoint id, std::string_view portal, std::string_view param,
                               const HeaderContext& context) {
  const EndpointSpec& row = spec(id);
  auto path = build_path(id, portal, param);
  if (!path.ok()) return std::move(path).error();
  RequestHead head;
  head.method = row.method;
  head.path = std::move(path).value();
  auto& h = head.headers;
  h.emplace_back("X-PORTAL-ACCESS-CODE", std::string(context.access_code));
  h.emplace_back("X-Client-Hash", std::string(context.client_hash));
  h.emplace_back("Accept-Language", std::string(context.locale));
  h.emplace_back("Accept", "application/json");
  if (row.jwt && context.access_token) h.emplace_back("Authorization", "Bearer " + std::string(*context.access_token));
  if (context.channel_session_id) h.emplace_back("X-Secure-Channel-Session-Id", std::string(*context.channel_session_id));
  if (head.method == kPost) h.emplace_back("Content-Type", "application/json");
  return head;
}

}  // namespace portal::api
