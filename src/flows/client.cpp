// PortalClient entry points: creation, the op table and dispatch, outputs, timers, persistence.
#include <algorithm>

#include "common/portal.hpp"
#include "flows/client_impl.hpp"

namespace portal {

namespace {

constexpr std::string_view kLocales[] = {"en", "zh", "zh-Hant", "ja", "vi"};

bool known_locale(std::string_view locale) {
  return std::find(std::begin(kLocales), std::end(kLocales), locale) != std::end(kLocales);
}

bool header_safe(std::string_view value) {
  for (const unsigned char c : value)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

Error caller(std::string message) {
  return Error::make(ErrorKind::Caller, "CLIENT.INVALID_ARGUMENT", std::move(message));
}

Error order(std::string code, std::string message) {
  return Error::make(ErrorKind::Order, std::move(code), std::move(message));
}

}  // namespace

Result<std::unique_ptr<PortalClient>> PortalClient::create(ClientConfig config, RandomSource& random) {
  if (!is_known_portal(config.portal)) return caller("portal must be one of system, tenant, consumer");
  if (config.access_code.empty() || !header_safe(config.access_code))
    return caller("the portal access code must be non-empty printable ASCII");
  if (!is_client_hash(config.client_hash)) return caller("the client hash must be 64 lower-case hex characters");
  if (!known_locale(config.locale)) return caller("locale must be one of en, zh, zh-Hant, ja, vi");
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
  if (disposed_) return order("CLIENT.DISPOSED", "the client was disposed");
  const auto& table = op_table();
  const auto spec = std::find_if(table.begin(), table.end(), [&](const OpSpec& s) { return op == s.name; });
  if (spec == table.end())
    return Error::make(ErrorKind::Caller, "CLIENT.UNKNOWN_OPERATION", "unknown operation '" + std::string(op) + "'");

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

  switch (spec->need) {
    case Need::Any: break;
    case Need::NotSignedIn:
      if (signed_in()) return order("CLIENT.ALREADY_SIGNED_IN", std::string(op) + ": already signed in; sign out first");
      break;
    case Need::SignInPending:
      if (signed_in()) return order("CLIENT.ALREADY_SIGNED_IN", std::string(op) + ": already signed in");
      if (!sign_in_.active()) return order("CLIENT.NO_SIGN_IN", std::string(op) + ": no sign-in in progress; call signIn first");
      break;
    case Need::RegistrationPending:
      if (signed_in()) return order("CLIENT.ALREADY_SIGNED_IN", std::string(op) + ": already signed in");
      if (!registration_.active())
        return order("CLIENT.NO_REGISTRATION", std::string(op) + ": no registration in progress; call register first");
      break;
    case Need::ResetPending:
      if (!reset_.active())
        return order("CLIENT.NO_PASSWORD_RESET", std::string(op) + ": no password reset in progress; call forgotPassword first");
      break;
    case Need::SignedIn:
      if (!signed_in()) return order("CLIENT.NOT_SIGNED_IN", std::string(op) + ": not signed in");
      break;
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
  events_.push_back(Event{"resolved", op, dump_json(result)});
}

void ClientImpl::reject(std::uint64_t op, const Error& error) {
  if (ops_.erase(op) == 0) return;
  events_.push_back(Event{"rejected", op, dump_json(api::error_to_json(error))});
}

// ---- pre-login flows ---------------------------------------------------------------------------

void ClientImpl::end_flow(PreLogin& flow) {
  flow.clear();
  if (&flow == &sign_in_) emit_auth_state(Json{{"reason", "SIGN_IN_EXPIRED"}});
}

Status ClientImpl::live_flow(PreLogin& flow, const char* expired_code, const char* what, std::int64_t now) {
  if (!flow.expired && (flow.session_id.empty() || now < flow.expires_at_ms)) return ok_status();
  end_flow(flow);
  return order(expired_code, std::string(what) + " expired; start again");
}

void ClientImpl::reject_flow(std::uint64_t op, const Error& error, PreLogin& flow, const char* invalid_code) {
  if (error.code == invalid_code) end_flow(flow);
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
  for (const PreLogin* flow : {&sign_in_, &registration_, &reset_})
    if (!flow->session_id.empty()) earliest(flow->expires_at_ms);
  if (online_ && tokens_ && !refreshing_ && refresh_due_at_) earliest(*refresh_due_at_);
  return at;
}

void ClientImpl::handle_timeout(std::int64_t now) {
  if (disposed_) return;
  for (PreLogin* flow : {&sign_in_, &registration_, &reset_}) {
    if (flow->session_id.empty() || now < flow->expires_at_ms) continue;
    wipe(flow->session_id);
    flow->expired = true;
    if (flow == &sign_in_) emit_auth_state(Json{{"reason", "SIGN_IN_EXPIRED"}});
  }
  if (online_ && tokens_ && !refreshing_ && refresh_due_at_ && now >= *refresh_due_at_) start_refresh(now);
}

void ClientImpl::set_locale(std::string_view locale) {
  if (!disposed_ && known_locale(locale)) config_.locale = std::string(locale);
}

// ---- persistence ---------------------------------------------------------------------------------
// {"version":1,"tokens":{…}|null,"signIn":{"loginSessionId","methods":[…],"expiresAt":ms}|null}

std::string ClientImpl::export_state() const {
  if (disposed_) return "";
  Json out{{"version", 1}, {"tokens", tokens_ ? tokens_to_json(*tokens_) : Json()}, {"signIn", Json()}};
  if (!sign_in_.session_id.empty())
    out["signIn"] = Json{{"loginSessionId", sign_in_.session_id},
                         {"methods", sign_in_.methods},
                         {"expiresAt", sign_in_.expires_at_ms}};
  return dump_json(out);
}

Status ClientImpl::import_state(std::string_view state_json, std::int64_t now) {
  if (disposed_) return order("CLIENT.DISPOSED", "the client was disposed");
  if (signed_in() || sign_in_.active()) return order("CLIENT.STATE_NOT_EMPTY", "import_state needs a signed-out client");
  const Json doc = parse_json(state_json);
  if (!doc.is_object()) return caller("state must be a JSON object");
  auto version = field<std::int64_t>(doc, "version", Source::Caller);
  if (!version.ok()) return std::move(version).error();
  if (version.value() != 1) return caller("unsupported state version");

  std::optional<TokenSet> tokens;
  if (const auto it = doc.find("tokens"); it != doc.end() && !it->is_null()) {
    auto t = tokens_from_json(*it);
    if (!t.ok()) return std::move(t).error();
    if (now < t.value().refresh_expires_at_ms) tokens = std::move(t).value();
  }
  PreLogin flow;
  if (const auto it = doc.find("signIn"); it != doc.end() && !it->is_null()) {
    auto id = field<std::string>(*it, "loginSessionId", Source::Caller);
    auto at = field<std::int64_t>(*it, "expiresAt", Source::Caller);
    auto methods = field<Json>(*it, "methods", Source::Caller);
    if (!id.ok()) return std::move(id).error();
    if (!at.ok()) return std::move(at).error();
    if (!methods.ok()) return std::move(methods).error();
    if (!methods.value().is_array()) return caller("signIn.methods must be an array");
    for (const Json& m : methods.value()) {
      if (!m.is_string()) return caller("signIn.methods must hold strings");
      flow.methods.push_back(m.get<std::string>());
    }
    flow.session_id = std::move(id).value();
    flow.expires_at_ms = at.value();
  }
  if (tokens) {
    install_tokens(std::move(*tokens), "IMPORT", "local", now, false);
  } else if (!flow.session_id.empty() && now < flow.expires_at_ms) {
    sign_in_ = std::move(flow);
  }
  emit_auth_state();
  return ok_status();
}

void ClientImpl::dispose() {
  if (disposed_) return;
  disposed_ = true;
  if (tokens_) tokens_->wipe();
  tokens_.reset();
  for (PreLogin* flow : {&sign_in_, &registration_, &reset_}) flow->clear();
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
