// The auth state machine's tables. Everything that decides a state lives here; the code that
// applies it is ClientImpl::apply() (session.cpp).
#include "flows/auth_state.hpp"
#include "common/error_codes.hpp"

#include "flows/client.hpp"

#include <iterator>

namespace portal {
namespace {

using S = AuthState;
using E = AuthEvent;

struct Row {
  AuthState from;
  AuthEvent event;
  AuthState to;
};

// ---- the transitions: a pair not listed here is out of order ------------------------------------
constexpr Row kTransitions[] = {
    // A sign-in that needs a second factor replaces any pre-login flow.
    {S::SignedOut, E::MfaRequired, S::SigningIn},
    {S::SigningIn, E::MfaRequired, S::SigningIn},
    {S::VerifyingEmail, E::MfaRequired, S::SigningIn},
    {S::CompletingRegistration, E::MfaRequired, S::SigningIn},
    {S::ResettingPassword, E::MfaRequired, S::SigningIn},
    // Tokens end every pre-login flow (an answer for one replaced later finds the session gone).
    {S::SignedOut, E::TokensIssued, S::SignedIn},
    {S::SigningIn, E::TokensIssued, S::SignedIn},
    {S::VerifyingEmail, E::TokensIssued, S::SignedIn},
    {S::CompletingRegistration, E::TokensIssued, S::SignedIn},
    {S::ResettingPassword, E::TokensIssued, S::SignedIn},
    // Registration: register → verify the email → complete (tokens, above).
    {S::SignedOut, E::RegistrationOpened, S::VerifyingEmail},
    {S::SigningIn, E::RegistrationOpened, S::VerifyingEmail},
    {S::VerifyingEmail, E::RegistrationOpened, S::VerifyingEmail},
    {S::CompletingRegistration, E::RegistrationOpened, S::VerifyingEmail},
    {S::ResettingPassword, E::RegistrationOpened, S::VerifyingEmail},
    {S::VerifyingEmail, E::EmailVerified, S::CompletingRegistration},
    {S::CompletingRegistration, E::EmailUnverified, S::VerifyingEmail},
    // Password reset: forgot → reset (FlowEnded).
    {S::SignedOut, E::ResetOpened, S::ResettingPassword},
    {S::SigningIn, E::ResetOpened, S::ResettingPassword},
    {S::VerifyingEmail, E::ResetOpened, S::ResettingPassword},
    {S::CompletingRegistration, E::ResetOpened, S::ResettingPassword},
    {S::ResettingPassword, E::ResetOpened, S::ResettingPassword},
    // The end of a pre-login flow without tokens: done (reset), expired, invalid, replaced.
    {S::SigningIn, E::FlowEnded, S::SignedOut},
    {S::VerifyingEmail, E::FlowEnded, S::SignedOut},
    {S::CompletingRegistration, E::FlowEnded, S::SignedOut},
    {S::ResettingPassword, E::FlowEnded, S::SignedOut},
    // Token refresh (single flight).
    {S::SignedIn, E::RefreshStarted, S::Refreshing},
    {S::Refreshing, E::RefreshEnded, S::SignedIn},
    // A local sign-out ends whatever there was.
    {S::SignedOut, E::SignedOut, S::SignedOut},
    {S::SigningIn, E::SignedOut, S::SignedOut},
    {S::VerifyingEmail, E::SignedOut, S::SignedOut},
    {S::CompletingRegistration, E::SignedOut, S::SignedOut},
    {S::ResettingPassword, E::SignedOut, S::SignedOut},
    {S::SignedIn, E::SignedOut, S::SignedOut},
    {S::Refreshing, E::SignedOut, S::SignedOut},
};

// ---- what an operation needs (spec/operations.json "needs"), and the refusal otherwise -----------
constexpr unsigned bit(AuthState s) { return 1u << static_cast<unsigned>(s); }
constexpr unsigned kPreLogin = bit(S::SigningIn) | bit(S::VerifyingEmail) | bit(S::CompletingRegistration) |
                               bit(S::ResettingPassword);
constexpr unsigned kSession = bit(S::SignedIn) | bit(S::Refreshing);

struct NeedRow {
  Need need;
  unsigned states;
  const char* refused;  // when not signed in (signed in, a pre-login step answers ALREADY_SIGNED_IN)
  const char* expired;  // a pre-login step whose flow expired
  Reason expired_reason;
};
constexpr NeedRow kNeeds[] = {
    {Need::Any, ~0u, "", "", Reason::None},
    {Need::NotSignedIn, bit(S::SignedOut) | kPreLogin, codes::kClientAlreadySignedIn, "", Reason::None},
    {Need::SignInPending, bit(S::SigningIn), codes::kClientNoSignIn, codes::kClientSignInExpired, Reason::SignInExpired},
    {Need::RegistrationPending, bit(S::VerifyingEmail) | bit(S::CompletingRegistration), codes::kClientNoRegistration,
     codes::kClientRegistrationExpired, Reason::RegistrationExpired},
    {Need::ResetPending, bit(S::ResettingPassword), codes::kClientNoPasswordReset, codes::kClientPasswordResetExpired,
     Reason::PasswordResetExpired},
    {Need::SignedIn, kSession, codes::kClientNotSignedIn, "", Reason::None},
};

const NeedRow& need_row(Need need) {
  for (const NeedRow& row : kNeeds)
    if (row.need == need) return row;
  return kNeeds[0];
}

}  // namespace

std::optional<AuthState> transition(AuthState from, AuthEvent event) noexcept {
  for (const Row& row : kTransitions)
    if (row.from == from && row.event == event) return row.to;
  return std::nullopt;
}

bool permits(Need need, AuthState state) noexcept { return (need_row(need).states & bit(state)) != 0; }

const char* refusal_code(Need need, AuthState state) noexcept {
  if (need != Need::SignedIn && is_signed_in(state)) return codes::kClientAlreadySignedIn;
  return need_row(need).refused;
}

Need flow_need(AuthState state) noexcept {
  for (const NeedRow& row : kNeeds)
    if (row.need != Need::Any && row.need != Need::NotSignedIn && (row.states & bit(state)) != 0) return row.need;
  return Need::Any;
}

const char* expired_code(Need need) noexcept { return need_row(need).expired; }
Reason expired_reason(Need need) noexcept { return need_row(need).expired_reason; }

bool is_pre_login(AuthState state) noexcept { return (kPreLogin & bit(state)) != 0; }
bool is_signed_in(AuthState state) noexcept { return (kSession & bit(state)) != 0; }

// ---- wire names ------------------------------------------------------------------------------------

const char* state_name(AuthState state) noexcept {
  switch (state) {
    case S::SignedOut: return "SIGNED_OUT";
    case S::SigningIn: return "SIGNING_IN";
    case S::VerifyingEmail:
    case S::CompletingRegistration: return "REGISTERING";
    case S::ResettingPassword: return "RESETTING_PASSWORD";
    case S::SignedIn:
    case S::Refreshing: return "SIGNED_IN";  // a refresh is not news to the page
  }
  return "SIGNED_OUT";
}

const char* step_name(AuthState state) noexcept {
  switch (state) {
    case S::SigningIn: return "MFA_REQUIRED";
    case S::VerifyingEmail: return "VERIFY_EMAIL";
    case S::CompletingRegistration: return "COMPLETE_REGISTRATION";
    case S::ResettingPassword: return "RESET_PASSWORD";
    default: return nullptr;
  }
}

const char* event_name(AuthEvent event) noexcept {
  static constexpr const char* kNames[kAuthEventCount] = {
      "MfaRequired", "TokensIssued", "RegistrationOpened", "EmailVerified", "EmailUnverified",
      "ResetOpened", "FlowEnded",    "RefreshStarted",     "RefreshEnded",  "SignedOut"};
  const auto i = static_cast<std::size_t>(event);
  return i < std::size(kNames) ? kNames[i] : "?";
}

namespace {
constexpr const char* kReasons[] = {nullptr,     "USER",    "SESSION_EXPIRED", "REFRESH_FAILED",
                                    "OTHER_TAB", "TERMINATED", "PEER",         "SIGN_IN_EXPIRED",
                                    "REGISTRATION_EXPIRED", "PASSWORD_RESET_EXPIRED"};
}  // namespace

const char* to_string(Reason reason) noexcept {
  const auto i = static_cast<std::size_t>(reason);
  return i < std::size(kReasons) ? kReasons[i] : nullptr;
}

const char* to_string(TokensReason reason) noexcept {
  switch (reason) {
    case TokensReason::SignIn: return "SIGN_IN";
    case TokensReason::Refresh: return "REFRESH";
    case TokensReason::Update: return "UPDATE";
    case TokensReason::Peer: return "PEER";
    case TokensReason::SignOut: return "SIGN_OUT";
    case TokensReason::Share: return "SHARE";
    case TokensReason::Import: return "IMPORT";
  }
  return "UPDATE";
}

const char* to_string(EventKind kind) noexcept {
  switch (kind) {
    case EventKind::Resolved: return "resolved";
    case EventKind::Rejected: return "rejected";
    case EventKind::AuthState: return "authState";
    case EventKind::Tokens: return "tokens";
    case EventKind::SignedOut: return "signedOut";
    case EventKind::Route: return "route";
  }
  return "resolved";
}

const char* to_string(TokensSource source) noexcept { return source == TokensSource::Peer ? "peer" : "local"; }

}  // namespace portal
