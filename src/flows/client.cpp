// PortalClient entry points: creation, the op table and dispatch, outputs, timers, persistence.
#include <algorithm>
#include <iterator>

#include "common/portal.hpp"
#include "common/error_codes.hpp"
#include "flows/client_impl.hpp"

namespace portal {

namespace {

bool known_locale(std::string_view locale) {
  return std::find(std::begin(kLocales), std::end(kLocales), locale) != std::end(kLocales);
}

bool header_safe(std::string_view value) {
  for (const unsigned char c : value)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

Error caller(std::string message) {
  return Error::of(codes::kClientInvalidArgument, std::move(message));
}

Error order(const char* code, std::string message) {
  return Error::of(code, std::move(message));
}

}  // namespace

Result<std::unique_ptr<PortalClient>> PortalClient::create(ClientConfig config, RandomSource& random) {
  if (!is_known_portal(config.portal)) return caller(kUnknownPortal);
  if (config.access_code.empty() || !header_safe(config.access_code))
    return caller("the portal access code must be non-empty printable ASCII");
  if (!is_client_hash(config.client_hash)) return caller("the client hash must be 64 lower-case hex characters");
  if (!known_locale(config.locale)) return caller(kUnknownLocale);
  if (config.refresh_leeway_ms < 0) return caller("refresh leeway must not be negative");
  return std::unique_ptr<PortalClient>(new ClientImpl(std::move(config), random));
}

ClientImpl::ClientImpl(ClientConfig config, RandomSource& random) : config_(std::move(config)), random_(random) {}

ClientImpl::~ClientImpl() { dispose(); }

// ---- the op table (rows generated from spec/operations.json) ------------------------------------
// name, what the auth state must be, accepted argument names, handler.
const std::vector<ClientImpl::OpSpec>& ClientImpl::op_table() {
  static const std::vector<OpSpec> table{
#include "flows/op_table.inc"
  };
  return table;
}

Result<std::uint64_t> ClientImpl::start(std::string_view op, std::string_view args_json, std::int64_t now) {
  if (disposed_) return order(codes::kClientDisposed, "the client was disposed");
  const auto& table = op_table();
  const auto spec = std::find_if(table.begin(), table.end(), [&](const OpSpec& s) { return op == s.name; });
  if (spec == table.end())
    return Error::of(codes::kClientUnknownOperation, "unknown operation '" + std::string(op) + "'");

  const Json args = args_json.empty() ? Json::object() : parse_json(args_json);
  if (!args.is_object()) return caller(std::string(op) + ": arguments must be a JSON object");
  Error unknown = caller(std::string(op) + ": unknown argument");
  for (auto it = args.begin(); it != args.end(); ++it) {
    const bool known = std::any_of(spec->fields.begin(), spec->fields.end(), [&](const char* f) { return it.key() == f; });
    if (!known) unknown.field_errors.push_back({it.key(), "FIELD_UNKNOWN", "unknown argument '" + it.key() + "'"});
  }
  if (!unknown.field_errors.empty()) {
    unknown.message = std::string(op) + ": " + unknown.field_errors.front().message;
    return unknown;
  }

  if (!permits(spec->need, state_)) {
    if (spec->need == expired_) {  // the timer ended this flow: say so once
      expired_ = Need::Any;
      return order(expired_code(spec->need), std::string(op) + ": the flow expired; start again");
    }
    return order(refusal_code(spec->need, state_),
                 std::string(op) + ": not allowed while " + state_name(state_) + "; see the op table in client.hpp");
  }

  const std::uint64_t id = next_op_++;
  ops_[id] = spec->name;
  Status launched = (this->*(spec->handler))(id, args, now);
  if (!launched.ok()) {
    ops_.erase(id);
    return std::move(launched).error();
  }
  return id;
}

void ClientImpl::resolve(std::uint64_t op, Json result) {
  if (ops_.erase(op) == 0) return;
  emit(EventKind::Resolved, op, result);
}

void ClientImpl::reject(std::uint64_t op, const Error& error) {
  if (ops_.erase(op) == 0) return;
  emit(EventKind::Rejected, op, api::error_to_json(error));
}

// ---- pre-login flows ---------------------------------------------------------------------------

void ClientImpl::end_flow(bool expired) {
  if (is_pre_login(state_)) (void)apply(AuthEvent::FlowEnded, expired ? expired_reason(flow_need(state_)) : Reason::None);
}

Status ClientImpl::live_flow(Need need, std::int64_t now) {
  if (now < flow_.expires_at_ms) return ok_status();
  end_flow(true);
  return order(expired_code(need), "the flow expired; start again");
}

void ClientImpl::reject_flow(std::uint64_t op, const Error& error, const char* invalid_code,
                             const std::string& session_id) {
  if (error.code == invalid_code && same_flow(session_id).ok()) end_flow(true);
  reject(op, error);
}

// ---- outputs and time ----------------------------------------------------------------------------

std::optional<HttpRequest> ClientImpl::poll_request() {
  if (disposed_ || outbox_.empty()) return std::nullopt;
  HttpRequest r = std::move(outbox_.front());
  outbox_.erase(outbox_.begin());
  return r;
}

std::optional<Event> ClientImpl::poll_event() {
  if (disposed_ || events_.empty()) return std::nullopt;
  Event e = std::move(events_.front());
  events_.erase(events_.begin());
  return e;
}

std::optional<std::int64_t> ClientImpl::poll_timeout() const {
  if (disposed_) return std::nullopt;
  std::optional<std::int64_t> at;
  auto earliest = [&](std::int64_t t) { at = at ? std::min(*at, t) : t; };
  if (is_pre_login(state_)) earliest(flow_.expires_at_ms);
  if (online_ && tokens_ && !refreshing() && refresh_due_at_) earliest(*refresh_due_at_);
  return at;
}

void ClientImpl::handle_timeout(std::int64_t now) {
  if (disposed_) return;
  if (is_pre_login(state_) && now >= flow_.expires_at_ms) {
    const Need need = flow_need(state_);
    end_flow(true);
    expired_ = need;
  }
  if (online_ && tokens_ && !refreshing() && refresh_due_at_ && now >= *refresh_due_at_) start_refresh(now);
}

void ClientImpl::set_locale(std::string_view locale) {
  if (!disposed_ && known_locale(locale)) config_.locale = std::string(locale);
}

// ---- persistence ---------------------------------------------------------------------------------
// {"version":1,"tokens":{…}|null,
//  "signIn":{"loginSessionId","methods":[…],"expiresAt":ms}|null,
//  "registration":{"registrationSessionId","email","step":"VERIFY_EMAIL"|"COMPLETE_REGISTRATION","expiresAt"}|null,
//  "passwordReset":{"resetSessionId","email","expiresAt"}|null}
// At most one member is not null: the state is one of them (auth_state.hpp).

namespace {

constexpr const char* kFlowKeys[] = {"signIn", "registration", "passwordReset"};
constexpr std::size_t kMaxSessionId = 256;
constexpr std::size_t kMaxEmail = 320;

Error bad_state(const std::string& what) { return caller("state: " + what); }

// A flow member: its id (under `id_key`), expiresAt, and the email when `with_email`.
Result<PreLogin> flow_from_json(const Json& value, const char* key, const char* id_key, bool with_email,
                                std::int64_t now) {
  if (!value.is_object()) return bad_state(std::string(key) + " must be an object");
  PreLogin flow;
  auto id = field<std::string>(value, id_key, Source::Caller);
  if (!id.ok()) return std::move(id).error();
  auto at = field<std::int64_t>(value, "expiresAt", Source::Caller);
  if (!at.ok()) return std::move(at).error();
  if (id.value().empty() || id.value().size() > kMaxSessionId || !header_safe(id.value()))
    return bad_state(std::string(key) + "." + id_key + " is not a session id");
  if (at.value() > now + kMaxFlowLifeMs) return bad_state(std::string(key) + ".expiresAt is too far ahead");
  if (with_email) {
    auto email = field<std::string>(value, "email", Source::Caller);
    if (!email.ok()) return std::move(email).error();
    if (email.value().empty() || email.value().size() > kMaxEmail || email.value().find('@') == std::string::npos)
      return bad_state(std::string(key) + ".email is not an email address");
    flow.email = std::move(email).value();
  }
  flow.session_id = std::move(id).value();
  flow.expires_at_ms = at.value();
  return flow;
}

}  // namespace

std::string ClientImpl::export_state() const {
  if (disposed_ || (!tokens_ && !is_pre_login(state_))) return "";
  Json out{{"version", 1}, {"tokens", tokens_ ? tokens_to_json(*tokens_) : Json()}, {"signIn", Json()},
           {"registration", Json()}, {"passwordReset", Json()}};
  switch (state_) {
    case AuthState::SigningIn:
      out["signIn"] = Json{{"loginSessionId", flow_.session_id}, {"methods", flow_.methods},
                           {"expiresAt", flow_.expires_at_ms}};
      break;
    case AuthState::VerifyingEmail:
    case AuthState::CompletingRegistration:
      out["registration"] = Json{{"registrationSessionId", flow_.session_id}, {"email", flow_.email},
                                 {"step", step_name(state_)}, {"expiresAt", flow_.expires_at_ms}};
      break;
    case AuthState::ResettingPassword:
      out["passwordReset"] = Json{{"resetSessionId", flow_.session_id}, {"email", flow_.email},
                                  {"expiresAt", flow_.expires_at_ms}};
      break;
    default: break;
  }
  return dump_json(out);
}

Status ClientImpl::import_state(std::string_view state_json, std::int64_t now) {
  if (disposed_) return order(codes::kClientDisposed, "the client was disposed");
  if (state_ != AuthState::SignedOut) return order(codes::kClientStateNotEmpty, "import_state needs a signed-out client");
  const Json doc = parse_json(state_json);
  if (!doc.is_object()) return caller("state must be a JSON object");
  auto version = field<std::int64_t>(doc, "version", Source::Caller);
  if (!version.ok()) return std::move(version).error();
  if (version.value() != 1) return caller("unsupported state version");
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    const bool known = it.key() == "version" || it.key() == "tokens" ||
                       std::any_of(std::begin(kFlowKeys), std::end(kFlowKeys), [&](const char* k) { return it.key() == k; });
    if (!known) return bad_state("unknown member '" + it.key() + "'");
  }

