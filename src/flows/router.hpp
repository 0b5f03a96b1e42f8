// The onboarding router: ONE pure function from what bootstrap learned to the next route.
//
// Decision points (docs/api.md: the onboarding rules and §10.2), checked
// in this order — the first that applies wins:
//
//   1. accountStatus PENDING_APPROVAL        → PENDING_APPROVAL  (blocked until approved)
//   2. accountStatus INVITED                  → PASSWORD_INIT     (newly invited account: set a
//                                                                  password before anything else)
//   3. tokens' mfaSetupRequired               → MFA_SETUP         (portal policy: MFA first)
//   4. at least one PENDING invitation        → INVITATIONS       (overrides the landing page)
//   5. a default workspace (isDefault)        → APP               (with its workspaceBizId)
//   6. one or more workspaces, none default   → SELECT_WORKSPACE  (selecting sets the default;
//                                                                  also for exactly one, so the
//                                                                  server records a default)
//   7. no workspace                           → CREATE_WORKSPACE
//
// Any other accountStatus code (one this client does not know) routes to ACCOUNT_BLOCKED rather
// than guessing that the account is usable.
//
// Gates: may_enter() answers whether the account may open a destination now (every screen a
// front end shows after sign-in, the landing routes included); when not, it must go to
// decide_route()'s route. The rules, by that route:
//
//   PENDING_APPROVAL, ACCOUNT_BLOCKED  only that notice, and PROFILE (read-only facts)
//   PASSWORD_INIT, MFA_SETUP           only that step
//   any other (an active account past both steps):
//     APP needs a default workspace; SELECT_WORKSPACE and CREATE_WORKSPACE only while they are
//     the landing route (onboarding steps: "pick your default", "create your first"; otherwise
//     WORKSPACES lists, selects and creates); WORKSPACES, INVITATIONS, PROFILE, SECURITY are
//     open; PASSWORD_INIT, MFA_SETUP, PENDING_APPROVAL, ACCOUNT_BLOCKED are closed (those steps
//     are not this account's).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/json.hpp"

namespace portal {

enum class AccountStatus { Active, Invited, PendingApproval, Unknown };

enum class RouteName {
  PendingApproval,
  AccountBlocked,
  InitPassword,
  SetupMfa,
  Invitations,
  App,
  SelectWorkspace,
  CreateWorkspace,
  // Destinations reached by navigation only (decide_route never lands on them).
  Workspaces,
  Profile,
  Security,
};

struct RoutingInputs {
  AccountStatus account_status = AccountStatus::Active;
  bool mfa_setup_required = false;
  int pending_invitations = 0;       // invitations whose status code is PENDING
  int workspace_count = 0;
  std::string default_workspace;     // workspaceBizId of the isDefault one, empty if none
};

struct Route {
  RouteName name = RouteName::App;
  std::string workspace_biz_id;  // APP only
  int pending_invitations = 0;   // carried on every route so a screen can show a badge
};

Route decide_route(const RoutingInputs& inputs);

bool may_enter(RouteName target, const RoutingInputs& inputs);

const char* to_string(RouteName name) noexcept;
std::optional<RouteName> route_name_from_string(std::string_view name) noexcept;
AccountStatus account_status_from_code(const std::string& code) noexcept;

// {"name":"APP","workspaceBizId":"WS_…","pendingInvitations":0}
// (workspaceBizId present only on APP).
Json route_to_json(const Route& route);

}  // namespace portal
