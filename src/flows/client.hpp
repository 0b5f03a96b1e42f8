// PortalClient — the whole client protocol as one sans-IO state machine.
//
// Theory of operation
// -------------------
// The client never performs I/O and never reads a clock or a random generator of its own. Its
// owner (the JS driver in the browser, a fake server loop in the native tests) feeds it inputs
// and drains its outputs, in this order, until nothing is left:
//
//   1. start(op, args)           a user-level operation (sign in, get profile, …) → op id
//   2. poll_request()            HTTP requests to perform; each carries a request id
//      …perform them (in any order, concurrently)…
//   3. handle_response(id, …)    the HTTP answer, or handle_transport_error(id, …)
//   4. poll_event()              results: "resolved"/"rejected" for an op id, and unsolicited
//                                events (auth state, tokens, route, signed out)
//   5. poll_timeout()            the next instant at which handle_timeout(now) must be called
//                                (token refresh before expiry, channel renewal, pre-login expiry)
//
// Every input takes `now_ms` (Unix epoch milliseconds). After *any* input the owner must drain
// poll_request() and poll_event() again and re-arm its timer from poll_timeout().
//
// The client owns every protocol decision: endpoint paths and headers, opening, renewing and
// reopening the secure channel, sealing and opening bodies, decoding envelopes and errors,
// refreshing tokens (once per 4010, single-flight), routing after sign-in, validating inputs such
// as IP whitelist entries. The owner only moves bytes and time.
//
// Operations (`op` names and their `args` JSON; also in web/portal-client.d.ts). Each ends in
// exactly one "resolved" or "rejected" event. "needs": the state start() insists on (else an
// Order error: CLIENT.NOT_SIGNED_IN, CLIENT.ALREADY_SIGNED_IN, CLIENT.NO_SIGN_IN,
// CLIENT.NO_REGISTRATION, CLIENT.NO_PASSWORD_RESET; flows/auth_state.cpp has the table). An answer
// for a flow that another one replaced meanwhile is rejected with CLIENT.OUT_OF_ORDER. Unknown or mistyped args → Caller error
// CLIENT.INVALID_ARGUMENT with fieldErrors (FIELD_REQUIRED / FIELD_TYPE / FIELD_UNKNOWN / …).
//
//   op                       args                                   result
//   signIn                   {email,password}                       {"step":"MFA_REQUIRED","methods":[…]} | {"step":"DONE","route"}
//   sendMfaCode              {method:"EMAIL"}                       {sentTo,resendAfter}                   needs a sign-in
//   confirmSignIn            {method,code}                          {"step":"DONE","route"}                needs a sign-in
//   signOut                  {}                                     null (always ends signed out locally)
//   refreshSession           {}                                     {accessExpiresAt}
//   register                 {email}                                {"step":"VERIFY_EMAIL"}
//   verifyRegistrationEmail  {code}                                 {"step":"COMPLETE_REGISTRATION"}
//   completeRegistration     {accountName,password}                 {"step":"DONE","route"}  (CLIENT.EMAIL_NOT_VERIFIED before verify)
//   forgotPassword           {email}                                {"step":"RESET_PASSWORD"}              not signed in
//   resetPassword            {code,newPassword}                     {"step":"DONE"}
//   initPassword             {newPassword}                          {"route"}
//   changePassword           {currentPassword,newPassword}          null
//   getProfile / updateProfile {accountName?,accountPhone?(null ok),defaultLanguage?,defaultTimezone?,defaultCountry?}
//                                                                   the profile (accountRemark etc. → FIELD_NOT_EDITABLE)
//   getMfaState              {}                                     the MFA list
//   setupOtp                 {}                                     {secret,issuer,otpauthUri,serverUri}
//   verifyOtp                {code}                                 {"route"}  (clears mfaSetupRequired)
//   revokeOtp                {password}                             null
//   generateBackupCodes      {}                                     {codes}
//   getIpWhitelist           {}                                     {enabled,entries}
//   saveIpWhitelist          {entries,confirmLockout?}              {enabled,entries}  (CLIENT.IP_WHITELIST_LOCKOUT / _EMPTY)
//   setIpWhitelistEnabled    {enabled,confirmLockout?}              null               (same guard when enabling)
//   listSessions / terminateSession {sessionId} / terminateOtherSessions   list / null / null
//   listInvitations          {}                                     the invitation list
//   acceptInvitation         {invitationBizId}                      {workspaceBizId,becameDefaultWorkspace,nextAction,route}
//   declineInvitation        {invitationBizId}                      {"route"}
//   listWorkspaces / createWorkspace {workspaceName} / selectWorkspace {workspaceBizId}
//                                                                   list / workspace + "route" / {"route"}
//   bootstrap                {}                                     {"route"}
//   checkRoute               {name}                                 {allowed,route}  may the account open
//                            destination `name` (a route name, or WORKSPACES/PROFILE/SECURITY) now;
//                            when not, go to `route` (router.hpp "Gates"); bootstraps when it has no facts
// A "route" inside a result is null when the action succeeded but the re-route failed.
// Pre-login steps whose server session expired: Order error CLIENT.SIGN_IN_EXPIRED /
// CLIENT.REGISTRATION_EXPIRED / CLIENT.PASSWORD_RESET_EXPIRED (local clock) or the server's
// AUTH.*_SESSION_INVALID; either resets that flow to its start.
//
// Event payloads: "tokens" = {"tokens":{accessToken,refreshToken,accessExpiresAt,refreshExpiresAt,
// mfaSetupRequired}|null, "source":"local"|"peer", "reason":"SIGN_IN"|"REFRESH"|"UPDATE"|"PEER"|
// "SIGN_OUT"|"SHARE", "broadcast":bool}; handle_peer_tokens() takes exactly such a payload from
// another tab and adopts it only when fresher, within the bounds a server answer has (an access
// expiry no later than now + the longest access life this client was issued, else 10 years), and
// only when ClientConfig::persist shares tokens. "broadcast" says whether the driver posts the
// event to the other tabs: true for what happened here, false for what a peer told us (so
// nothing echoes); "signedOut" carries the same flag. "authState" = {"state":"SIGNED_OUT"|
// "SIGNING_IN"|"REGISTERING"|"RESETTING_PASSWORD"|"SIGNED_IN", "step"? (MFA_REQUIRED, VERIFY_EMAIL,
// COMPLETE_REGISTRATION, RESET_PASSWORD), "methods"? (sign-in), "email"? (registration, reset),
// "reason"? (PEER when another tab's session was adopted, *_EXPIRED when a flow ended)}; "route" = {"name", "workspaceBizId"?
// (APP), "pendingInvitations"}, name one of APP, SELECT_WORKSPACE, CREATE_WORKSPACE, INVITATIONS,
// PASSWORD_INIT, MFA_SETUP, PENDING_APPROVAL, ACCOUNT_BLOCKED (an accountStatus this client does
// not know).
//
// Errors: start() fails synchronously (Caller/Order errors) when args are invalid or the op is
// unknown; everything else ends as a "rejected" event whose payload is an error JSON
// `{kind, code, message, status, retryAfter, fieldErrors}` (+ `remainingAttempts` when the
// server gave it).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/error.hpp"
#include "common/random.hpp"

