// Token lifecycle: install, single-flight refresh, local sign-out, peer tabs.
#include <algorithm>

#include "flows/client_impl.hpp"
#include "common/error_codes.hpp"

namespace portal {

void ClientImpl::install_tokens(TokenSet tokens, TokensReason reason, TokensSource source, std::int64_t now,
                                bool emit) {
  if (tokens_) tokens_->wipe();
  tokens_ = std::move(tokens);
  ++token_generation_;
  // Refresh `leeway` before expiry, but never earlier than half-way through the token's life,
  // so a short-lived token cannot make every call refresh first.
  const std::int64_t life = std::max<std::int64_t>(tokens_->access_expires_at_ms - now, 0);
  refresh_at_ = tokens_->access_expires_at_ms - std::min(config_.refresh_leeway_ms, life / 2);
  refresh_due_at_ = refresh_at_;
  if (emit) emit_tokens(reason, source);
}

void ClientImpl::emit(EventKind kind, std::uint64_t op, const Json& payload) {
  events_.push_back(Event{kind, op, dump_json(payload)});
}

void ClientImpl::emit_tokens(TokensReason reason, TokensSource source) {
  Json payload{{"tokens", tokens_ ? tokens_to_json(*tokens_) : Json()},
               {"source", to_string(source)},
               {"reason", to_string(reason)},
               {"broadcast", source == TokensSource::Local && shares_tokens()}};
  emit(EventKind::Tokens, 0, payload);
}

// ---- the auth state machine ------------------------------------------------------------------------

Status ClientImpl::apply(AuthEvent event, Reason reason) {
  const auto next = transition(state_, event);
  if (!next)
    return Error::of(codes::kClientOutOfOrder, std::string(event_name(event)) + " does not apply while " + state_name(state_) +
                           (step_name(state_) ? std::string("/") + step_name(state_) : std::string()));
  state_ = *next;
  expired_ = Need::Any;
  if (!is_pre_login(state_)) flow_.clear();
  AuthView view = auth_view();
  if (view == last_view_) return ok_status();
  last_view_ = std::move(view);
  Json payload{{"state", state_name(state_)}};
  if (const char* step = step_name(state_)) payload["step"] = step;
  if (state_ == AuthState::SigningIn) payload["methods"] = flow_.methods;
  if (!flow_.email.empty()) payload["email"] = flow_.email;
  if (const char* why = to_string(reason)) payload["reason"] = why;
  emit(EventKind::AuthState, 0, payload);
  return ok_status();
}

ClientImpl::AuthView ClientImpl::auth_view() const {
  AuthView view;
  view.state = state_ == AuthState::Refreshing ? AuthState::SignedIn : state_;
  if (state_ == AuthState::SigningIn) view.methods = flow_.methods;
  view.email = flow_.email;
  return view;
}

void ClientImpl::set_refreshing(bool on) {
  if (on != refreshing()) (void)apply(on ? AuthEvent::RefreshStarted : AuthEvent::RefreshEnded);
}

void ClientImpl::start_refresh(std::int64_t now) {
  if (refreshing()) return;
  if (!tokens_) {
    const Error e = Error::of(codes::kClientNotSignedIn, "not signed in");
    fail_waiters(token_waiters_, e, now);
    refresh_ops_failed(e);
    return;
  }
  if (now >= tokens_->refresh_expires_at_ms) {
    const Error e = Error::of(codes::kClientSessionExpired, "the session expired; sign in again");
    sign_out_locally(Reason::SessionExpired, &e, now);
    return;
  }
  set_refreshing(true);
  refresh_from_generation_ = token_generation_;
  refresh_due_at_.reset();
  refresh_call_ = next_call_;
  CallOptions options;
  options.refresh = true;
  call(0, api::Endpoint::TokenRefresh, Json{{"refreshToken", tokens_->refresh_token}},
       [this](Result<Json> r, std::int64_t t) { on_refresh_done(std::move(r), t); }, now, std::move(options));
}

void ClientImpl::on_refresh_done(Result<Json> result, std::int64_t now) {
  set_refreshing(false);
  refresh_call_ = 0;
  if (result.ok()) {
    auto tokens = tokens_from_server(result.value(), now);
    if (tokens.ok()) {
      note_access_life(tokens.value(), now);
      install_tokens(std::move(tokens).value(), TokensReason::Refresh, TokensSource::Local, now);
      refresh_settled();
      wake(token_waiters_, now);
      return;
    }
    result = std::move(tokens).error();
  }
  const Error e = result.error();
  if (tokens_ && token_generation_ != refresh_from_generation_) {
    // A peer tab delivered fresher tokens while ours was out; its rotation explains our failure.
    refresh_settled();
    wake(token_waiters_, now);
    return;
  }
  if (e.kind == ErrorKind::Server && (e.code == "AUTH.REFRESH_TOKEN_INVALID" || e.code == "4010")) {
    // An explicit refreshSession() learns why; the calls waiting for tokens met (or would meet)
    // 4010, and fail with it: one code for "the session ended, sign in again".
    refresh_ops_failed(e);
    Error ended = e;
    ended.code = "4010";
    ended.status = 401;
    // The server says when the session was ended on purpose (terminated from another device,
    // or by a password change or reset there): that is TERMINATED, not a failed renewal.
    sign_out_locally(e.reason == "SESSION_TERMINATED" ? Reason::Terminated : Reason::RefreshFailed, &ended, now);
    return;
  }
  // Transport, 5xx, channel trouble: keep the tokens, fail the waiters, retry later.
  if (tokens_ && now + kRefreshRetryMs < tokens_->refresh_expires_at_ms) refresh_due_at_ = now + kRefreshRetryMs;
  fail_waiters(token_waiters_, e, now);
  refresh_ops_failed(e);
}

void ClientImpl::refresh_settled() {
  std::vector<std::uint64_t> ops;
  ops.swap(refresh_ops_);
  for (const auto op : ops) {
    if (tokens_) resolve(op, Json{{"accessExpiresAt", tokens_->access_expires_at_ms}});
    else reject(op, Error::of(codes::kClientNotSignedIn, "not signed in"));
  }
}

void ClientImpl::refresh_ops_failed(const Error& error) {
  std::vector<std::uint64_t> ops;
  ops.swap(refresh_ops_);
  for (const auto op : ops) reject(op, error);
}

void ClientImpl::sign_out_locally(Reason reason, const Error* cause, std::int64_t now) {
  const bool was_signed_in = signed_in();
  if (tokens_) tokens_->wipe();
  tokens_.reset();
  ++token_generation_;
  refresh_at_ = 0;
  refresh_due_at_.reset();
  if (refreshing()) {
    if (const auto c = calls_.find(refresh_call_); c != calls_.end()) drop_call(c);
    refresh_call_ = 0;
  }
  wipe(account_email_);
  current_session_.clear();
  routing_.reset();
  const Error e =
      cause ? *cause : Error::of(codes::kClientNotSignedIn, "signed out");
  fail_waiters(token_waiters_, e, now);
  refresh_ops_failed(e);
  const bool from_peer = reason == Reason::OtherTab;
  if (was_signed_in) emit_tokens(TokensReason::SignOut, from_peer ? TokensSource::Peer : TokensSource::Local);
  if (was_signed_in) emit(EventKind::SignedOut, 0, Json{{"reason", to_string(reason)}, {"broadcast", !from_peer}});
  (void)apply(AuthEvent::SignedOut, reason);  // every state has this row
}

void ClientImpl::handle_peer_tokens(std::string_view tokens_json, std::int64_t now) {
  if (disposed_) return;
  const Json doc = parse_json(tokens_json);
  if (!doc.is_object()) return;
  const auto it = doc.find("tokens");
  if (it == doc.end() || !it->is_object()) return;  // null: the peer signed out (handled separately)
  auto peer = tokens_from_json(*it);
  if (!peer.ok() || !shares_tokens()) return;
  if (now >= peer.value().refresh_expires_at_ms) return;
  // Bounded like a server answer: a forged far-future expiry would otherwise win every later
  // freshness comparison and keep genuine rotations out.
  const std::int64_t access_bound = max_access_life_ms_ > 0 ? max_access_life_ms_ + kPeerSlackMs : kMaxTokenLifeMs;
  if (peer.value().access_expires_at_ms > now + access_bound) return;
  if (peer.value().refresh_expires_at_ms > now + kMaxTokenLifeMs) return;
  if (tokens_ && peer.value().access_expires_at_ms <= tokens_->access_expires_at_ms) return;  // not fresher
  const bool was_signed_in = signed_in();
  if (!was_signed_in) routing_.reset();
  install_tokens(std::move(peer).value(), TokensReason::Peer, TokensSource::Peer, now);
  if (!was_signed_in) (void)apply(AuthEvent::TokensIssued, Reason::Peer);  // from every signed-out state
  // A refresh already out settles through its answer; one not yet sent is stopped by confirm_send.
  if (!refreshing()) wake(token_waiters_, now);
}

void ClientImpl::handle_peer_signed_out(std::int64_t now) {
  if (disposed_ || !tokens_) return;
  sign_out_locally(Reason::OtherTab, nullptr, now);
}

void ClientImpl::handle_peer_hello(std::int64_t) {
  if (!disposed_ && tokens_ && shares_tokens()) emit_tokens(TokensReason::Share, TokensSource::Local);
}

bool ClientImpl::wants_peer_session() const {
  return !disposed_ && shares_tokens() && state_ == AuthState::SignedOut;
}

void ClientImpl::set_online(bool online, std::int64_t now) {
  if (disposed_ || online == online_) return;
  online_ = online;
  if (!online || !tokens_ || refreshing()) return;
  // Back online: a refresh that came due (or failed) meanwhile starts now.
  if (now >= refresh_at_ || !refresh_due_at_ || now >= *refresh_due_at_) start_refresh(now);
}

}  // namespace portal
