// Operations of the auth domain: sign-in with MFA, sign-out, refresh, registration, passwords.
#include <algorithm>

#include "channel/rfc3339.hpp"
#include "common/error_codes.hpp"
#include "flows/client_impl.hpp"
#include "flows/op_args.hpp"

namespace portal {

using api::Endpoint;

namespace {

// {"<id field>","expiresAt"} of a pre-login session answer → the flow.
// `clock_offset_ms`: server clock − local clock; expiresAt is on the server's. An expiry past
// kMaxFlowLifeMs from now is cut to that (import_state refuses longer ones as forged).
Status start_flow(const Json& data, const char* id_field, PreLogin& flow, std::int64_t clock_offset_ms,
                  std::int64_t now) {
  auto id = field<std::string>(data, id_field);
  if (!id.ok()) return std::move(id).error();
  auto at = field<std::string>(data, "expiresAt");
  if (!at.ok()) return std::move(at).error();
  auto ms = parse_rfc3339_ms(at.value());
  if (!ms.ok()) return field_error(Source::Peer, "expiresAt", "FIELD_INVALID", "is not an RFC 3339 time");
  if (id.value().empty()) return field_error(Source::Peer, id_field, "FIELD_INVALID", "is empty");
  flow.clear();
  flow.session_id = std::move(id).value();
  flow.expires_at_ms = std::min(ms.value() - clock_offset_ms, now + kMaxFlowLifeMs);
  return ok_status();
}

}  // namespace

Status ClientImpl::op_sign_in(std::uint64_t op, const Json& args, std::int64_t now) {
  auto email = email_arg(args, "email");
  if (!email.ok()) return std::move(email).error();
  auto password = text_arg(args, "password");
  if (!password.ok()) return std::move(password).error();
  // A new sign-in replaces an unfinished one.
  if (state_ == AuthState::SigningIn) end_flow(false);
  Json body{{"email", email.value()}, {"password", password.value()}};
  wipe(password.value());
  call(op, Endpoint::LoginInitiate, std::move(body), [this, op](Result<Json> r, std::int64_t t) {
    if (!r.ok()) return reject(op, r.error());
    const Json& data = r.value();
    auto mfa = field<bool>(data, "mfaRequired");
    if (!mfa.ok()) return reject(op, mfa.error());
    if (!mfa.value()) return signed_in_with(op, data, t);
    PreLogin flow;
    if (auto started = start_flow(data, "loginSessionId", flow, clock_offset_ms_, t); !started.ok()) return reject(op, started.error());
    auto list = field<Json>(data, "mfaMethods");
    if (!list.ok() || !list.value().is_array() || list.value().empty())
      return reject(op, field_error(Source::Peer, "mfaMethods", "FIELD_INVALID", "is not a non-empty list"));
    for (const Json& item : list.value()) {
      auto method = api::decode_enum(item, "mfaMethods[]");
      if (!method.ok()) return reject(op, method.error());
      flow.methods.push_back(method.value().code);
    }
    const Json methods = flow.methods;
    if (Status entered = enter_flow(std::move(flow), AuthEvent::MfaRequired); !entered.ok()) return reject(op, entered.error());
    resolve(op, Json{{"step", step_name(state_)}, {"methods", methods}});
  }, now);
  return ok_status();
}

Status ClientImpl::enter_flow(PreLogin flow, AuthEvent opened) {
  if (!transition(state_, opened)) return apply(opened);  // the Order error; nothing changes
  flow_.clear();
  flow_ = std::move(flow);
  return apply(opened);
}

Status ClientImpl::same_flow(const std::string& session_id) const {
  if (is_pre_login(state_) && flow_.session_id == session_id) return ok_status();
  return Error::of(codes::kClientOutOfOrder, "another flow replaced this one meanwhile");
}

Status ClientImpl::op_send_mfa_code(std::uint64_t op, const Json& args, std::int64_t now) {
  auto method = text_arg(args, "method");
  if (!method.ok()) return std::move(method).error();
  if (method.value() != "EMAIL") return invalid_arg("method", "only EMAIL codes are sent; OTP and backup codes are not");
  if (Status live = live_flow(Need::SignInPending, now); !live.ok()) return std::move(live).error();
  if (std::find(flow_.methods.begin(), flow_.methods.end(), "EMAIL") == flow_.methods.end())
    return invalid_arg("method", "this account does not offer EMAIL codes", "MFA_METHOD_NOT_AVAILABLE");
  call(op, Endpoint::LoginMfaSend, Json{{"loginSessionId", flow_.session_id}, {"mfaMethod", "EMAIL"}},
       [this, op, sid = flow_.session_id](Result<Json> r, std::int64_t) {
         if (!r.ok()) return reject_flow(op, r.error(), "AUTH.LOGIN_SESSION_INVALID", sid);
         auto sent_to = field<std::string>(r.value(), "sentTo");
         auto resend = field<std::int64_t>(r.value(), "resendAfter");
         if (!sent_to.ok()) return reject(op, sent_to.error());
         if (!resend.ok()) return reject(op, resend.error());
         resolve(op, Json{{"sentTo", sent_to.value()}, {"resendAfter", resend.value()}});
       },
       now);
  return ok_status();
}

Status ClientImpl::op_confirm_sign_in(std::uint64_t op, const Json& args, std::int64_t now) {
  auto method = text_arg(args, "method");
  if (!method.ok()) return std::move(method).error();
  auto code = text_arg(args, "code");
  if (!code.ok()) return std::move(code).error();
  if (Status live = live_flow(Need::SignInPending, now); !live.ok()) return std::move(live).error();
  if (std::find(flow_.methods.begin(), flow_.methods.end(), method.value()) == flow_.methods.end())
    return invalid_arg("method", "'" + method.value() + "' is not one of this sign-in's methods", "MFA_METHOD_NOT_AVAILABLE");
  Json body{{"loginSessionId", flow_.session_id}, {"mfaMethod", method.value()}, {"code", code.value()}};
  call(op, Endpoint::LoginComplete, std::move(body), [this, op, sid = flow_.session_id](Result<Json> r, std::int64_t t) {
    if (!r.ok()) return reject_flow(op, r.error(), "AUTH.LOGIN_SESSION_INVALID", sid);
    signed_in_with(op, r.value(), t);
  }, now);
  return ok_status();
}

void ClientImpl::signed_in_with(std::uint64_t op, const Json& token_data, std::int64_t now) {
  auto tokens = tokens_from_server(token_data, now);
  if (!tokens.ok()) return reject(op, tokens.error());
  // Signed in meanwhile (another tab's session): this answer's session is not installed over it.
  if (!transition(state_, AuthEvent::TokensIssued)) return reject(op, apply(AuthEvent::TokensIssued).error());
  note_access_life(tokens.value(), now);
  install_tokens(std::move(tokens).value(), TokensReason::SignIn, TokensSource::Local, now);
  (void)apply(AuthEvent::TokensIssued);
  run_bootstrap(op, [this, op](Result<Json> route, std::int64_t) {
    if (!route.ok()) return reject(op, route.error());
    resolve(op, Json{{"step", "DONE"}, {"route", std::move(route).value()}});
  }, now);
}

// Ends the session locally at once (so it ends even if the server is unreachable or the op is
// aborted), then tells the server with the captured token and closes the channel session.
Status ClientImpl::op_sign_out(std::uint64_t op, const Json&, std::int64_t now) {
  std::optional<std::string> bearer;
  if (tokens_) bearer = tokens_->access_token;
  sign_out_locally(Reason::User, nullptr, now);
  if (!bearer) {
    resolve(op, Json());
    return ok_status();
  }
  auto close_channel = [this, op](Result<Json>, std::int64_t t) {
    if (!session_ || config_.channel_mode == ChannelMode::Off) return resolve(op, Json());
    call(op, Endpoint::ChannelClose, Json::object(), [this, op](Result<Json>, std::int64_t) {
      close_channel_locally();
      resolve(op, Json());
    }, t);
  };
  CallOptions options;
  options.bearer = std::move(bearer);
  call(op, Endpoint::Logout, Json::object(), close_channel, now, std::move(options));
  return ok_status();
}

Status ClientImpl::op_refresh_session(std::uint64_t op, const Json&, std::int64_t now) {
  refresh_ops_.push_back(op);
  start_refresh(now);
  return ok_status();
}

Status ClientImpl::open_flow(std::uint64_t op, Endpoint endpoint, const Json& args, const char* id_field,
                             AuthEvent opened, std::int64_t now) {
  auto email = email_arg(args, "email");
  if (!email.ok()) return std::move(email).error();
  // A live flow survives a refused resend (e.g. 429); the answer replaces it on success.
  Json body{{"email", email.value()}};
  call(op, endpoint, std::move(body), [this, op, id_field, opened, address = email.value()](Result<Json> r, std::int64_t t) {
    if (!r.ok()) return reject(op, r.error());
    PreLogin flow;
    if (auto started = start_flow(r.value(), id_field, flow, clock_offset_ms_, t); !started.ok()) return reject(op, started.error());
    flow.email = address;
    if (Status entered = enter_flow(std::move(flow), opened); !entered.ok()) return reject(op, entered.error());
    resolve(op, Json{{"step", step_name(state_)}});
  }, now);
  return ok_status();
}

Status ClientImpl::op_register(std::uint64_t op, const Json& args, std::int64_t now) {
  return open_flow(op, Endpoint::RegisterSession, args, "registrationSessionId", AuthEvent::RegistrationOpened, now);
}

Status ClientImpl::op_verify_registration_email(std::uint64_t op, const Json& args, std::int64_t now) {
  auto code = text_arg(args, "code");
  if (!code.ok()) return std::move(code).error();
  if (Status live = live_flow(Need::RegistrationPending, now); !live.ok()) return std::move(live).error();
  Json body{{"registrationSessionId", flow_.session_id}, {"code", code.value()}};
  call(op, Endpoint::RegisterVerifyEmail, std::move(body), [this, op, sid = flow_.session_id](Result<Json> r, std::int64_t) {
    if (!r.ok()) return reject_flow(op, r.error(), "AUTH.REGISTRATION_SESSION_INVALID", sid);
    if (Status same = same_flow(sid); !same.ok()) return reject(op, same.error());
    // Verified twice (a retried answer): already at the next step.
    if (state_ != AuthState::CompletingRegistration)
      if (Status moved = apply(AuthEvent::EmailVerified); !moved.ok()) return reject(op, moved.error());
    resolve(op, Json{{"step", step_name(state_)}});
  }, now);
  return ok_status();
}

Status ClientImpl::op_complete_registration(std::uint64_t op, const Json& args, std::int64_t now) {
  auto name = text_arg(args, "accountName");
  if (!name.ok()) return std::move(name).error();
  auto password = text_arg(args, "password");
  if (!password.ok()) return std::move(password).error();
  if (Status live = live_flow(Need::RegistrationPending, now); !live.ok()) return std::move(live).error();
  if (state_ != AuthState::CompletingRegistration)
    return Error::of(codes::kClientEmailNotVerified, "verify the email before completing registration");
  Json body{{"registrationSessionId", flow_.session_id}, {"accountName", name.value()},
            {"password", password.value()}};
  wipe(password.value());
  call(op, Endpoint::RegisterComplete, std::move(body), [this, op, sid = flow_.session_id](Result<Json> r, std::int64_t t) {
    if (!r.ok()) {
      if (r.error().code == "AUTH.EMAIL_NOT_VERIFIED" && same_flow(sid).ok()) (void)apply(AuthEvent::EmailUnverified);
      return reject_flow(op, r.error(), "AUTH.REGISTRATION_SESSION_INVALID", sid);
    }
    signed_in_with(op, r.value(), t);
  }, now);
  return ok_status();
}

Status ClientImpl::op_forgot_password(std::uint64_t op, const Json& args, std::int64_t now) {
  return open_flow(op, Endpoint::PasswordForgot, args, "resetSessionId", AuthEvent::ResetOpened, now);
}

Status ClientImpl::op_reset_password(std::uint64_t op, const Json& args, std::int64_t now) {
  auto code = text_arg(args, "code");
  if (!code.ok()) return std::move(code).error();
  auto password = text_arg(args, "newPassword");
  if (!password.ok()) return std::move(password).error();
  if (Status live = live_flow(Need::ResetPending, now); !live.ok()) return std::move(live).error();
  Json body{{"resetSessionId", flow_.session_id}, {"code", code.value()}, {"newPassword", password.value()}};
  wipe(password.value());
  call(op, Endpoint::PasswordReset, std::move(body), [this, op, sid = flow_.session_id](Result<Json> r, std::int64_t) {
    if (!r.ok()) return reject_flow(op, r.error(), "AUTH.RESET_SESSION_INVALID", sid);
    // The password changed either way; the flow ends only if it is still this one.
    if (same_flow(sid).ok()) end_flow(false);
    resolve(op, Json{{"step", "DONE"}});
  }, now);
  return ok_status();
}

Status ClientImpl::op_init_password(std::uint64_t op, const Json& args, std::int64_t now) {
  auto password = text_arg(args, "newPassword");
  if (!password.ok()) return std::move(password).error();
  Json body{{"newPassword", password.value()}};
  wipe(password.value());
  call(op, Endpoint::PasswordInit, std::move(body), [this, op](Result<Json> r, std::int64_t t) {
    if (!r.ok()) return reject(op, r.error());
    resolve_with_route(op, Json::object(), t);  // INVITED → ACTIVE changes the route
  }, now);
  return ok_status();
}

Status ClientImpl::op_change_password(std::uint64_t op, const Json& args, std::int64_t now) {
  auto current = text_arg(args, "currentPassword");
  if (!current.ok()) return std::move(current).error();
  auto next = text_arg(args, "newPassword");
  if (!next.ok()) return std::move(next).error();
  Json body{{"currentPassword", current.value()}, {"newPassword", next.value()}};
  wipe(current.value());
  wipe(next.value());
  simple(op, Endpoint::PasswordChange, std::move(body), now);
  return ok_status();
}

}  // namespace portal