  std::optional<TokenSet> tokens;
  if (const auto it = doc.find("tokens"); it != doc.end() && !it->is_null()) {
    auto t = tokens_from_json(*it);
    if (!t.ok()) return std::move(t).error();
    if (now < t.value().refresh_expires_at_ms) tokens = std::move(t).value();
  }
  // The flow member that is present (at most one, and never beside tokens).
  const char* present = nullptr;
  const Json* value = nullptr;
  for (const char* key : kFlowKeys) {
    const auto it = doc.find(key);
    if (it == doc.end() || it->is_null()) continue;
    if (present) return bad_state(std::string(present) + " and " + key + " cannot both be under way");
    present = key;
    value = &*it;
  }
  if (present && doc.find("tokens") != doc.end() && !doc.find("tokens")->is_null())
    return bad_state(std::string(present) + " cannot be under way beside a session");

  PreLogin flow;
  AuthEvent opened = AuthEvent::MfaRequired;
  bool verified = false;
  if (value) {
    const std::string key = present;
    const char* id_key = key == "signIn" ? "loginSessionId" : key == "registration" ? "registrationSessionId" : "resetSessionId";
    auto parsed = flow_from_json(*value, present, id_key, key != "signIn", now);
    if (!parsed.ok()) return std::move(parsed).error();
    flow = std::move(parsed).value();
    if (key == "signIn") {
      auto methods = field<Json>(*value, "methods", Source::Caller);
      if (!methods.ok()) return std::move(methods).error();
      if (!methods.value().is_array() || methods.value().empty()) return bad_state("signIn.methods must be a non-empty array");
      for (const Json& m : methods.value()) {
        if (!m.is_string() || m.get<std::string>().empty()) return bad_state("signIn.methods must hold method names");
        flow.methods.push_back(m.get<std::string>());
      }
    } else if (key == "registration") {
      opened = AuthEvent::RegistrationOpened;
      auto step = field<std::string>(*value, "step", Source::Caller);
      if (!step.ok()) return std::move(step).error();
      verified = step.value() == step_name(AuthState::CompletingRegistration);
      if (!verified && step.value() != step_name(AuthState::VerifyingEmail))
        return bad_state("registration.step must be VERIFY_EMAIL or COMPLETE_REGISTRATION");
    } else {
      opened = AuthEvent::ResetOpened;
    }
  }
  // Valid as a whole: only now does anything change. An expired flow is dropped silently.
  if (tokens) {
    install_tokens(std::move(*tokens), TokensReason::Import, TokensSource::Local, now, false);
    return apply(AuthEvent::TokensIssued);
  }
  if (value && now < flow.expires_at_ms) {
    flow_ = std::move(flow);
    if (Status s = apply(opened); !s.ok()) return s;
    if (verified) return apply(AuthEvent::EmailVerified);
  }
  return ok_status();
}

void ClientImpl::dispose() {
  if (disposed_) return;
  disposed_ = true;
  if (tokens_) tokens_->wipe();
  tokens_.reset();
  flow_.clear();
  for (auto& [id, c] : calls_) wipe(c.body);
  calls_.clear();
  inflight_.clear();
  for (HttpRequest& r : outbox_) {
    wipe(r.body);
    for (auto& [name, value] : r.headers) wipe(value);
  }
  outbox_.clear();
  for (Event& e : events_) wipe(e.payload);
  events_.clear();
  channel_waiters_.clear();
  token_waiters_.clear();
  refresh_ops_.clear();
  ops_.clear();
  pending_session_.reset();
  close_channel_locally();
  key_.reset();
  wipe(account_email_);
  current_session_.clear();
  routing_.reset();
}

}  // namespace portal
