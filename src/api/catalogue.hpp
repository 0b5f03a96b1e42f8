// The endpoint catalogue: the one table that knows every endpoint of docs/api.md §6, and the
// request-head builder that turns a table row into a method, a path and the seeds' headers.
//
// Nothing else in the core spells a path or decides whether a call carries a JWT or an
// encrypted body: flows name an `Endpoint` and ask this file.
//
//   spec(id)          the row: method, path template, JWT?, encrypted?, rate limited?
//   build_path(...)   "/web/v1/{portal}/<suffix>" (or the un-namespaced secure-channel path),
//                     with `{invitationBizId}` filled in percent-encoded; Caller error if the
//                     portal is unknown or the parameter is empty / a dot segment / too long
//   build_head(...)   method + path + headers, in a fixed order:
//                       X-PORTAL-ACCESS-CODE, X-Client-Hash, Accept-Language, Accept,
//                       Authorization (JWT rows, when a token is given),
//                       X-Secure-Channel-Session-Id (when a channel session id is given),
//                       Content-Type: application/json (every POST)
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.hpp"

namespace portal::api {

enum class Endpoint {
  ChannelPublicKey,
  ChannelSession,
  ChannelClose,
  LoginInitiate,
  LoginMfaSend,
  LoginComplete,
  TokenRefresh,
  Logout,
  RegisterSession,
  RegisterVerifyEmail,
  RegisterComplete,
  PasswordForgot,
  PasswordReset,
  PasswordInit,
  PasswordChange,
  Profile,
  ProfileUpdate,
  MfaState,
  OtpSetup,
  OtpVerify,
  OtpRevoke,
  BackupCodesGenerate,
  IpWhitelistGet,
  IpWhitelistSave,
  IpWhitelistEnable,
  Sessions,
  SessionTerminate,
  SessionTerminateAll,
  Invitations,
  InvitationAccept,
  InvitationDecline,
  WorkspacesMine,
  WorkspaceCreate,
  WorkspaceSelectDefault,
};

enum class Scope {
  Channel,  // /web/v1/secure-channel/<suffix>, not portal-namespaced
  Portal,   // /web/v1/{portal}/<suffix>
};

struct EndpointSpec {
  Endpoint id;
  const char* name;    // stable, for tests and logs: "auth/login/initiate"
  const char* method;  // "GET" | "POST"
  Scope scope;
  const char* suffix;  // may hold one "{invitationBizId}" parameter
  bool jwt;            // needs Authorization: Bearer
  bool encrypted;      // body sealed over the secure channel (docs/api.md §4)
  bool rate_limited;   // may answer RATE_LIMITED / 429 (docs/api.md §7)
};

inline constexpr std::size_t kEndpointCount = 34;

// The whole table, in `Endpoint` order.
const std::array<EndpointSpec, kEndpointCount>& catalogue();
const EndpointSpec& spec(Endpoint id);

// Path for `id` on `portal`; `param` fills the path parameter (required iff the row has one).
Result<std::string> build_path(Endpoint id, std::string_view portal, std::string_view param = {});

// What the headers depend on besides the row.
struct HeaderContext {
  std::string_view access_code;
  std::string_view client_hash;
  std::string_view locale;
  std::optional<std::string_view> access_token;        // attached on JWT rows
  std::optional<std::string_view> channel_session_id;  // attached when present
};

struct RequestHead {
  std::string method;
  std::string path;
  std::vector<std::pair<std::string, std::string>> headers;
};

Result<RequestHead> build_head(Endpoint id, std::string_view portal, std::string_view param,
                               const HeaderContext& context);

}  // namespace portal::api
