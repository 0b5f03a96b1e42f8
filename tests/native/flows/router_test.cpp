// The onboarding router, table-driven over EVERY combination of its decision inputs:
// account status (4) × mfaSetupRequired (2) × pending invitations (0, 1, 3) × workspaces
// (none; one default; one without default; several with a default; several without one).
#include <doctest/doctest.h>

#include <iterator>
#include <set>

#include "flows/router.hpp"

using namespace portal;

namespace {

struct Workspaces {
  const char* label;
  int count;
  const char* default_id;  // "" = no default
};

const Workspaces kWorkspaceCases[] = {
    {"none", 0, ""},
    {"one default", 1, "WS_1"},
    {"one, no default", 1, ""},
    {"several, one default", 3, "WS_2"},
    {"several, no default", 2, ""},
};

// The expected route of every combination, written out from the onboarding rules of
// docs/api.md (status first, then MFA setup, then pending invitations, then workspaces), one row
// per status × mfaSetupRequired × any pending invitation, one column per kWorkspaceCases entry.
using R = RouteName;
struct Row {
  AccountStatus status;
  bool mfa;
  bool invitations;
  R route[5];  // none, one default, one without default, several with a default, several without
};
const Row kExpected[] = {
    {AccountStatus::Active, false, false, {R::CreateWorkspace, R::App, R::SelectWorkspace, R::App, R::SelectWorkspace}},
    {AccountStatus::Active, false, true, {R::Invitations, R::Invitations, R::Invitations, R::Invitations, R::Invitations}},
    {AccountStatus::Active, true, false, {R::SetupMfa, R::SetupMfa, R::SetupMfa, R::SetupMfa, R::SetupMfa}},
    {AccountStatus::Active, true, true, {R::SetupMfa, R::SetupMfa, R::SetupMfa, R::SetupMfa, R::SetupMfa}},
    {AccountStatus::Invited, false, false, {R::InitPassword, R::InitPassword, R::InitPassword, R::InitPassword, R::InitPassword}},
    {AccountStatus::Invited, false, true, {R::InitPassword, R::InitPassword, R::InitPassword, R::InitPassword, R::InitPassword}},
    {AccountStatus::Invited, true, false, {R::InitPassword, R::InitPassword, R::InitPassword, R::InitPassword, R::InitPassword}},
    {AccountStatus::Invited, true, true, {R::InitPassword, R::InitPassword, R::InitPassword, R::InitPassword, R::InitPassword}},
    {AccountStatus::PendingApproval, false, false, {R::PendingApproval, R::PendingApproval, R::PendingApproval, R::PendingApproval, R::PendingApproval}},
    {AccountStatus::PendingApproval, false, true, {R::PendingApproval, R::PendingApproval, R::PendingApproval, R::PendingApproval, R::PendingApproval}},
    {AccountStatus::PendingApproval, true, false, {R::PendingApproval, R::PendingApproval, R::PendingApproval, R::PendingApproval, R::PendingApproval}},
    {AccountStatus::PendingApproval, true, true, {R::PendingApproval, R::PendingApproval, R::PendingApproval, R::PendingApproval, R::PendingApproval}},
    {AccountStatus::Unknown, false, false, {R::AccountBlocked, R::AccountBlocked, R::AccountBlocked, R::AccountBlocked, R::AccountBlocked}},
    {AccountStatus::Unknown, false, true, {R::AccountBlocked, R::AccountBlocked, R::AccountBlocked, R::AccountBlocked, R::AccountBlocked}},
    {AccountStatus::Unknown, true, false, {R::AccountBlocked, R::AccountBlocked, R::AccountBlocked, R::AccountBlocked, R::AccountBlocked}},
    {AccountStatus::Unknown, true, true, {R::AccountBlocked, R::AccountBlocked, R::AccountBlocked, R::AccountBlocked, R::AccountBlocked}},
};

RouteName expected(AccountStatus status, bool mfa, int invitations, std::size_t workspace_case) {
  for (const Row& row : kExpected)
    if (row.status == status && row.mfa == mfa && row.invitations == (invitations > 0)) return row.route[workspace_case];
  FAIL("no expected row");
  return R::AccountBlocked;
}

}  // namespace

