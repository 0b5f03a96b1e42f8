#include "flows/tokens.hpp"

#include "common/bytes.hpp"

namespace portal {

void TokenSet::wipe() noexcept {
  portal::wipe(access_token);
  portal::wipe(refresh_token);
  access_expires_at_ms = refresh_expires_at_ms = 0;
  mfa_setup_required = false;
}

Result<TokenSet> tokens_from_server(const Json& data, std::int64_t now_ms) {
  auto access = field<std::string>(data, "accessToken");
  if (!access.ok()) return std::move(access).error();
  auto refresh = field<std::string>(data, "refreshToken");
  if (!refresh.ok()) return std::move(refresh).error();
  auto expires_in = field<std::int64_t>(data, "expiresIn");
  if (!expires_in.ok()) return std::move(expires_in).error();
  auto refresh_in = optional_field<std::int64_t>(data, "refreshExpiresIn");
  if (!refresh_in.ok()) return std::move(refresh_in).error();
  auto mfa = optional_field<bool>(data, "mfaSetupRequired");
  if (!mfa.ok()) return std::move(mfa).error();
  auto type = optional_field<std::string>(data, "tokenType");
  if (!type.ok()) return std::move(type).error();
  if (type.value() && *type.value() != "Bearer")
    return field_error(Source::Peer, "tokenType", "FIELD_INVALID", "is not Bearer");
  constexpr std::int64_t kMaxSeconds = kMaxTokenLifeMs / 1000;
  if (access.value().empty() || refresh.value().empty() || expires_in.value() <= 0 || expires_in.value() > kMaxSeconds)
    return field_error(Source::Peer, "tokens", "FIELD_INVALID", "are empty or expire out of range");
  std::int64_t refresh_seconds = refresh_in.value().value_or(kMaxSeconds);
  if (refresh_seconds <= 0 || refresh_seconds > kMaxSeconds) refresh_seconds = kMaxSeconds;

  TokenSet t;
  t.access_token = std::move(access).value();
  t.refresh_token = std::move(refresh).value();
  t.access_expires_at_ms = now_ms + expires_in.value() * 1000;
  t.refresh_expires_at_ms = now_ms + refresh_seconds * 1000;
  t.mfa_setup_required = mfa.value().value_or(false);
  return t;
}

Json tokens_to_json(const TokenSet& t) {
  return Json{{"accessToken", t.access_token},
              {"refreshToken", t.refresh_token},
              {"accessExpiresAt", t.access_expires_at_ms},
              {"refreshExpiresAt", t.refresh_expires_at_ms},
              {"mfaSetupRequired", t.mfa_setup_required}};
}

Result<TokenSet> tokens_from_json(const Json& v) {
  auto access = field<std::string>(v, "accessToken", Source::Caller);
  if (!access.ok()) return std::move(access).error();
  auto refresh = field<std::string>(v, "refreshToken", Source::Caller);
  if (!refresh.ok()) return std::move(refresh).error();
  auto access_at = field<std::int64_t>(v, "accessExpiresAt", Source::Caller);
  if (!access_at.ok()) return std::move(access_at).error();
  auto refresh_at = field<std::int64_t>(v, "refreshExpiresAt", Source::Caller);
  if (!refresh_at.ok()) return std::move(refresh_at).error();
  auto mfa = optional_field<bool>(v, "mfaSetupRequired", Source::Caller);
  if (!mfa.ok()) return std::move(mfa).error();
  TokenSet t;
  t.access_token = std::move(access).value();
  t.refresh_token = std::move(refresh).value();
  t.access_expires_at_ms = access_at.value();
  t.refresh_expires_at_ms = refresh_at.value();
  t.mfa_setup_required = mfa.value().value_or(false);
  if (t.access_token.empty() || t.refresh_token.empty())
    return field_error(Source::Caller, "tokens", "FIELD_INVALID", "are empty");
  return t;
}

}  // namespace portal
