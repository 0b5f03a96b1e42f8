// ClientImpl — the PortalClient implementation (internal header; the contract is client.hpp).
//
// Layers, bottom up, each in its own file:
//
//   calls.cpp     the Call engine. A Call is one logical API call: it waits for what it needs
//                 (a fresh access token, an open channel session), is sealed and sent, and its
//                 answer is opened and decoded into data or an Error. It resends itself at most
//                 once after SECURE_CHANNEL.SESSION_INVALID / KEY_UNKNOWN (with a new session, and
//                 a refetched key for KEY_UNKNOWN), and after a 4010 it waits for one refresh and
//                 is retried once; a second 4010 signs out. Its continuation (`Done`) runs exactly
//                 once — unless the owning op was cancelled, then never.
//   channel.cpp   secure-channel lifecycle: fetch the key (cached until its expiresAt), open a
//                 session lazily, renew it kChannelRenewMarginMs before expiresAt; waiting calls
//                 queue on it. Uses channel/session.hpp for every byte of crypto.
//   session.cpp   token lifecycle: install tokens, single-flight refresh (the request is marked
//                 exclusive "refresh" and goes out only if confirm_send() agrees), proactive
//                 refresh timer, local sign-out, peer tabs.
//   ops_*.cpp     operations as small continuation chains over Calls (auth, account, security).
//   client.cpp    PortalClient entry points, op table and dispatch, events, persistence, dispose.
//   auth_state.cpp  the auth state machine's tables: states × events → state, what each op needs.
//                 apply() (session.cpp) is the one place state_ changes.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/catalogue.hpp"
#include "api/envelope.hpp"
#include "channel/session.hpp"
#include "common/callback.hpp"
#include "common/json.hpp"
#include "flows/auth_state.hpp"
#include "flows/client.hpp"
#include "flows/router.hpp"
#include "flows/tokens.hpp"

namespace portal {

// Open a new channel session this long before the current one's expiresAt.
inline constexpr std::int64_t kChannelRenewMarginMs = 30'000;
// After a failed proactive refresh, wait this long before the timer tries again.
inline constexpr std::int64_t kRefreshRetryMs = 30'000;
// A peer tab's access expiry may exceed now + the longest issued access life by this much (the
// peer received its answer a little earlier or later than we did ours).
inline constexpr std::int64_t kPeerSlackMs = 5'000;

// A pre-login session lives minutes; an expiry claimed more than a day ahead is cut to a day
// (server answers) or refused (import_state).
inline constexpr std::int64_t kMaxFlowLifeMs = 24LL * 3600 * 1000;

using Done = Callback<void(Result<Json>, std::int64_t now_ms)>;

// The server session of the pre-login flow under way (which flow: the auth state says).
struct PreLogin {
  std::string session_id;
  std::int64_t expires_at_ms = 0;
  std::vector<std::string> methods;  // sign-in: offered MFA methods
  std::string email;                 // registration, reset: the address the code went to

  void clear() {
    wipe(session_id);
    expires_at_ms = 0;
    methods.clear();
    wipe(email);
  }
};

class ClientImpl final : public PortalClient {
 public:
  ClientImpl(ClientConfig config, RandomSource& random);
  ~ClientImpl() override;

  Result<std::uint64_t> start(std::string_view op, std::string_view args_json, std::int64_t now_ms) override;
  void handle_response(std::uint64_t request_id, int status, std::string_view headers_json, std::string_view body,
                       std::int64_t now_ms) override;
  void handle_transport_error(std::uint64_t request_id, std::string_view reason, std::int64_t now_ms,
                              unsigned facts = 0) override;
  void handle_timeout(std::int64_t now_ms) override;
  void cancel(std::uint64_t op_id, std::int64_t now_ms) override;
  bool confirm_send(std::uint64_t request_id, std::int64_t now_ms) override;
  void handle_peer_tokens(std::string_view tokens_json, std::int64_t now_ms) override;
  void handle_peer_signed_out(std::int64_t now_ms) override;
  void handle_peer_hello(std::int64_t now_ms) override;
  bool wants_peer_session() const override;
  void set_online(bool online, std::int64_t now_ms) override;
  void set_locale(std::string_view locale) override;
  std::optional<HttpRequest> poll_request() override;
  std::optional<Event> poll_event() override;
  std::optional<std::int64_t> poll_timeout() const override;
  std::string export_state() const override;
  Status import_state(std::string_view state_json, std::int64_t now_ms) override;
  void dispose() override;

  // ---- the op table (client.cpp) --------------------------------------------------------------
  using Handler = Status (ClientImpl::*)(std::uint64_t op, const Json& args, std::int64_t now);
  struct OpSpec {
    const char* name;
    Need need;
    std::vector<const char*> fields;  // accepted argument names
    Handler handler;
  };
  static const std::vector<OpSpec>& op_table();