TEST_CASE("router: every combination of decision inputs") {
  std::set<RouteName> seen;
  int combinations = 0;
  for (const AccountStatus status :
       {AccountStatus::Active, AccountStatus::Invited, AccountStatus::PendingApproval, AccountStatus::Unknown})
    for (const bool mfa : {false, true})
      for (const int invitations : {0, 1, 3})
        for (std::size_t w = 0; w < std::size(kWorkspaceCases); ++w) {
          const Workspaces& ws = kWorkspaceCases[w];
          RoutingInputs in;
          in.account_status = status;
          in.mfa_setup_required = mfa;
          in.pending_invitations = invitations;
          in.workspace_count = ws.count;
          in.default_workspace = ws.default_id;
          const Route route = decide_route(in);
          CAPTURE(static_cast<int>(status));
          CAPTURE(mfa);
          CAPTURE(invitations);
          CAPTURE(ws.label);
          CHECK(route.name == expected(status, mfa, invitations, w));
          CHECK(route.pending_invitations == invitations);
          if (route.name == RouteName::App) CHECK(route.workspace_biz_id == ws.default_id);
          else CHECK(route.workspace_biz_id.empty());
          seen.insert(route.name);
          ++combinations;
        }
  CHECK(combinations == 4 * 2 * 3 * 5);
  CHECK(seen.size() == 8);  // every route is reachable
}

TEST_CASE("router: the seeded onboarding cases of docs/api.md §10.2") {
  auto route = [](AccountStatus s, bool mfa, int inv, int ws, const char* def) {
    RoutingInputs in;
    in.account_status = s;
    in.mfa_setup_required = mfa;
    in.pending_invitations = inv;
    in.workspace_count = ws;
    in.default_workspace = def;
    return decide_route(in).name;
  };
  CHECK(route(AccountStatus::Active, false, 0, 1, "WS_ACME_001") == RouteName::App);           // admin
  CHECK(route(AccountStatus::Invited, false, 1, 0, "") == RouteName::InitPassword);             // invited
  CHECK(route(AccountStatus::Active, true, 0, 1, "WS") == RouteName::SetupMfa);                 // mfa-required
  CHECK(route(AccountStatus::Active, false, 0, 0, "") == RouteName::CreateWorkspace);           // noworkspace
  CHECK(route(AccountStatus::Active, false, 1, 1, "WS") == RouteName::Invitations);             // invitations
  CHECK(route(AccountStatus::PendingApproval, false, 0, 0, "") == RouteName::PendingApproval);  // pending
  CHECK(route(AccountStatus::Active, false, 0, 2, "") == RouteName::SelectWorkspace);           // multi
}

TEST_CASE("router: status codes and JSON") {
  CHECK(account_status_from_code("ACTIVE") == AccountStatus::Active);
  CHECK(account_status_from_code("INVITED") == AccountStatus::Invited);
  CHECK(account_status_from_code("PENDING_APPROVAL") == AccountStatus::PendingApproval);
  CHECK(account_status_from_code("LOCKED") == AccountStatus::Unknown);
  CHECK(account_status_from_code("active") == AccountStatus::Unknown);

  Route app;
  app.name = RouteName::App;
  app.workspace_biz_id = "WS_1";
  app.pending_invitations = 0;
  CHECK(route_to_json(app) == Json::parse(R"({"name":"APP","workspaceBizId":"WS_1","pendingInvitations":0})"));
  Route inv;
  inv.name = RouteName::Invitations;
  inv.pending_invitations = 2;
  CHECK(route_to_json(inv) == Json::parse(R"({"name":"INVITATIONS","pendingInvitations":2})"));
  for (const RouteName n : {RouteName::PendingApproval, RouteName::AccountBlocked, RouteName::InitPassword,
                            RouteName::SetupMfa, RouteName::SelectWorkspace, RouteName::CreateWorkspace})
    CHECK(std::string(to_string(n)).size() > 2);
  CHECK(std::string(to_string(RouteName::InitPassword)) == "PASSWORD_INIT");
  CHECK(std::string(to_string(RouteName::SetupMfa)) == "MFA_SETUP");
}

