// Token state: what the server issues (docs/api.md §6.2), what persists, what other tabs receive.
//
// The JWT is never decoded: expiry instants come from `expiresIn` / `refreshExpiresIn` (seconds)
// added to the local time at which the answer arrived.
//
// Persisted / broadcast form (the "tokens" member of export_state and of the "tokens" event):
//   {"accessToken","refreshToken","accessExpiresAt":<epoch ms>,"refreshExpiresAt":<epoch ms>,
//    "mfaSetupRequired":bool}
#pragma once

#include <cstdint>
#include <string>

#include "common/error.hpp"
#include "common/json.hpp"

namespace portal {

// The longest token life accepted from anyone (server answers, other tabs): 10 years.
inline constexpr std::int64_t kMaxTokenLifeMs = 10LL * 365 * 24 * 3600 * 1000;

struct TokenSet {
  std::string access_token;
  std::string refresh_token;
  std::int64_t access_expires_at_ms = 0;
  std::int64_t refresh_expires_at_ms = 0;
  bool mfa_setup_required = false;

  void wipe() noexcept;
};

// From a server `data` object holding the token fields (login/complete, refresh, register/complete,
// or login/initiate with mfaRequired false). Protocol error CLIENT.BAD_RESPONSE when malformed.
Result<TokenSet> tokens_from_server(const Json& data, std::int64_t now_ms);

Json tokens_to_json(const TokenSet& tokens);
// The persisted form back; Caller error (it comes from our owner's storage or another tab).
Result<TokenSet> tokens_from_json(const Json& value);

}  // namespace portal
