// Operations after sign-in: bootstrap and routing, profile, invitations, workspaces.
#include <memory>

#include "flows/client_impl.hpp"
#include "common/error_codes.hpp"
#include "flows/op_args.hpp"

namespace portal {

using api::Endpoint;

void ClientImpl::simple(std::uint64_t op, Endpoint endpoint, Json body, std::int64_t now, std::string param) {
  CallOptions options;
  options.param = std::move(param);
  call(op, endpoint, std::move(body), [this, op](Result<Json> r, std::int64_t) {
    if (!r.ok()) return reject(op, r.error());
    resolve(op, std::move(r).value());
  }, now, std::move(options));
}

namespace {

// The profile's accountEmail, kept for the otpauth label (op_setup_otp).
void remember_email(const Json& profile, std::string& account_email) {
  if (auto email = optional_field<std::string>(profile, "accountEmail"); email.ok() && email.value())
    account_email = *email.value();
}

// How many invitations of a list are PENDING.
Result<int> count_pending(const Json& invitations) {
  if (!invitations.is_array()) return field_error(Source::Peer, "invitations", "FIELD_TYPE", "is not a list");
  int pending = 0;
  for (const Json& inv : invitations) {
    auto status_field = field<Json>(inv, "status");
    if (!status_field.ok()) return std::move(status_field).error();
    auto code = api::decode_enum(status_field.value(), "status");
    if (!code.ok()) return std::move(code).error();
    if (code.value().code == "PENDING") ++pending;
  }
  return pending;
}

// The three bootstrap answers → routing inputs. Profile is required; workspaces and
// invitations only when the route depends on them.
Result<RoutingInputs> inputs_from(const Result<Json>& profile, const Result<Json>& workspaces, const Result<Json>& invitations,
                         bool mfa_setup_required, std::string& account_email) {
  if (!profile.ok()) return profile.error();
  auto status = field<Json>(profile.value(), "accountStatus");
  if (!status.ok()) return std::move(status).error();
  auto status_enum = api::decode_enum(status.value(), "accountStatus");
  if (!status_enum.ok()) return std::move(status_enum).error();
  remember_email(profile.value(), account_email);

  RoutingInputs in;
  in.account_status = account_status_from_code(status_enum.value().code);
  in.mfa_setup_required = mfa_setup_required;
  if (workspaces.ok()) {
    if (!workspaces.value().is_array())
      return field_error(Source::Peer, "workspaces", "FIELD_TYPE", "is not a list");
    for (const Json& w : workspaces.value()) {
      auto id = field<std::string>(w, "workspaceBizId");
      if (!id.ok()) return std::move(id).error();
      auto is_default = optional_field<bool>(w, "isDefault");
      if (!is_default.ok()) return std::move(is_default).error();
      ++in.workspace_count;
      if (is_default.value().value_or(false) && in.default_workspace.empty()) in.default_workspace = id.value();
    }
  }
  if (invitations.ok()) {
    auto pending = count_pending(invitations.value());
    if (!pending.ok()) return std::move(pending).error();
    in.pending_invitations = pending.value();
  }
  const Route route = decide_route(in);
  const bool needs_lists = route.name == RouteName::Invitations || route.name == RouteName::App ||
                           route.name == RouteName::SelectWorkspace || route.name == RouteName::CreateWorkspace;
  if (needs_lists && !workspaces.ok()) return workspaces.error();
  if (needs_lists && !invitations.ok()) return invitations.error();
  return in;
}

}  // namespace

void ClientImpl::run_bootstrap(std::uint64_t op, Callback<void(Result<Json>, std::int64_t)> then,
                               std::int64_t now) {
  struct Join {
    Result<Json> parts[3] = {Json(), Json(), Json()};
    int remaining = 3;
    Callback<void(Result<Json>, std::int64_t)> then;
  };
  auto join = std::make_shared<Join>();
  join->then = std::move(then);
  auto part = [this, join](int index) {
    return [this, join, index](Result<Json> r, std::int64_t t) {
      join->parts[index] = std::move(r);
      if (--join->remaining > 0) return;
      auto in = inputs_from(join->parts[0], join->parts[1], join->parts[2],
                            tokens_ && tokens_->mfa_setup_required, account_email_);
      if (!in.ok()) return join->then(std::move(in).error(), t);
      if (!tokens_) return join->then(Error::of(codes::kClientNotSignedIn, "signed out"), t);
      routing_ = std::move(in).value();
      Json payload = route_to_json(decide_route(*routing_));
      emit(EventKind::Route, 0, payload);
      join->then(std::move(payload), t);
    };
  };
  call(op, Endpoint::Profile, Json(), part(0), now);
  call(op, Endpoint::WorkspacesMine, Json(), part(1), now);
  call(op, Endpoint::Invitations, Json(), part(2), now);
}

void ClientImpl::resolve_with_route(std::uint64_t op, Json result, std::int64_t now) {
  // The action already succeeded: a failed re-route must not turn it into a failure (a retry
  // would then meet e.g. ALREADY_PROCESSED), so the route is null in that case.
  run_bootstrap(op, [this, op, result](Result<Json> route, std::int64_t) mutable {
    result["route"] = route.ok() ? std::move(route).value() : Json();
    resolve(op, std::move(result));
  }, now);
}

Status ClientImpl::op_bootstrap(std::uint64_t op, const Json&, std::int64_t now) {
  run_bootstrap(op, [this, op](Result<Json> route, std::int64_t) {
    if (!route.ok()) return reject(op, route.error());
    resolve(op, Json{{"route", std::move(route).value()}});
  }, now);
  return ok_status();
}

Status ClientImpl::op_check_route(std::uint64_t op, const Json& args, std::int64_t now) {
  auto name = field<std::string>(args, "name", Source::Caller);
  if (!name.ok()) return std::move(name).error();
  const auto target = route_name_from_string(name.value());
  if (!target)
    return field_error(Source::Caller, "name", "FIELD_INVALID", "is not a route name");
  auto answer = [this, op, to = *target](std::int64_t) {
    RoutingInputs in = *routing_;
    in.mfa_setup_required = tokens_ && tokens_->mfa_setup_required;  // verifyOtp clears it
    resolve(op, Json{{"allowed", may_enter(to, in)}, {"route", route_to_json(decide_route(in))}});
  };
  if (routing_) {
    answer(now);
    return ok_status();
  }
  run_bootstrap(op, [this, op, answer](Result<Json> route, std::int64_t t) {
    if (!route.ok()) return reject(op, route.error());
    answer(t);
  }, now);
  return ok_status();
}

// ---- profile -------------------------------------------------------------------------------------

void ClientImpl::resolve_profile(std::uint64_t op, Result<Json> profile) {
  if (!profile.ok()) return reject(op, profile.error());
  remember_email(profile.value(), account_email_);
  resolve(op, std::move(profile).value());
}

Status ClientImpl::op_get_profile(std::uint64_t op, const Json&, std::int64_t now) {
  call(op, Endpoint::Profile, Json(), [this, op](Result<Json> r, std::int64_t) { resolve_profile(op, std::move(r)); },
       now);
  return ok_status();
}

namespace {

// "+81 90 1234 5678", "+1 (555) 010-0199" → "+819012345678", "+15550100199": the separators
// people type are dropped when what remains is '+' and digits (the E.164 form the server wants).
// Anything else goes to the server as typed, which names the problem.
std::string normalise_phone(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')') continue;
    out += c;
  }
  const bool e164_shaped = out.size() > 1 && out[0] == '+' &&
                           out.find_first_not_of("0123456789", 1) == std::string::npos;
  return e164_shaped ? out : text;
}

}  // namespace