// ---- gates ---------------------------------------------------------------------------------------
// Every destination × account state, as a LITERAL table written from the rules (router.hpp
// "Gates"): 1 = may enter, 0 = must go to the landing route. Not recomputed from the router.

namespace {

struct GateState {
  const char* label;
  AccountStatus status;
  bool mfa;
  int invitations;
  int workspaces;
  const char* default_id;
  RouteName landing;
};

const GateState kGateStates[] = {
    {"pending approval", AccountStatus::PendingApproval, false, 0, 0, "", RouteName::PendingApproval},
    {"pending approval + mfa + ws", AccountStatus::PendingApproval, true, 1, 1, "WS_1", RouteName::PendingApproval},
    {"unknown status", AccountStatus::Unknown, false, 0, 1, "WS_1", RouteName::AccountBlocked},
    {"invited", AccountStatus::Invited, false, 1, 0, "", RouteName::InitPassword},
    {"invited + mfa", AccountStatus::Invited, true, 0, 1, "WS_1", RouteName::InitPassword},
    {"mfa required", AccountStatus::Active, true, 0, 1, "WS_1", RouteName::SetupMfa},
    {"invitations, default ws", AccountStatus::Active, false, 2, 1, "WS_1", RouteName::Invitations},
    {"invitations, no ws", AccountStatus::Active, false, 1, 0, "", RouteName::Invitations},
    {"default ws", AccountStatus::Active, false, 0, 2, "WS_2", RouteName::App},
    {"ws, none default", AccountStatus::Active, false, 0, 2, "", RouteName::SelectWorkspace},
    {"no ws", AccountStatus::Active, false, 0, 0, "", RouteName::CreateWorkspace},
};

const RouteName kDestinations[] = {
    RouteName::App,           RouteName::Workspaces,   RouteName::SelectWorkspace, RouteName::CreateWorkspace,
    RouteName::Invitations,   RouteName::Profile,      RouteName::Security,        RouteName::InitPassword,
    RouteName::SetupMfa,      RouteName::PendingApproval, RouteName::AccountBlocked,
};

// Rows: kGateStates; columns: kDestinations in the order above.
//   APP WS  SEL CRE INV PRO SEC PWI MFA PEN BLK
const int kAllowed[11][11] = {
    {0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0},  // pending approval
    {0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0},  // pending approval + mfa + ws
    {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1},  // unknown status
    {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0},  // invited
    {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0},  // invited + mfa
    {0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0},  // mfa required
    {1, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0},  // invitations, default ws
    {0, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0},  // invitations, no ws
    {1, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0},  // default ws
    {0, 1, 1, 0, 1, 1, 1, 0, 0, 0, 0},  // ws, none default
    {0, 1, 0, 1, 1, 1, 1, 0, 0, 0, 0},  // no ws
};

}  // namespace

TEST_CASE("router: gates — every destination × account state, from a literal table") {
  for (int row = 0; row < 11; ++row) {
    const GateState& s = kGateStates[row];
    RoutingInputs in;
    in.account_status = s.status;
    in.mfa_setup_required = s.mfa;
    in.pending_invitations = s.invitations;
    in.workspace_count = s.workspaces;
    in.default_workspace = s.default_id;
    CAPTURE(s.label);
    CHECK(decide_route(in).name == s.landing);
    for (int col = 0; col < 11; ++col) {
      CAPTURE(to_string(kDestinations[col]));
      CHECK(may_enter(kDestinations[col], in) == (kAllowed[row][col] == 1));
    }
  }
}

TEST_CASE("router: destination names round-trip") {
  for (const RouteName n : kDestinations) CHECK(route_name_from_string(to_string(n)) == n);
  CHECK(route_name_from_string("app") == std::nullopt);
  CHECK(route_name_from_string("") == std::nullopt);
  CHECK(std::string(to_string(RouteName::Workspaces)) == "WORKSPACES");
}
