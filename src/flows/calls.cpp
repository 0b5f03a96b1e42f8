// The Call engine (see client_impl.hpp for the theory).
#include <algorithm>
#include <iterator>

#include "flows/client_impl.hpp"
#include "common/error_codes.hpp"

namespace portal {

namespace {
constexpr const char* kSessionInvalid = codes::kSecureChannelSessionInvalid;
constexpr const char* kKeyUnknown = codes::kSecureChannelKeyUnknown;
}  // namespace

bool ClientImpl::uses_channel(api::Endpoint endpoint) const {
  return api::spec(endpoint).encrypted && config_.channel_mode == ChannelMode::Required;
}

api::HeaderContext ClientImpl::header_context() const {
  return api::HeaderContext{config_.access_code, config_.client_hash, config_.locale, std::nullopt, std::nullopt};
}

void ClientImpl::call(std::uint64_t op, api::Endpoint endpoint, Json body, Done done, std::int64_t now,
                      CallOptions options) {
  const std::uint64_t id = next_call_++;
  Call& c = calls_[id];
  c.id = id;
  c.op = op;
  c.endpoint = endpoint;
  c.options = std::move(options);
  if (std::string_view(api::spec(endpoint).method) == "POST") c.body = dump_json(body.is_null() ? Json::object() : body);
  c.done = std::move(done);
  advance(id, now);
}

// Decides what the call waits for next: a token refresh, the channel, or nothing (then sends).
void ClientImpl::advance(std::uint64_t call_id, std::int64_t now) {
  const auto it = calls_.find(call_id);
  if (it == calls_.end()) return;
  Call& c = it->second;
  if (!online_) {
    finish(call_id, Error::of(codes::kClientOffline, "the device is offline"), now);
    return;
  }
  if (api::spec(c.endpoint).jwt && !c.options.bearer) {
    if (!tokens_) {
      finish(call_id, Error::of(codes::kClientNotSignedIn, "not signed in"), now);
      return;
    }
    if (refreshing()) {
      token_waiters_.push_back(call_id);
      return;
    }
    if (now >= refresh_at_) {
      token_waiters_.push_back(call_id);
      start_refresh(now);
      return;
    }
  }
  if (uses_channel(c.endpoint) && !channel_ready(now)) {
    channel_waiters_.push_back(call_id);
    ensure_channel(now);
    return;
  }
  send(c, now);
}

void ClientImpl::send(Call& c, std::int64_t now) {
  const api::EndpointSpec& row = api::spec(c.endpoint);
  const bool sealed = uses_channel(c.endpoint);
  std::string bearer;
  api::HeaderContext context = header_context();
  if (row.jwt) {
    bearer = c.options.bearer ? *c.options.bearer : tokens_->access_token;
    context.access_token = bearer;
  }
  if (sealed) context.channel_session_id = session_->session_id();
  auto head = api::build_head(c.endpoint, config_.portal, c.options.param, context);
  wipe(bearer);
  if (!head.ok()) {
    finish(c.id, std::move(head).error(), now);
    return;
  }
  std::string body;
  c.sealed_with.reset();
  if (sealed) {
    auto out = session_->seal(head.value().method, head.value().path, c.body);
    if (!out.ok()) {
      // SEQ_EXHAUSTED or a closed session: a fresh session is the cure.
      drop_session(session_);
      if (c.channel_retries++ == 0) {
        advance(c.id, now);
        return;
      }
      finish(c.id, std::move(out).error(), now);
      return;
    }
    c.seq = out.value().seq;
    c.sealed_with = session_;
    body = std::move(out.value().body);
  } else {
    body = c.body;
  }
  c.token_generation = token_generation_;
  InFlight purpose{Purpose::Call, c.id, c.options.refresh};
  c.request = push_request(std::move(head).value(), std::move(body), purpose, c.options.refresh ? "refresh" : "");
}

std::uint64_t ClientImpl::push_request(api::RequestHead head, std::string body, InFlight purpose,
                                       std::string exclusive) {
  HttpRequest r;
  r.id = next_request_++;
  r.method = std::move(head.method);
  r.path = std::move(head.path);
  r.headers = std::move(head.headers);
  r.body = std::move(body);
  r.exclusive = std::move(exclusive);
  inflight_[r.id] = purpose;
  const std::uint64_t id = r.id;
  outbox_.push_back(std::move(r));
  return id;
}

// Turns the raw answer into data or an Error, enforcing the channel rules for sealed calls.
Result<Json> ClientImpl::open_answer(Call& c, int status, const Json& headers, std::string_view body,
                                     std::int64_t now) {
  if (!c.sealed_with) return api::decode_response(status, headers, body, now);
  const Json doc = parse_json(body);  // the one parse of the answer
  if (doc.is_object() && doc.contains("nonce")) {
    const api::EndpointSpec& row = api::spec(c.endpoint);
    auto path = api::build_path(c.endpoint, config_.portal, c.options.param);
    if (!path.ok()) return std::move(path).error();
    auto plain = c.sealed_with->open_parsed(row.method, path.value(), c.seq, status, doc);
    if (!plain.ok()) {
      drop_session(c.sealed_with);
      Error e = std::move(plain).error();
      e.status = status;
      return e;
    }
    auto result = api::decode_response(status, headers, plain.value(), now);
    wipe(plain.value());
    return result;
  }
  auto result = body.empty() ? api::decode_response(status, headers, body, now)  // HTTP 204
                             : api::decode_envelope(status, headers, doc, now);
  // Not JSON at all (a proxy's HTML page, a cut connection): report it as what it is (by status).
  if (!doc.is_object()) return result;
  // A plaintext SECURE_CHANNEL.* error is the one plaintext answer the channel allows.
  if (!result.ok() && api::plaintext_error_allowed(result.error().code)) return result;
  // Anything else is unauthenticated: a success, a business error that should have been sealed
  // (docs/api.md §4) or a code this client would raise itself is a downgrade; a pre-route failure
  // (5xx, 404, 405, 413) is reported by its status alone, never by the body's code.
  return api::plaintext_status_error(status);
}

void ClientImpl::on_call_answer(std::uint64_t call_id, Result<Json> result, std::int64_t now) {
  const auto it = calls_.find(call_id);
  if (it == calls_.end()) return;
  Call& c = it->second;
  if (!result.ok()) {
    const Error& e = result.error();
    const bool was_sealed = c.sealed_with != nullptr;
    if (was_sealed && (e.code == kSessionInvalid || e.code == kKeyUnknown)) {
      // The request never reached its handler: a new session (and key) and one resend are safe.
      drop_session(c.sealed_with);
      if (e.code == kKeyUnknown) key_.reset();
      c.sealed_with.reset();
      if (c.channel_retries++ == 0) {
        advance(call_id, now);
        return;
      }
    } else if (e.kind == ErrorKind::Server && e.code == "4010" && api::spec(c.endpoint).jwt && !c.options.bearer &&
               tokens_) {
      c.sealed_with.reset();
      if (c.auth_retries++ == 0) {
        if (c.token_generation != token_generation_) {
          advance(call_id, now);  // tokens changed while this attempt was out: just retry
        } else {
          token_waiters_.push_back(call_id);
          start_refresh(now);
        }
        return;
      }
      // Refreshed once and still refused: the session is over.
      const Error cause = e;
      sign_out_locally(Reason::SessionExpired, &cause, now);
    }
  }
  finish(call_id, std::move(result), now);
}

void ClientImpl::finish(std::uint64_t call_id, Result<Json> result, std::int64_t now) {
  const auto it = calls_.find(call_id);
  if (it == calls_.end()) return;
  Call c = std::move(it->second);
  calls_.erase(it);
  wipe(c.body);
  if (c.request) inflight_.erase(c.request);
  c.sealed_with.reset();
  if (c.op != 0 && ops_.count(c.op) == 0) return;  // its op was cancelled
  if (c.done) c.done(std::move(result), now);
}

ClientImpl::Calls::iterator ClientImpl::drop_call(Calls::iterator it) {
  if (it->second.request) inflight_.erase(it->second.request);
  wipe(it->second.body);
  return calls_.erase(it);
}

void ClientImpl::fail_waiters(std::vector<std::uint64_t>& waiters, const Error& error, std::int64_t now) {
  std::vector<std::uint64_t> ids;
  ids.swap(waiters);
  for (const auto id : ids) finish(id, error, now);
}

void ClientImpl::wake(std::vector<std::uint64_t>& waiters, std::int64_t now) {
  std::vector<std::uint64_t> ids;
  ids.swap(waiters);
  for (const auto id : ids) advance(id, now);
}

void ClientImpl::handle_response(std::uint64_t request_id, int status, std::string_view headers_json,
                                 std::string_view body, std::int64_t now) {
  if (disposed_) return;
  const auto it = inflight_.find(request_id);
  if (it == inflight_.end()) return;  // cancelled, superseded or unknown: ignore
  const InFlight f = it->second;
  inflight_.erase(it);
  if (body.size() > kMaxResponseBytes) {
    return fail_request(f, Error::of(codes::kClientBadResponse, "the response body exceeds " + std::to_string(kMaxResponseBytes) + " bytes"),
                        now);
  }
  const Json headers = parse_json(headers_json);
  note_server_clock(headers, now);
  switch (f.purpose) {
    case Purpose::KeyFetch: on_key_answer(status, headers, body, now); return;
    case Purpose::SessionOpen: on_session_answer(status, headers, body, now); return;
    case Purpose::Call: {
      const auto c = calls_.find(f.call);
      if (c == calls_.end()) return;
      c->second.request = 0;
      auto result = open_answer(c->second, status, headers, body, now);
      on_call_answer(f.call, std::move(result), now);
      return;
    }
  }
}

void ClientImpl::handle_transport_error(std::uint64_t request_id, std::string_view reason, std::int64_t now,
                                        unsigned facts) {
  if (disposed_) return;
  const auto it = inflight_.find(request_id);
  if (it == inflight_.end()) return;
  const InFlight f = it->second;
  inflight_.erase(it);
  constexpr unsigned kCors = kFetchRejected | kCrossOrigin | kOnline;
  if ((facts & kCors) == kCors) {
    return fail_request(f, Error::of(codes::kClientCorsBlocked, "the browser blocked a cross-origin request to the API (CORS): serve the API "
                                       "from the page's origin or behind a reverse proxy (docs/integration.md): " +
                                           std::string(reason.substr(0, 200))),
                        now);
  }
  fail_request(f, Error::of(codes::kClientNetwork, "the request did not complete: " + std::string(reason.substr(0, 200))),
               now);
}

void ClientImpl::fail_request(const InFlight& f, const Error& e, std::int64_t now) {
  if (f.purpose == Purpose::Call) {
    const auto c = calls_.find(f.call);
    if (c != calls_.end()) c->second.request = 0;
    finish(f.call, e, now);
    return;
  }
  channel_request_ = 0;
  channel_failed(e, now);
}

void ClientImpl::cancel(std::uint64_t op_id, std::int64_t now) {
  (void)now;
  if (disposed_ || ops_.count(op_id) == 0) return;
  reject(op_id, Error::of(codes::kClientAborted, "the operation was aborted"));
  for (auto it = calls_.begin(); it != calls_.end();) it = it->second.op == op_id ? drop_call(it) : std::next(it);
  // Waiter lists may still name the erased calls; advance()/finish() skip unknown ids.
}

bool ClientImpl::confirm_send(std::uint64_t request_id, std::int64_t now) {
  if (disposed_) return false;
  const auto it = inflight_.find(request_id);
  if (it == inflight_.end()) return false;
  if (!it->second.needs_confirm) return true;
  if (token_generation_ == refresh_from_generation_) return true;
  // Another tab rotated the tokens after this refresh was prepared: sending it would spend a
  // refresh token that is already stale (and could revoke the family). Use the peer's tokens.
  const std::uint64_t call_id = it->second.call;
  inflight_.erase(it);
  if (const auto c = calls_.find(call_id); c != calls_.end()) drop_call(c);
  set_refreshing(false);
  refresh_call_ = 0;
  refresh_settled();
  wake(token_waiters_, now);
  return false;
}

}  // namespace portal
