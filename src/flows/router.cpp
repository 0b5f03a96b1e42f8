#include "flows/router.hpp"

namespace portal {

Route decide_route(const RoutingInputs& in) {
  Route r;
  r.pending_invitations = in.pending_invitations;
  if (in.account_status == AccountStatus::PendingApproval) r.name = RouteName::PendingApproval;
  else if (in.account_status == AccountStatus::Unknown) r.name = RouteName::AccountBlocked;
  else if (in.account_status == AccountStatus::Invited) r.name = RouteName::InitPassword;
  else if (in.mfa_setup_required) r.name = RouteName::SetupMfa;
  else if (in.pending_invitations > 0) r.name = RouteName::Invitations;
  else if (!in.default_workspace.empty()) {
    r.name = RouteName::App;
    r.workspace_biz_id = in.default_workspace;
  } else if (in.workspace_count > 0) r.name = RouteName::SelectWorkspace;
  else r.name = RouteName::CreateWorkspace;
  return r;
}

bool may_enter(RouteName target, const RoutingInputs& in) {
  const Route landing = decide_route(in);
  switch (landing.name) {
    case RouteName::PendingApproval:
    case RouteName::AccountBlocked: return target == landing.name || target == RouteName::Profile;
    case RouteName::InitPassword:
    case RouteName::SetupMfa: return target == landing.name;
    default: break;
  }
  switch (target) {
    case RouteName::App: return !in.default_workspace.empty();
    case RouteName::SelectWorkspace:
    case RouteName::CreateWorkspace: return target == landing.name;
    case RouteName::Workspaces:
    case RouteName::Invitations:
    case RouteName::Profile:
    case RouteName::Security: return true;
    default: return false;
  }
}

const char* to_string(RouteName name) noexcept {
  switch (name) {
    case RouteName::PendingApproval: return "PENDING_APPROVAL";
    case RouteName::AccountBlocked: return "ACCOUNT_BLOCKED";
    case RouteName::InitPassword: return "PASSWORD_INIT";
    case RouteName::SetupMfa: return "MFA_SETUP";
    case RouteName::Invitations: return "INVITATIONS";
    case RouteName::App: return "APP";
    case RouteName::SelectWorkspace: return "SELECT_WORKSPACE";
    case RouteName::CreateWorkspace: return "CREATE_WORKSPACE";
    case RouteName::Workspaces: return "WORKSPACES";
    case RouteName::Profile: return "PROFILE";
    case RouteName::Security: return "SECURITY";
  }
  return "APP";
}

std::optional<RouteName> route_name_from_string(std::string_view name) noexcept {
  for (int i = 0; i <= static_cast<int>(RouteName::Security); ++i)
    if (name == to_string(static_cast<RouteName>(i))) return static_cast<RouteName>(i);
  return std::nullopt;
}

AccountStatus account_status_from_code(const std::string& code) noexcept {
  if (code == "ACTIVE") return AccountStatus::Active;
  if (code == "INVITED") return AccountStatus::Invited;
  if (code == "PENDING_APPROVAL") return AccountStatus::PendingApproval;
  return AccountStatus::Unknown;
}

Json route_to_json(const Route& route) {
  Json out = Json::object();
  out["name"] = to_string(route.name);
  if (route.name == RouteName::App) out["workspaceBizId"] = route.workspace_biz_id;
  out["pendingInvitations"] = route.pending_invitations;
  return out;
}

}  // namespace portal
