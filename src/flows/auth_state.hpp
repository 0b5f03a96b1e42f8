// The client's auth state machine: its states, the events that move it, the reasons it reports,
// and what each operation needs. The transition table itself is at the top of auth_state.cpp;
// ClientImpl::apply() (session.cpp) is the one place the state changes.
//
// One state at a time: the pre-login flows (sign-in with its MFA step, registration with its two
// steps, password reset) exclude one another and a session. A flow that answers after another
// replaced it finds no row for its event and is refused (CLIENT.OUT_OF_ORDER).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace portal {

enum class AuthState : std::uint8_t {
  SignedOut,
  SigningIn,               // step MFA_REQUIRED
  VerifyingEmail,          // registering, step VERIFY_EMAIL
  CompletingRegistration,  // registering, step COMPLETE_REGISTRATION
  ResettingPassword,       // step RESET_PASSWORD
  SignedIn,
  Refreshing,              // signed in, the single-flight token refresh is out
};
inline constexpr int kAuthStateCount = 7;

// What moves the state (answers and local decisions, not the operations that ask for them).
enum class AuthEvent : std::uint8_t {
  MfaRequired,         // signIn answered: a second factor is needed
  TokensIssued,        // a sign-in or registration ended with tokens; tokens imported or adopted
  RegistrationOpened,  // register answered with a registration session
  EmailVerified,       // verifyRegistrationEmail succeeded
  EmailUnverified,     // the server says the email is not verified after all
  ResetOpened,         // forgotPassword answered with a reset session
  FlowEnded,           // the pre-login flow finished, expired, was invalidated or replaced by a new sign-in
  RefreshStarted,
  RefreshEnded,        // answered, failed or made moot by a peer's tokens
  SignedOut,           // every local sign-out, whatever its reason
};
inline constexpr int kAuthEventCount = 10;

// The next state, or nothing when the table has no row (the event is out of order).
std::optional<AuthState> transition(AuthState from, AuthEvent event) noexcept;

// Which states an operation may start in (spec/operations.json "needs").
enum class Need : std::uint8_t { Any, NotSignedIn, SignInPending, RegistrationPending, ResetPending, SignedIn };
bool permits(Need need, AuthState state) noexcept;
// The Order error code for an operation refused in `state`.
const char* refusal_code(Need need, AuthState state) noexcept;

// The pre-login flow a state belongs to, as the Need of its steps (Any for none), and what a
// step of that flow answers once its server session expired.
Need flow_need(AuthState state) noexcept;
const char* expired_code(Need need) noexcept;

bool is_pre_login(AuthState state) noexcept;
bool is_signed_in(AuthState state) noexcept;  // SignedIn or Refreshing

// Why the state changed ("reason" of authState and signedOut events).
enum class Reason : std::uint8_t {
  None,
  User,
  SessionExpired,
  RefreshFailed,
  OtherTab,
  Terminated,
  Peer,
  SignInExpired,
  RegistrationExpired,
  PasswordResetExpired,
};

Reason expired_reason(Need need) noexcept;  // SignInExpired, … (None for no flow)

// Why a "tokens" event was emitted, and where the tokens came from.
enum class TokensReason : std::uint8_t { SignIn, Refresh, Update, Peer, SignOut, Share, Import };
enum class TokensSource : std::uint8_t { Local, Peer };

// ---- wire names: the one place these enums become the strings of events and exported state ----
const char* state_name(AuthState state) noexcept;  // SIGNED_OUT, SIGNING_IN, REGISTERING, …
const char* step_name(AuthState state) noexcept;   // MFA_REQUIRED, …; nullptr when the state has none
const char* event_name(AuthEvent event) noexcept;  // for messages
const char* to_string(Reason reason) noexcept;     // nullptr for None
const char* to_string(TokensReason reason) noexcept;
const char* to_string(TokensSource source) noexcept;

}  // namespace portal
