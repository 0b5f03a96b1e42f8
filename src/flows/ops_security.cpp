// Security-centre operations: MFA state, OTP, backup codes, IP whitelist (with the lockout
// guard), auth sessions.
#include <memory>

#include "flows/client_impl.hpp"
#include "common/error_codes.hpp"
#include "flows/ip_list.hpp"
#include "flows/op_args.hpp"
#include "flows/otpauth.hpp"

namespace portal {

using api::Endpoint;

Status ClientImpl::op_get_mfa_state(std::uint64_t op, const Json&, std::int64_t now) {
  simple(op, Endpoint::MfaState, Json(), now);
  return ok_status();
}

// → {secret, issuer, otpauthUri (built here, see otpauth.hpp), serverUri (the server's qrCodeUri)}.
// The label needs the account email: taken from the last profile, fetched first if unknown.
Status ClientImpl::op_setup_otp(std::uint64_t op, const Json&, std::int64_t now) {
  auto setup = [this, op](std::int64_t t) {
    call(op, Endpoint::OtpSetup, Json::object(), [this, op](Result<Json> r, std::int64_t) {
      if (!r.ok()) return reject(op, r.error());
      auto secret = field<std::string>(r.value(), "secret");
      auto issuer = field<std::string>(r.value(), "issuer");
      auto server_uri = optional_field<std::string>(r.value(), "qrCodeUri");
      if (!secret.ok()) return reject(op, secret.error());
      if (!issuer.ok()) return reject(op, issuer.error());
      if (!server_uri.ok()) return reject(op, server_uri.error());
      auto uri = build_otpauth_uri(issuer.value(), account_email_, secret.value());
      if (!uri.ok()) return reject(op, uri.error());
      resolve(op, Json{{"secret", secret.value()},
                       {"issuer", issuer.value()},
                       {"otpauthUri", uri.value()},
                       {"serverUri", server_uri.value() ? Json(*server_uri.value()) : Json()}});
    }, t);
  };
  if (!account_email_.empty()) {
    setup(now);
    return ok_status();
  }
  call(op, Endpoint::Profile, Json(), [this, op, setup](Result<Json> r, std::int64_t t) {
    if (!r.ok()) return reject(op, r.error());
    auto email = field<std::string>(r.value(), "accountEmail");
    if (!email.ok()) return reject(op, email.error());
    account_email_ = email.value();
    setup(t);
  }, now);
  return ok_status();
}

// OTP enabled satisfies the MFA policy: clear mfaSetupRequired locally and re-route.
Status ClientImpl::op_verify_otp(std::uint64_t op, const Json& args, std::int64_t now) {
  auto code = text_arg(args, "code");
  if (!code.ok()) return std::move(code).error();
  call(op, Endpoint::OtpVerify, Json{{"code", code.value()}}, [this, op](Result<Json> r, std::int64_t t) {
    if (!r.ok()) return reject(op, r.error());
    if (tokens_ && tokens_->mfa_setup_required) {
      tokens_->mfa_setup_required = false;
      emit_tokens(TokensReason::Update, TokensSource::Local);
    }
    resolve_with_route(op, Json::object(), t);
  }, now);
  return ok_status();
}

Status ClientImpl::op_revoke_otp(std::uint64_t op, const Json& args, std::int64_t now) {
  auto password = text_arg(args, "password");
  if (!password.ok()) return std::move(password).error();
  Json body{{"password", password.value()}};
  wipe(password.value());
  simple(op, Endpoint::OtpRevoke, std::move(body), now);
  return ok_status();
}

Status ClientImpl::op_generate_backup_codes(std::uint64_t op, const Json&, std::int64_t now) {
  call(op, Endpoint::BackupCodesGenerate, Json::object(), [this, op](Result<Json> r, std::int64_t) {
    if (!r.ok()) return reject(op, r.error());
    auto codes = field<Json>(r.value(), "codes");
    if (!codes.ok() || !codes.value().is_array())
      return reject(op, field_error(Source::Peer, "codes", "FIELD_TYPE", "is not a list"));
    resolve(op, Json{{"codes", codes.value()}});
  }, now);
  return ok_status();
}

// ---- IP whitelist ---------------------------------------------------------------------------------

Status ClientImpl::op_get_ip_whitelist(std::uint64_t op, const Json&, std::int64_t now) {
  simple(op, Endpoint::IpWhitelistGet, Json(), now);
  return ok_status();
}

void ClientImpl::fetch_lockout_facts(std::uint64_t op, Callback<void(LockoutFacts, std::int64_t)> then,
                                     std::int64_t now) {
  struct Join {
    LockoutFacts facts;
    int remaining = 2;
    bool failed = false;
    Callback<void(LockoutFacts, std::int64_t)> then;
  };
  auto join = std::make_shared<Join>();
  join->then = std::move(then);
  auto arrive = [this, op, join](std::optional<Error> error, std::int64_t t) {
    if (join->failed) return;
    if (error) {
      join->failed = true;
      return reject(op, *error);
    }
    if (--join->remaining == 0) join->then(std::move(join->facts), t);
  };
  call(op, Endpoint::IpWhitelistGet, Json(), [join, arrive](Result<Json> r, std::int64_t t) {
    if (!r.ok()) return arrive(r.error(), t);
    auto enabled = field<bool>(r.value(), "enabled");
    auto entries = field<Json>(r.value(), "entries");
    if (!enabled.ok()) return arrive(enabled.error(), t);
    if (!entries.ok() || !entries.value().is_array())
      return arrive(field_error(Source::Peer, "entries", "FIELD_TYPE", "is not a list"), t);
    join->facts.enabled = enabled.value();
    for (const Json& e : entries.value())
      if (e.is_string()) join->facts.entries.push_back(e.get<std::string>());
    arrive(std::nullopt, t);
  }, now);
  call(op, Endpoint::Sessions, Json(), [this, join, arrive](Result<Json> r, std::int64_t t) {
    if (!r.ok()) return arrive(r.error(), t);
    if (!r.value().is_array()) return arrive(field_error(Source::Peer, "sessions", "FIELD_TYPE", "is not a list"), t);
    for (const Json& s : r.value()) {
      auto current = optional_field<bool>(s, "isCurrent");
      if (!current.ok() || !current.value().value_or(false)) continue;
      if (auto ip = field<std::string>(s, "clientIp"); ip.ok()) join->facts.client_ip = ip.value();
      if (auto id = field<std::string>(s, "sessionId"); id.ok()) current_session_ = id.value();
    }
    arrive(std::nullopt, t);
  }, now);
}

namespace {

Error lockout_error(const std::optional<std::string>& client_ip) {
  const std::string ip = client_ip ? *client_ip : std::string("unknown");
  Error e = Error::of(codes::kClientIpWhitelistLockout, "the whitelist does not cover this session's IP address (" + ip +
                                  "); saving it would lock you out. Pass confirmLockout to proceed anyway");
  e.field_errors.push_back({"entries", "IP_WHITELIST_EXCLUDES_CURRENT", e.message});
  e.field_errors.push_back({"clientIp", "CURRENT_IP", ip});
  return e;
}

Error empty_error() {
  Error e = Error::of(codes::kClientIpWhitelistEmpty, "an enabled IP whitelist needs at least one entry");
  e.field_errors.push_back({"entries", "IP_WHITELIST_EMPTY", e.message});
  return e;
}

bool covers_client(const std::vector<IpEntry>& entries, const std::optional<std::string>& client_ip) {
  if (!client_ip) return false;
  const auto address = parse_ip_address(*client_ip);
  return address && covers_any(entries, *address);
}

}  // namespace

// {entries:[…], confirmLockout?} → {enabled, entries}. Entries are validated and normalised here
// (see ip_list.hpp); while the whitelist is enabled the list must not be empty, and must cover
// the current session's IP unless confirmLockout.
Status ClientImpl::op_save_ip_whitelist(std::uint64_t op, const Json& args, std::int64_t now) {
  auto raw = field<Json>(args, "entries", Source::Caller);
  if (!raw.ok()) return std::move(raw).error();
  if (!raw.value().is_array()) return invalid_arg("entries", "must be a list of strings", "FIELD_TYPE");
  std::vector<std::string> texts;
  Error types = Error::of(codes::kClientInvalidArgument, "IP whitelist entries must be strings");
  for (std::size_t i = 0; i < raw.value().size(); ++i) {
    const Json& item = raw.value()[i];
    if (!item.is_string()) {
      types.field_errors.push_back({"entries[" + std::to_string(i) + "]", "FIELD_TYPE", "must be a string"});
      texts.emplace_back();
    } else {
      texts.push_back(item.get<std::string>());
    }
  }
  if (!types.field_errors.empty()) return types;
  auto list = normalise_ip_list(texts);
  if (!list.ok()) return std::move(list).error();
  auto confirm = flag_arg(args, "confirmLockout");
  if (!confirm.ok()) return std::move(confirm).error();

  auto shared = std::make_shared<IpList>(std::move(list).value());
  const bool confirmed = confirm.value();
  fetch_lockout_facts(op, [this, op, shared, confirmed](LockoutFacts facts, std::int64_t t) {
    if (facts.enabled && shared->entries.empty()) return reject(op, empty_error());
    if (facts.enabled && !confirmed && !covers_client(shared->entries, facts.client_ip))
      return reject(op, lockout_error(facts.client_ip));
    Json body{{"entries", shared->texts}};
    if (confirmed) body["allowLockout"] = true;  // the server's guard would refuse it otherwise
    simple(op, Endpoint::IpWhitelistSave, std::move(body), t);
  }, now);
  return ok_status();
}

// {enabled, confirmLockout?} → null. Enabling checks the saved list as saving does.
Status ClientImpl::op_set_ip_whitelist_enabled(std::uint64_t op, const Json& args, std::int64_t now) {
  auto enabled = field<bool>(args, "enabled", Source::Caller);
  if (!enabled.ok()) return std::move(enabled).error();
  auto confirm = flag_arg(args, "confirmLockout");
  if (!confirm.ok()) return std::move(confirm).error();
  if (!enabled.value()) {
    simple(op, Endpoint::IpWhitelistEnable, Json{{"enabled", false}}, now);
    return ok_status();
  }
  const bool confirmed = confirm.value();
  fetch_lockout_facts(op, [this, op, confirmed](LockoutFacts facts, std::int64_t t) {
    std::vector<IpEntry> entries;
    for (const std::string& text : facts.entries)
      if (auto e = parse_ip_entry(text); e.ok()) entries.push_back(e.value());
    if (entries.empty()) return reject(op, empty_error());
    if (!confirmed && !covers_client(entries, facts.client_ip)) return reject(op, lockout_error(facts.client_ip));
    Json body{{"enabled", true}};
    if (confirmed) body["allowLockout"] = true;
    simple(op, Endpoint::IpWhitelistEnable, std::move(body), t);
  }, now);
  return ok_status();
}

// ---- auth sessions ---------------------------------------------------------------------------------

Status ClientImpl::op_list_sessions(std::uint64_t op, const Json&, std::int64_t now) {
  call(op, Endpoint::Sessions, Json(), [this, op](Result<Json> r, std::int64_t) {
    if (!r.ok()) return reject(op, r.error());
    if (r.value().is_array())
      for (const Json& s : r.value()) {
        auto current = optional_field<bool>(s, "isCurrent");
        auto id = optional_field<std::string>(s, "sessionId");
        if (current.ok() && current.value().value_or(false) && id.ok() && id.value()) current_session_ = *id.value();
      }
    resolve(op, std::move(r).value());
  }, now);
  return ok_status();
}

// Terminating the current session acts as a sign-out (reason TERMINATED).
Status ClientImpl::op_terminate_session(std::uint64_t op, const Json& args, std::int64_t now) {
  auto id = text_arg(args, "sessionId");
  if (!id.ok()) return std::move(id).error();
  const std::string session_id = id.value();
  call(op, Endpoint::SessionTerminate, Json{{"sessionId", session_id}}, [this, op, session_id](Result<Json> r, std::int64_t t) {
    if (!r.ok()) return reject(op, r.error());
    if (!current_session_.empty() && session_id == current_session_) sign_out_locally(Reason::Terminated, nullptr, t);
    resolve(op, Json());
  }, now);
  return ok_status();
}

Status ClientImpl::op_terminate_other_sessions(std::uint64_t op, const Json&, std::int64_t now) {
  simple(op, Endpoint::SessionTerminateAll, Json::object(), now);
  return ok_status();
}

}  // namespace portal