namespace portal {

enum class ChannelMode {
  Required,  // every body-carrying call is encrypted; nothing ever falls back to plaintext
  Off,       // for gateways that do not require the channel: bodies travel as plain JSON
};

struct ClientConfig {
  std::string portal;          // one of kPortals (common/names.hpp)
  std::string access_code;     // X-PORTAL-ACCESS-CODE
  std::string client_hash;     // X-Client-Hash (from identity/client_hash), fixed for the session
  std::string locale = "en";   // Accept-Language: one of kLocales (common/names.hpp)
  ChannelMode channel_mode = ChannelMode::Required;
  std::vector<std::string> pinned_keys;  // base64url server public keys; empty = no pinning
  std::int64_t refresh_leeway_ms = 60'000;  // refresh access tokens this long before expiry
  // Where the owner keeps tokens. Same-origin script can read them there anyway, so only then do
  // tokens travel to other tabs (hello answers, rotations) or get adopted from them; Memory keeps
  // every token in this client. A peer's sign-out is honoured either way.
  enum class Persist { Memory, Session, Local } persist = Persist::Memory;
};

// An HTTP request the owner must perform. `path` starts with "/web/v1/…"; the owner prefixes
// its base URL. `exclusive` names a cross-tab lock the owner must hold while sending (currently
// only "refresh"): once it holds it, the owner calls confirm_send(id) and sends only if that
// answers true.
struct HttpRequest {
  std::uint64_t id = 0;
  std::string method;
  std::string path;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // empty for GET
  std::string exclusive;
};

// An output event. `op` is the operation id for "resolved"/"rejected", 0 otherwise.
//   resolved   payload = the op's result JSON
//   rejected   payload = error JSON
//   authState  payload = {"state":"SIGNED_OUT"|"SIGNING_IN"|"REGISTERING"|"RESETTING_PASSWORD"|"SIGNED_IN",
//                         "step"?, "methods"?, "email"?, "reason"?} — once per change of state (flows/auth_state.hpp)
//   tokens     payload = token state JSON for persistence and for other tabs (see export_state)
//   signedOut  payload = {"reason":"USER"|"SESSION_EXPIRED"|"REFRESH_FAILED"|"OTHER_TAB"|"TERMINATED",
//                         "broadcast":bool}
//   route      payload = {"name":"APP"|"SELECT_WORKSPACE"|…, …}
enum class EventKind : std::uint8_t { Resolved, Rejected, AuthState, Tokens, SignedOut, Route };
// "resolved", "rejected", "authState", "tokens", "signedOut", "route".
const char* to_string(EventKind kind) noexcept;

struct Event {
  EventKind kind = EventKind::Resolved;
  std::uint64_t op = 0;
  std::string payload;
};

class PortalClient {
 public:
  // Fails with a Caller error on an invalid config (unknown portal, empty access code, bad hash).
  static Result<std::unique_ptr<PortalClient>> create(ClientConfig config, RandomSource& random);
  virtual ~PortalClient() = default;