Status ClientImpl::op_update_profile(std::uint64_t op, const Json& args, std::int64_t now) {
  // docs/api.md §6.5: only these are editable; accountRemark (admin-only) and the identity fields
  // are refused here rather than by a server round trip.
  static constexpr const char* kEditable[] = {"accountName", "defaultLanguage", "defaultTimezone", "defaultCountry"};
  Error refused = Error::of(codes::kClientInvalidArgument, "");
  Json body = Json::object();
  for (auto it = args.begin(); it != args.end(); ++it) {
    const std::string& key = it.key();
    bool editable = key == "accountPhone";
    for (const char* name : kEditable) editable = editable || key == name;
    if (!editable) {
      refused.field_errors.push_back({key, "FIELD_NOT_EDITABLE", key + " cannot be changed by the account holder"});
      continue;
    }
    const bool type_ok = it->is_string() || (key == "accountPhone" && it->is_null());
    if (!type_ok) {
      refused.field_errors.push_back({key, "FIELD_TYPE", key + " must be a string"});
      continue;
    }
    body[key] = key == "accountPhone" && it->is_string() ? Json(normalise_phone(it->get<std::string>())) : *it;
  }
  if (!refused.field_errors.empty()) {
    refused.message = "updateProfile: " + refused.field_errors.front().message;
    return refused;
  }
  call(op, Endpoint::ProfileUpdate, std::move(body),
       [this, op](Result<Json> r, std::int64_t) { resolve_profile(op, std::move(r)); }, now);
  return ok_status();
}

// ---- invitations and workspaces ------------------------------------------------------------------

// The list is the result. Its PENDING count is a routing fact: when it differs from what the
// last bootstrap learned, the route is decided again and a "route" event says so (the count a
// page shows comes from there).
Status ClientImpl::op_list_invitations(std::uint64_t op, const Json&, std::int64_t now) {
  call(op, Endpoint::Invitations, Json(), [this, op](Result<Json> r, std::int64_t) {
    if (!r.ok()) return reject(op, r.error());
    auto pending = count_pending(r.value());
    if (!pending.ok()) return reject(op, pending.error());
    if (routing_ && routing_->pending_invitations != pending.value()) {
      routing_->pending_invitations = pending.value();
      RoutingInputs in = *routing_;
      in.mfa_setup_required = tokens_ && tokens_->mfa_setup_required;  // verifyOtp clears it
      emit(EventKind::Route, 0, route_to_json(decide_route(in)));
    }
    resolve(op, std::move(r).value());
  }, now);
  return ok_status();
}