 private:
  // ---- calls (calls.cpp) ----------------------------------------------------------------------
  struct CallOptions {
    std::string param;                         // path parameter
    std::optional<std::string> bearer;         // JWT to use instead of the current one (sign-out)
    bool refresh = false;                      // the single-flight refresh call
  };
  struct Call {
    std::uint64_t id = 0;
    std::uint64_t op = 0;  // 0 = internal (refresh), never cancelled
    api::Endpoint endpoint{};
    CallOptions options;
    std::string body;  // JSON text for POST; wiped when the call ends
    Done done;
    int channel_retries = 0;
    int auth_retries = 0;
    std::uint64_t token_generation = 0;  // tokens the last attempt carried
    std::uint64_t request = 0;           // request id in flight, 0 when not sent
    std::shared_ptr<Session> sealed_with;  // channel session of the attempt in flight
    std::uint64_t seq = 0;
  };
  using Calls = std::map<std::uint64_t, Call>;
  enum class Purpose { Call, KeyFetch, SessionOpen };
  struct InFlight {
    Purpose purpose = Purpose::Call;
    std::uint64_t call = 0;
    bool needs_confirm = false;
  };

  void call(std::uint64_t op, api::Endpoint endpoint, Json body, Done done, std::int64_t now,
            CallOptions options);
  void call(std::uint64_t op, api::Endpoint endpoint, Json body, Done done, std::int64_t now) {
    call(op, endpoint, std::move(body), std::move(done), now, CallOptions());
  }
  void advance(std::uint64_t call_id, std::int64_t now);
  void send(Call& c, std::int64_t now);
  void on_call_answer(std::uint64_t call_id, Result<Json> result, std::int64_t now);
  Result<Json> open_answer(Call& c, int status, const Json& headers, std::string_view body, std::int64_t now);
  void finish(std::uint64_t call_id, Result<Json> result, std::int64_t now);
  // A request that got no usable answer (transport failure, oversized body): its call finishes
  // with `e`, or, for the channel's own requests, the channel fails with it.
  void fail_request(const InFlight& f, const Error& e, std::int64_t now);
  // Forgets a call without running its continuation; an answer to its request is ignored.
  Calls::iterator drop_call(Calls::iterator it);
  void fail_waiters(std::vector<std::uint64_t>& waiters, const Error& error, std::int64_t now);
  void wake(std::vector<std::uint64_t>& waiters, std::int64_t now);
  std::uint64_t push_request(api::RequestHead head, std::string body, InFlight purpose, std::string exclusive);
  bool uses_channel(api::Endpoint endpoint) const;
  // The headers every request carries (no token, no channel session id yet).
  api::HeaderContext header_context() const;

  // ---- channel (channel.cpp) ------------------------------------------------------------------
  bool channel_ready(std::int64_t now) const;
  void ensure_channel(std::int64_t now);
  void begin_channel_session(std::int64_t now);
  void send_channel_request(api::Endpoint endpoint, std::string body, Purpose purpose, std::int64_t now);
  void on_key_answer(int status, const Json& headers, std::string_view body, std::int64_t now);
  void on_session_answer(int status, const Json& headers, std::string_view body, std::int64_t now);
  void channel_failed(const Error& error, std::int64_t now);
  void drop_session(const std::shared_ptr<Session>& which);
  void close_channel_locally();
  // The server's clock from a response's Date header: clock_offset_ms_ = server − local.
  void note_server_clock(const Json& headers, std::int64_t now);
  // An absolute server instant (expiresAt) on the local clock.
  std::int64_t to_local(std::int64_t server_ms) const { return server_ms - clock_offset_ms_; }

  // ---- tokens and sessions (session.cpp) -----------------------------------------------------
  // ---- the auth state machine (session.cpp; the tables are in auth_state.cpp) -----------------
  // Moves state_ by the table, then reports the change (one authState event when what the page
  // sees changed). No row: an Order error CLIENT.OUT_OF_ORDER, and nothing changes.
  Status apply(AuthEvent event, Reason reason = Reason::None);
  // What an "authState" event says; compared, not its JSON text, to decide whether to emit.
  struct AuthView {
    AuthState state = AuthState::SignedOut;  // Refreshing is reported as SignedIn
    std::vector<std::string> methods;
    std::string email;
    bool operator==(const AuthView& o) const { return state == o.state && methods == o.methods && email == o.email; }
  };
  AuthView auth_view() const;
  // Whether a token refresh is in flight: the state machine's Refreshing state, entered and left
  // through apply() by set_refreshing().
  bool refreshing() const { return state_ == AuthState::Refreshing; }
  void set_refreshing(bool on);