  // Responses are at most this long (the server's own request limit is 64 KiB; its answers are
  // smaller still): a longer body is refused before it is parsed, whatever the server meant.
  static constexpr std::size_t kMaxResponseBytes = 1 << 20;

  // --- inputs -------------------------------------------------------------------------------
  virtual Result<std::uint64_t> start(std::string_view op, std::string_view args_json, std::int64_t now_ms) = 0;
  // `headers_json` is an object of the response headers the client reads (lower-case names,
  // at least "retry-after" when present). A body over kMaxResponseBytes is not read: the request
  // fails with CLIENT.BAD_RESPONSE.
  virtual void handle_response(std::uint64_t request_id, int status, std::string_view headers_json,
                               std::string_view body, std::int64_t now_ms) = 0;
  // What the driver knew when an exchange failed without an HTTP answer (bit flags of
  // handle_transport_error). The core picks the code: a fetch that was rejected outright while the
  // browser says it is online and the target is another origin is, in practice, CORS refusing it
  // (CLIENT.CORS_BLOCKED); anything else is CLIENT.NETWORK. Both are Transport errors.
  static constexpr unsigned kFetchRejected = 1;  // fetch itself rejected (a TypeError): no timeout, no abort
  static constexpr unsigned kCrossOrigin = 2;    // the request went to another origin than the page's
  static constexpr unsigned kOnline = 4;         // the browser reported itself online (navigator.onLine)
  virtual void handle_transport_error(std::uint64_t request_id, std::string_view reason, std::int64_t now_ms,
                                      unsigned facts = 0) = 0;
  virtual void handle_timeout(std::int64_t now_ms) = 0;
  // Abandons an operation (AbortSignal): it is rejected with CLIENT.ABORTED; late responses to
  // its requests are ignored.
  virtual void cancel(std::uint64_t op_id, std::int64_t now_ms) = 0;
  virtual bool confirm_send(std::uint64_t request_id, std::int64_t now_ms) = 0;
  // Another tab rotated tokens or signed out (delivered over BroadcastChannel).
  virtual void handle_peer_tokens(std::string_view tokens_json, std::int64_t now_ms) = 0;
  virtual void handle_peer_signed_out(std::int64_t now_ms) = 0;
  // A new tab asks for the session: a signed-in client whose persistence shares tokens answers
  // with a "tokens" event (reason "SHARE", broadcast); any other stays silent.
  virtual void handle_peer_hello(std::int64_t now_ms) = 0;
  // Whether this client, just created, should ask the other tabs for their session (post a hello
  // and wait briefly for the answer): only while signed out with no flow under way, and only when
  // its persistence shares tokens (never with Persist::Memory). The driver still asks no one when
  // Web Locks show that no tab holds the signed-in lock: then no tab could answer.
  virtual bool wants_peer_session() const = 0;
  // The device's network state (navigator.onLine and its events). Offline: no refresh is
  // attempted and every call fails at once with Transport error CLIENT.OFFLINE; back online, an
  // overdue refresh starts. Starts online.
  virtual void set_online(bool online, std::int64_t now_ms) = 0;
  virtual void set_locale(std::string_view locale) = 0;

  // --- outputs ------------------------------------------------------------------------------
  virtual std::optional<HttpRequest> poll_request() = 0;
  virtual std::optional<Event> poll_event() = 0;
  virtual std::optional<std::int64_t> poll_timeout() const = 0;

  // --- persistence --------------------------------------------------------------------------
  // Tokens, or the pre-login flow under way (sign-in, registration or password reset, with its
  // step and server session), as JSON; never channel keys: those stay in this page. Empty when
  // there is nothing to keep (signed out with no flow under way, or disposed). Import needs a
  // signed-out client and refuses a malformed or inconsistent state (Caller error) whole.
  virtual std::string export_state() const = 0;
  virtual Status import_state(std::string_view state_json, std::int64_t now_ms) = 0;

  // Wipes every secret (tokens, channel keys, pending credentials). Afterwards every input
  // fails with CLIENT.DISPOSED.
  virtual void dispose() = 0;
};

}  // namespace portal