// {invitationBizId} becomes the path parameter; it is checked as a path segment here, so a bad id
// fails start() (a Caller error) instead of rejecting the op later.
Status ClientImpl::invitation_call(std::uint64_t op, Endpoint endpoint, const Json& args, Done done, std::int64_t now) {
  auto id = text_arg(args, "invitationBizId");
  if (!id.ok()) return std::move(id).error();
  if (auto path = api::build_path(endpoint, config_.portal, id.value()); !path.ok()) return std::move(path).error();
  CallOptions options;
  options.param = std::move(id).value();
  call(op, endpoint, Json::object(), std::move(done), now, std::move(options));
  return ok_status();
}

// Typed outcome: {workspaceBizId, becameDefaultWorkspace, nextAction{code,value,label}, route}.
// WORKSPACE.INVITATION_EXPIRED / _ALREADY_PROCESSED / _NOT_FOUND reject with that code.
// nextAction ENTER_ACCEPTED_WORKSPACE is followed here: unless the accepted workspace already
// became the default, it is selected as the default (the current workspace) before the route is
// decided. If that selection fails, the accept still resolves (it happened) and the route says
// where the account is.
Status ClientImpl::op_accept_invitation(std::uint64_t op, const Json& args, std::int64_t now) {
  return invitation_call(op, Endpoint::InvitationAccept, args, [this, op](Result<Json> r, std::int64_t t) {
    if (!r.ok()) return reject(op, r.error());
    const Json& d = r.value();
    auto workspace = field<std::string>(d, "workspaceBizId");
    if (!workspace.ok()) return reject(op, workspace.error());
    auto became = field<bool>(d, "becameDefaultWorkspace");
    if (!became.ok()) return reject(op, became.error());
    auto next = field<Json>(d, "nextAction");
    if (!next.ok()) return reject(op, next.error());
    auto action = api::decode_enum(next.value(), "nextAction");
    if (!action.ok()) return reject(op, action.error());
    Json outcome{{"workspaceBizId", workspace.value()},
                 {"becameDefaultWorkspace", became.value()},
                 {"nextAction", api::enum_to_json(action.value())}};
    if (action.value().code != "ENTER_ACCEPTED_WORKSPACE" || became.value())
      return resolve_with_route(op, std::move(outcome), t);
    call(op, Endpoint::WorkspaceSelectDefault, Json{{"workspaceBizId", workspace.value()}},
         [this, op, outcome = std::move(outcome)](Result<Json>, std::int64_t t2) mutable {
           resolve_with_route(op, std::move(outcome), t2);
         },
         t);
  }, now);
}

Status ClientImpl::op_decline_invitation(std::uint64_t op, const Json& args, std::int64_t now) {
  return invitation_call(op, Endpoint::InvitationDecline, args, [this, op](Result<Json> r, std::int64_t t) {
    if (!r.ok()) return reject(op, r.error());
    resolve_with_route(op, Json::object(), t);
  }, now);
}

Status ClientImpl::op_list_workspaces(std::uint64_t op, const Json&, std::int64_t now) {
  simple(op, Endpoint::WorkspacesMine, Json(), now);
  return ok_status();
}

Status ClientImpl::op_create_workspace(std::uint64_t op, const Json& args, std::int64_t now) {
  auto name = text_arg(args, "workspaceName");
  if (!name.ok()) return std::move(name).error();
  if (name.value().find_first_not_of(" \t\r\n") == std::string::npos)
    return invalid_arg("workspaceName", "must not be blank", "FIELD_REQUIRED");
  call(op, Endpoint::WorkspaceCreate, Json{{"workspaceName", name.value()}}, [this, op](Result<Json> r, std::int64_t t) {
    if (!r.ok()) return reject(op, r.error());
    if (!r.value().is_object()) return reject(op, field_error(Source::Peer, "data", "FIELD_TYPE", "is not a workspace"));
    resolve_with_route(op, std::move(r).value(), t);
  }, now);
  return ok_status();
}

Status ClientImpl::op_select_workspace(std::uint64_t op, const Json& args, std::int64_t now) {
  auto id = text_arg(args, "workspaceBizId");
  if (!id.ok()) return std::move(id).error();
  call(op, Endpoint::WorkspaceSelectDefault, Json{{"workspaceBizId", id.value()}},
       [this, op](Result<Json> r, std::int64_t t) {
         if (!r.ok()) return reject(op, r.error());
         resolve_with_route(op, Json::object(), t);
       },
       now);
  return ok_status();
}

}  // namespace portal