  void install_tokens(TokenSet tokens, TokensReason reason, TokensSource source, std::int64_t now, bool emit = true);
  void start_refresh(std::int64_t now);
  void on_refresh_done(Result<Json> result, std::int64_t now);
  void refresh_settled();                             // resolves refreshSession ops
  void refresh_ops_failed(const Error& error);
  void sign_out_locally(Reason reason, const Error* cause, std::int64_t now);
  void emit_tokens(TokensReason reason, TokensSource source);
  void emit(EventKind kind, std::uint64_t op, const Json& payload);
  void note_access_life(const TokenSet& issued, std::int64_t now) {
    max_access_life_ms_ = std::max(max_access_life_ms_, issued.access_expires_at_ms - now);
  }
  bool signed_in() const { return is_signed_in(state_); }
  bool shares_tokens() const { return config_.persist != ClientConfig::Persist::Memory; }

  // ---- ops (ops_*.cpp) ------------------------------------------------------------------------
 public:
  Status op_sign_in(std::uint64_t op, const Json& args, std::int64_t now);
  Status op_send_mfa_code(std::uint64_t op, const Json& args, std::int64_t now);
  Status op_confirm_sign_in(std::uint64_t op, const Json& args, std::int64_t now);
  Status op_sign_out(std::uint64_t op, const Json& args, std::int64_t now);
  Status op_refresh_session(std::uint64_t op, const Json& args, std::int64_t now);
  Status op_register(std::uint64_t op, const Json& args, std::int64_t now);
  Status op_verify_registration_email(std::uint64_t op, const Json& args, std::int64_t now);
  Status op_complete_registration(std::uint64_t op, const Json& args, std::int64_t now);
  Status op_forgot_password(std::uint64_t op, const Json& args, std::int64_t now);
  Status op_reset_password(std::uint64_t op, const Json& args, std::int64_t now);
  Status op_init_password(std::uint64_t op, const Json& args, std::int64_t now);
  Status op_change_password(std::uint64_t op, const Json& args, std::int64_t now);
  Status op_get_profile(std::uint64_t op, const Json& args, std::int64_t now);
  Status op_update_profile(std::uint64_t op, const Json& args, std::int64_t now);
  Status op_get_mfa_state(std::uint64_t op, const Json& args, std::int64_t now);
  Status op_setup_otp(std::uint64_t op, const Json& args, std::int64_t now);
  Status op_verify_otp(std::uint64_t op, const Json& args, std::int64_t now);
  Status op_revoke_otp(std::uint64_t op, const Json& args, std::int64_t now);
  Status op_generate_backup_codes(std::uint64_t op, const Json& args, std::int64_t now);
  Status op_get_ip_whitelist(std::uint64_t op, const Json& args, std::int64_t now);
  Status op_save_ip_whitelist(std::uint64_t op, const Json& args, std::int64_t now);
  Status op_set_ip_whitelist_enabled(std::uint64_t op, const Json& args, std::int64_t now);
  Status op_list_sessions(std::uint64_t op, const Json& args, std::int64_t now);
  Status op_terminate_session(std::uint64_t op, const Json& args, std::int64_t now);
  Status op_terminate_other_sessions(std::uint64_t op, const Json& args, std::int64_t now);
  Status op_list_invitations(std::uint64_t op, const Json& args, std::int64_t now);
  Status op_accept_invitation(std::uint64_t op, const Json& args, std::int64_t now);
  Status op_decline_invitation(std::uint64_t op, const Json& args, std::int64_t now);
  Status op_list_workspaces(std::uint64_t op, const Json& args, std::int64_t now);
  Status op_create_workspace(std::uint64_t op, const Json& args, std::int64_t now);
  Status op_select_workspace(std::uint64_t op, const Json& args, std::int64_t now);
  Status op_bootstrap(std::uint64_t op, const Json& args, std::int64_t now);
  Status op_check_route(std::uint64_t op, const Json& args, std::int64_t now);

 private:
  // Shared op helpers.
  void resolve(std::uint64_t op, Json result);
  void reject(std::uint64_t op, const Error& error);
  // A call whose data becomes the op's result unchanged (null for the 204 shape).
  void simple(std::uint64_t op, api::Endpoint endpoint, Json body, std::int64_t now, std::string param = {});
  // After tokens were issued: install them, bootstrap, resolve {"step":"DONE","route"}.
  void signed_in_with(std::uint64_t op, const Json& token_data, std::int64_t now);
  // Runs bootstrap (profile, workspaces, invitations concurrently) and decide_route; emits "route".
  void run_bootstrap(std::uint64_t op, Callback<void(Result<Json> route, std::int64_t now)> then,
                     std::int64_t now);
  // Resolves `result` with a fresh "route" member added by run_bootstrap.
  void resolve_with_route(std::uint64_t op, Json result, std::int64_t now);
  // getProfile / updateProfile: the profile is the result; its accountEmail is remembered.
  void resolve_profile(std::uint64_t op, Result<Json> profile);
  // acceptInvitation / declineInvitation: a call with args' invitationBizId as the path parameter.
  Status invitation_call(std::uint64_t op, api::Endpoint endpoint, const Json& args, Done done, std::int64_t now);
  // register / forgotPassword: {email} opens a pre-login session (the current flow is replaced
  // only on success, by `opened`), resolved as {"step": the new state's step}.
  Status open_flow(std::uint64_t op, api::Endpoint endpoint, const Json& args, const char* id_field, AuthEvent opened,
                   std::int64_t now);
  // Before a step of the pre-login flow `need` names: an Order error (its *_EXPIRED code, and the
  // flow ended) when its server session expired on the local clock.
  Status live_flow(Need need, std::int64_t now);
  // A server error that ends a pre-login flow (its *_SESSION_INVALID code) ends it, when the flow
  // under way is still the one with `session_id`.
  void reject_flow(std::uint64_t op, const Error& error, const char* invalid_code, const std::string& session_id);
  // The flow a server answer opened becomes the one under way (only if `opened` has a row).
  Status enter_flow(PreLogin flow, AuthEvent opened);
  // OUT_OF_ORDER unless the flow under way is the one with `session_id`.
  Status same_flow(const std::string& session_id) const;
  // Ends the pre-login flow under way, if any (reported with its *_EXPIRED reason when `expired`).
  void end_flow(bool expired);
  // Lockout guard: fetches the whitelist state and the current session's IP, then `then`.
  struct LockoutFacts {
    bool enabled = false;
    std::vector<std::string> entries;
    std::optional<std::string> client_ip;
  };
  void fetch_lockout_facts(std::uint64_t op, Callback<void(LockoutFacts, std::int64_t)> then, std::int64_t now);

  // ---- state ----------------------------------------------------------------------------------
  ClientConfig config_;
  RandomSource& random_;
  bool disposed_ = false;

  std::vector<HttpRequest> outbox_;  // short FIFO queues: a vector is less code than a deque
  std::vector<Event> events_;
  std::uint64_t next_request_ = 1;
  std::uint64_t next_op_ = 1;
  std::uint64_t next_call_ = 1;

  std::map<std::uint64_t, std::string> ops_;  // live ops → name
  Calls calls_;
  std::map<std::uint64_t, InFlight> inflight_;

  // Channel.
  std::optional<ServerKey> key_;
  std::optional<PendingSession> pending_session_;
  std::shared_ptr<Session> session_;
  std::int64_t session_opened_at_ = 0;
  std::int64_t session_expires_at_ = 0;  // session_'s expiresAt on the local clock
  std::int64_t clock_offset_ms_ = 0;     // server clock − local clock (Date header); 0 until known
  std::uint64_t channel_request_ = 0;  // key fetch or session open in flight
  int key_refetches_ = 0;              // KEY_UNKNOWN while opening: refetch once
  std::vector<std::uint64_t> channel_waiters_;

  // Auth state.
  AuthState state_ = AuthState::SignedOut;
  AuthView last_view_;           // what the last authState event said
  PreLogin flow_;                // the pre-login flow's server session (state_ says which)
  Need expired_ = Need::Any;     // a flow the timer ended: its next step answers *_EXPIRED once

  // Tokens (present exactly while is_signed_in(state_)).
  std::optional<TokenSet> tokens_;
  std::uint64_t token_generation_ = 0;
  std::uint64_t refresh_call_ = 0;
  std::uint64_t refresh_from_generation_ = 0;
  std::int64_t refresh_at_ = 0;                 // calls refresh first from this instant
  std::optional<std::int64_t> refresh_due_at_;  // the proactive refresh timer
  std::vector<std::uint64_t> refresh_ops_;      // refreshSession ops waiting for the refresh
  std::vector<std::uint64_t> token_waiters_;
  std::int64_t max_access_life_ms_ = 0;  // longest access life the server issued (peer bound)
  bool online_ = true;

  // Flows and caches.
  std::string account_email_;      // from the last profile fetch (for the otpauth label)
  std::string current_session_;    // auth session id marked isCurrent in the last sessions list
  std::optional<RoutingInputs> routing_;  // what the last bootstrap learned (checkRoute's facts)
};

}  // namespace portal
