// Security centre, profile, invitations and workspaces through PortalClient.
#include <doctest/doctest.h>

#include "flows/fake_server.hpp"

using namespace portal;
using namespace portal::test;

namespace {

struct Whitelist {
  bool enabled = true;
  Json entries = Json::array({"192.168.1.0/24"});
  std::string client_ip = "203.0.113.7";
  Json last_body;  // the body of the latest POST, to see what the client asked for
};

void serve_whitelist(Harness& h, Whitelist& w) {
  h.server.on("GET security/ip-whitelist", [&w](const Received&, std::int64_t) {
    return ok(Json{{"enabled", w.enabled}, {"entries", w.entries}});
  });
  h.server.on("GET security/sessions", [&w](const Received&, std::int64_t) {
    return ok(Json::array({Json{{"sessionId", "SESS_C"}, {"clientIp", w.client_ip}, {"isCurrent", true}},
                           Json{{"sessionId", "SESS_R"}, {"clientIp", "10.9.9.9"}, {"isCurrent", false}}}));
  });
  h.server.on("POST security/ip-whitelist", [&w](const Received& r, std::int64_t) {
    w.last_body = r.body;
    w.entries = r.body["entries"];
    return ok(Json{{"enabled", w.enabled}, {"entries", w.entries}});
  });
  h.server.on("POST security/ip-whitelist/enable", [&w](const Received& r, std::int64_t) {
    w.last_body = r.body;
    w.enabled = r.body["enabled"].get<bool>();
    return no_content();
  });
}

}  // namespace

TEST_CASE("IP whitelist: invalid entries are refused synchronously, per index") {
  Harness h;
  h.sign_in();
  auto e = h.start_error("saveIpWhitelist", Json{{"entries", {"10.0.0.1", "300.1.1.1", "10.0.0.0/8", "1.2.3.4/24"}}});
  CHECK(e.kind == ErrorKind::Caller);
  REQUIRE(e.field_errors.size() == 2);
  CHECK(e.field_errors[0].field == "entries[1]");
  CHECK(e.field_errors[0].code == "IP_ENTRY_INVALID");
  CHECK(e.field_errors[1].field == "entries[3]");
  CHECK(e.field_errors[1].code == "IP_CIDR_HOST_BITS");
  auto typed = h.start_error("saveIpWhitelist", Json{{"entries", Json::array({"10.0.0.1", 5})}});
  CHECK(typed.field_errors.at(0).field == "entries[1]");
  CHECK(h.start_error("saveIpWhitelist", Json{{"entries", "10.0.0.1"}}).kind == ErrorKind::Caller);
  CHECK(h.start_error("saveIpWhitelist", Json{{"entries", Json::array()}, {"confirmLockout", "yes"}}).kind ==
        ErrorKind::Caller);
  CHECK_FALSE(h.client->poll_request());
}

TEST_CASE("IP whitelist: the lockout guard, confirmLockout, normalisation and de-duplication") {
  Harness h;
  h.sign_in();
  Whitelist w;
  serve_whitelist(h, w);

  // Enabled, and the new list does not cover 203.0.113.7.
  const auto a = h.start("saveIpWhitelist", Json{{"entries", {"10.0.0.0/8"}}});
  h.drive();
  const Json err = h.error(a);
  CHECK(err["code"] == "CLIENT.IP_WHITELIST_LOCKOUT");
  CHECK(err["message"].get<std::string>().find("203.0.113.7") != std::string::npos);
  CHECK(err["fieldErrors"][1] == Json{{"field", "clientIp"}, {"code", "CURRENT_IP"}, {"message", "203.0.113.7"}});
  CHECK(h.server.count("POST security/ip-whitelist") == 0);

  // Covering it (in a non-canonical spelling, with duplicates) is saved normalised.
  const auto b = h.start("saveIpWhitelist",
                         Json{{"entries", {" 203.0.113.0/24", "2001:DB8:0::1", "203.0.113.0/24", "::ffff:10.1.2.3"}}});
  h.drive();
  CHECK(h.result(b) == Json::parse(R"({"enabled":true,"entries":["203.0.113.0/24","2001:db8::1","10.1.2.3"]})"));
  CHECK_FALSE(w.last_body.contains("allowLockout"));

  // confirmLockout overrides the guard, and tells the server so (docs/api.md §6.6: without
  // allowLockout the server refuses a list that excludes the caller).
  const auto c = h.start("saveIpWhitelist", Json{{"entries", {"10.0.0.0/8"}}, {"confirmLockout", true}});
  h.drive();
  CHECK(h.result(c)["entries"] == Json::array({"10.0.0.0/8"}));
  CHECK(w.last_body == Json::parse(R"({"allowLockout":true,"entries":["10.0.0.0/8"]})"));

  // An enabled whitelist cannot become empty.
  const auto d = h.start("saveIpWhitelist", Json{{"entries", Json::array()}, {"confirmLockout", true}});
  h.drive();
  CHECK(h.error(d)["code"] == "CLIENT.IP_WHITELIST_EMPTY");

  // A disabled whitelist may hold anything valid.
  w.enabled = false;
  const auto e = h.start("saveIpWhitelist", Json{{"entries", {"10.0.0.0/8"}}});
  h.drive();
  CHECK(h.result(e)["entries"] == Json::array({"10.0.0.0/8"}));

  // An IPv4-mapped client address is covered by the IPv4 entry.
  w.enabled = true;
  w.client_ip = "::ffff:10.20.30.40";
  const auto f = h.start("saveIpWhitelist", Json{{"entries", {"10.0.0.0/8"}}});
  h.drive();
  h.result(f);
}

TEST_CASE("IP whitelist: enabling checks the saved list; disabling never does") {
  Harness h;
  h.sign_in();
  Whitelist w;
  w.enabled = false;
  serve_whitelist(h, w);
  const auto a = h.start("setIpWhitelistEnabled", Json{{"enabled", true}});
  h.drive();
  CHECK(h.error(a)["code"] == "CLIENT.IP_WHITELIST_LOCKOUT");
  CHECK(h.server.count("POST security/ip-whitelist/enable") == 0);
  const auto b = h.start("setIpWhitelistEnabled", Json{{"enabled", true}, {"confirmLockout", true}});
  h.drive();
  CHECK(h.result(b).is_null());
  CHECK(w.enabled);
  CHECK(w.last_body == Json::parse(R"({"allowLockout":true,"enabled":true})"));
  const auto c = h.start("setIpWhitelistEnabled", Json{{"enabled", false}});
  h.drive();
  h.result(c);
  CHECK_FALSE(w.enabled);
  w.entries = Json::array();
  const auto d = h.start("setIpWhitelistEnabled", Json{{"enabled", true}, {"confirmLockout", true}});
  h.drive();
  CHECK(h.error(d)["code"] == "CLIENT.IP_WHITELIST_EMPTY");
  w.entries = Json::array({"203.0.113.0/24"});
  const auto e = h.start("setIpWhitelistEnabled", Json{{"enabled", true}});
  h.drive();
  h.result(e);
  CHECK(w.last_body == Json::parse(R"({"enabled":true})"));
  CHECK(h.start_error("setIpWhitelistEnabled", Json::object()).kind == ErrorKind::Caller);
}

TEST_CASE("OTP setup: the otpauth URI is built here with the account email; verify clears mfaSetupRequired") {
  Harness h;
  h.server.mfa_methods.clear();  // → tokens at once with mfaSetupRequired
  const auto s = h.start("signIn", Json{{"email", kEmail}, {"password", kPassword}});
  h.drive();
  CHECK(h.result(s)["route"]["name"] == "MFA_SETUP");
  h.server.on("POST security/mfa/otp/setup", [](const Received&, std::int64_t) {
    return ok(Json{{"secret", "JBSWY3DPEHPK3PXP"},
                   {"qrCodeUri", "otpauth://totp/SlaunchX:admin@example.com?secret=JBSWY3DPEHPK3PXP"},
                   {"issuer", "Slaunch X"}});
  });
  const auto o = h.start("setupOtp");
  h.drive();
  CHECK(h.result(o) == Json{{"secret", "JBSWY3DPEHPK3PXP"},
                            {"issuer", "Slaunch X"},
                            {"otpauthUri",
                             "otpauth://totp/Slaunch%20X:admin%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Slaunch%20X"
                             "&algorithm=SHA1&digits=6&period=30"},
                            {"serverUri", "otpauth://totp/SlaunchX:admin@example.com?secret=JBSWY3DPEHPK3PXP"}});
  h.server.on("POST security/mfa/otp/verify", [](const Received& r, std::int64_t) {
    if (r.body["code"] != "482916") return fail(400, "AUTH.MFA_CODE_INVALID", "wrong");
    return no_content();
  });
  const auto bad = h.start("verifyOtp", Json{{"code", "000000"}});
  h.drive();
  CHECK(h.error(bad)["code"] == "AUTH.MFA_CODE_INVALID");
  h.clear_events();
  const auto v = h.start("verifyOtp", Json{{"code", "482916"}});
  h.drive();
  CHECK(h.result(v)["route"]["name"] == "APP");
  CHECK(h.kinds() == std::vector<std::string>{"tokens", "route"});
  CHECK(Json::parse(h.of_kind("tokens")[0].payload)["tokens"]["mfaSetupRequired"] == false);
}

TEST_CASE("OTP setup fetches the profile first when the email is not known yet") {
  Harness h;
  h.sign_in();
  // A reloaded page: tokens restored, no profile fetched yet.
  const std::string state = h.client->export_state();
  auto created = PortalClient::create(h.config, h.random);
  REQUIRE(created.ok());
  h.client = std::move(created).value();
  h.events.clear();  // op ids start again at 1 in the new client
  REQUIRE(h.client->import_state(state, h.now).ok());
  h.server.on("POST security/mfa/otp/setup", [](const Received&, std::int64_t) {
    return ok(Json{{"secret", "JBSWY3DPEHPK3PXP"}, {"issuer", "SlaunchX"}});
  });
  const std::size_t before = h.server.log.size();
  const auto o = h.start("setupOtp");
  h.drive();
  CHECK(h.result(o)["otpauthUri"].get<std::string>().find("SlaunchX:admin%40example.com") != std::string::npos);
  CHECK(h.result(o)["serverUri"].is_null());
  CHECK(h.server.log[before].route == "GET profile");
}

TEST_CASE("revoke OTP, backup codes, MFA state, sessions") {
  Harness h;
  h.sign_in();
  h.server.on("POST security/mfa/otp/revoke", [](const Received& r, std::int64_t) {
    CHECK(r.body == Json{{"password", kPassword}});
    return fail(409, "AUTH.OTP_NOT_ENABLED", "not enabled");
  });
  const auto r = h.start("revokeOtp", Json{{"password", kPassword}});
  h.drive();
  CHECK(h.error(r)["code"] == "AUTH.OTP_NOT_ENABLED");
  CHECK(h.error(r)["status"] == 409);

  h.server.on("POST security/mfa/backup-codes/generate", [](const Received& req, std::int64_t) {
    CHECK(req.body == Json::object());
    return ok(Json{{"codes", {"abcd-efgh", "ijkl-mnop"}}});
  });
  const auto b = h.start("generateBackupCodes");
  h.drive();
  CHECK(h.result(b) == Json{{"codes", {"abcd-efgh", "ijkl-mnop"}}});

  const Json mfa = Json::parse(R"([{"mfaMethod":{"code":"EMAIL","value":10011001,"label":"Email"},"isEnabled":true}])");
  h.server.on("GET security/mfa", [&mfa](const Received&, std::int64_t) { return ok(mfa); });
  const auto m = h.start("getMfaState");
  h.drive();
  CHECK(h.result(m) == mfa);

  Whitelist w;
  serve_whitelist(h, w);
  h.server.on("POST security/sessions/terminate", [](const Received& req, std::int64_t) {
    if (req.body["sessionId"] == "SESS_X") return fail(404, "SECURITY.SESSION_NOT_FOUND", "no");
    return no_content();
  });
  h.server.on("POST security/sessions/terminate-all", [](const Received&, std::int64_t) { return no_content(); });
  const auto l = h.start("listSessions");
  h.drive();
  CHECK(h.result(l).size() == 2);
  const auto x = h.start("terminateSession", Json{{"sessionId", "SESS_X"}});
  h.drive();
  CHECK(h.error(x)["code"] == "SECURITY.SESSION_NOT_FOUND");
  const auto other = h.start("terminateSession", Json{{"sessionId", "SESS_R"}});
  h.drive();
  h.result(other);
  const auto all = h.start("terminateOtherSessions");
  h.drive();
  h.result(all);
  CHECK(h.of_kind("signedOut").empty());
  // Terminating the current session is a sign-out.
  h.clear_events();
  const auto current = h.start("terminateSession", Json{{"sessionId", "SESS_C"}});
  h.drive();
  h.result(current);
  CHECK(Json::parse(h.of_kind("signedOut").at(0).payload)["reason"] == "TERMINATED");
}

TEST_CASE("profile: get and update; non-editable fields refused before any request") {
  Harness h;
  h.sign_in();
  auto remark = h.start_error("updateProfile", Json{{"accountRemark", "vip"}, {"accountName", "X"}});
  CHECK(remark.kind == ErrorKind::Caller);
  REQUIRE(remark.field_errors.size() == 1);
  CHECK(remark.field_errors[0].field == "accountRemark");
  CHECK(remark.field_errors[0].code == "FIELD_NOT_EDITABLE");
  CHECK(h.start_error("updateProfile", Json{{"accountEmail", "x@y"}}).field_errors.at(0).code == "FIELD_NOT_EDITABLE");
  CHECK(h.start_error("updateProfile", Json{{"nickname", "x"}}).field_errors.at(0).code == "FIELD_UNKNOWN");
  CHECK(h.start_error("updateProfile", Json{{"accountName", 5}}).field_errors.at(0).code == "FIELD_TYPE");
  CHECK(h.start_error("updateProfile", Json{{"defaultLanguage", nullptr}}).field_errors.at(0).code == "FIELD_TYPE");
  CHECK_FALSE(h.client->poll_request());

  h.server.on("POST profile/update", [](const Received& r, std::int64_t) {
    CHECK(r.body == Json{{"accountName", "New Name"}, {"accountPhone", nullptr}, {"defaultLanguage", "vi"}});
    return ok(Json{{"bizId", "ACC_SYS_001"}, {"accountName", "New Name"}, {"accountEmail", kEmail}});
  });
  const auto u = h.start("updateProfile",
                         Json{{"accountName", "New Name"}, {"accountPhone", nullptr}, {"defaultLanguage", "vi"}});
  h.drive();
  CHECK(h.result(u)["accountName"] == "New Name");
  h.server.on("POST profile/update", [](const Received&, std::int64_t) {
    return fail(400, "4000", "validation", Json{{"fieldErrors", {{{"field", "accountPhone"}, {"code", "FIELD_INVALID"},
                                                                {"message", "E.164"}}}}});
  });
  const auto v = h.start("updateProfile", Json{{"accountPhone", "123"}});
  h.drive();
  CHECK(h.error(v)["fieldErrors"] == Json::parse(R"([{"field":"accountPhone","code":"FIELD_INVALID","message":"E.164"}])"));

  // Phone numbers as people type them reach the server in E.164 form; other text is sent as typed.
  const struct { const char* typed; const char* sent; } phones[] = {
      {"+81 90 1234 5678", "+819012345678"}, {"+1 (555) 010-0199", "+15550100199"}, {"+44.20.7946.0958", "+442079460958"},
      {"+819012345678", "+819012345678"}, {"090 1234 5678", "090 1234 5678"}, {"+81 90 abc", "+81 90 abc"}};
  for (const auto& phone : phones) {
    CAPTURE(phone.typed);
    std::string sent;
    h.server.on("POST profile/update", [&sent](const Received& r, std::int64_t) {
      sent = r.body["accountPhone"].get<std::string>();
      return ok(Json{{"bizId", "ACC_SYS_001"}, {"accountPhone", sent}});
    });
    const auto p = h.start("updateProfile", Json{{"accountPhone", phone.typed}});
    h.drive();
    h.result(p);
    CHECK(sent == phone.sent);
  }
}

TEST_CASE("invitations: typed accept outcome with the new route; decline; conflicts as codes") {
  Harness h;
  h.server.invitations = Json::parse(R"([{"invitationBizId":"a1b2c3d4-e5f6-7890-abcd-ef1234567890",
      "workspaceBizId":"WS_ACME_001","status":{"code":"PENDING","value":10050301,"label":"Pending"}}])");
  h.sign_in();
  CHECK(Json::parse(h.of_kind("route").back().payload)["name"] == "INVITATIONS");
  h.server.on("POST profile/invitations/{id}/accept", [&h](const Received& r, std::int64_t) {
    CHECK(r.path == "/web/v1/system/profile/invitations/a1b2c3d4-e5f6-7890-abcd-ef1234567890/accept");
    CHECK(r.body == Json::object());
    h.server.invitations = Json::array();
    return ok(Json::parse(R"({"workspaceBizId":"WS_ACME_001","becameDefaultWorkspace":false,
        "nextAction":{"code":"ENTER_ACCEPTED_WORKSPACE","value":10050403,"label":"Enter accepted workspace"}})"));
  });
  // ENTER_ACCEPTED_WORKSPACE: the accepted workspace becomes the current (default) one.
  h.server.on("POST workspaces/select-default", [&h](const Received& r, std::int64_t) {
    CHECK(r.body == Json{{"workspaceBizId", "WS_ACME_001"}});
    h.server.workspaces = Json::parse(R"([{"workspaceBizId":"WS_1","workspaceName":"One","isDefault":false},
        {"workspaceBizId":"WS_ACME_001","workspaceName":"Acme Corp","isDefault":true}])");
    return no_content();
  });
  const auto a = h.start("acceptInvitation", Json{{"invitationBizId", "a1b2c3d4-e5f6-7890-abcd-ef1234567890"}});
  h.drive();
  CHECK(h.result(a) == Json::parse(R"({"workspaceBizId":"WS_ACME_001","becameDefaultWorkspace":false,
      "nextAction":{"code":"ENTER_ACCEPTED_WORKSPACE","value":10050403,"label":"Enter accepted workspace"},
      "route":{"name":"APP","workspaceBizId":"WS_ACME_001","pendingInvitations":0}})"));
  CHECK(h.server.count("POST workspaces/select-default") == 1);

  for (const char* code : {"WORKSPACE.INVITATION_EXPIRED", "WORKSPACE.INVITATION_ALREADY_PROCESSED"}) {
    h.server.on("POST profile/invitations/{id}/accept", [code](const Received&, std::int64_t) { return fail(409, code, "conflict"); });
    const auto c = h.start("acceptInvitation", Json{{"invitationBizId", "INV 2/x"}});
    h.drive();
    CHECK(h.error(c)["code"] == code);
    CHECK(h.error(c)["status"] == 409);
    CHECK(h.server.log.back().path == "/web/v1/system/profile/invitations/INV%202%2Fx/accept");
  }
  h.server.on("POST profile/invitations/{id}/decline", [](const Received&, std::int64_t) { return no_content(); });
  const auto d = h.start("declineInvitation", Json{{"invitationBizId", "I2"}});
  h.drive();
  CHECK(h.result(d)["route"]["name"] == "APP");
  CHECK(h.start_error("acceptInvitation", Json{{"invitationBizId", ".."}}).kind == ErrorKind::Caller);
  // A failing re-route does not turn a done accept into a failure.
  h.server.on("POST profile/invitations/{id}/accept", [](const Received&, std::int64_t) {
    return ok(Json::parse(R"({"workspaceBizId":"W","becameDefaultWorkspace":true,
        "nextAction":{"code":"STAY_ON_CURRENT_WORKSPACE","value":10050401,"label":"Stay"}})"));
  });
  h.server.on("GET profile", [](const Received&, std::int64_t) { return fail(500, "5000", "boom"); });
  const auto e = h.start("acceptInvitation", Json{{"invitationBizId", "I3"}});
  h.drive();
  CHECK(h.result(e)["route"].is_null());
  CHECK(h.result(e)["nextAction"]["code"] == "STAY_ON_CURRENT_WORKSPACE");
  CHECK(h.server.count("POST workspaces/select-default") == 1);  // staying selects nothing
}

TEST_CASE("workspaces: list, create and select re-route") {
  Harness h;
  h.server.workspaces = Json::array();
  h.sign_in();
  CHECK(Json::parse(h.of_kind("route").back().payload)["name"] == "CREATE_WORKSPACE");
  h.server.on("POST workspaces/create", [&h](const Received& r, std::int64_t) {
    Json ws{{"workspaceBizId", "WS_NEW"}, {"workspaceName", r.body["workspaceName"]},
            {"role", {{"code", "OWNER"}, {"value", 10050201}, {"label", "Owner"}}}, {"isDefault", true}};
    h.server.workspaces.push_back(ws);
    return ok(ws);
  });
  CHECK(h.start_error("createWorkspace", Json{{"workspaceName", "   "}}).kind == ErrorKind::Caller);
  const auto c = h.start("createWorkspace", Json{{"workspaceName", "Acme"}});
  h.drive();
  CHECK(h.result(c)["workspaceBizId"] == "WS_NEW");
  CHECK(h.result(c)["route"] == Json::parse(R"({"name":"APP","workspaceBizId":"WS_NEW","pendingInvitations":0})"));
  const auto l = h.start("listWorkspaces");
  h.drive();
  CHECK(h.result(l).size() == 1);
  h.server.on("POST workspaces/select-default", [](const Received& r, std::int64_t) {
    if (r.body["workspaceBizId"] != "WS_NEW") return fail(404, "WORKSPACE.NOT_FOUND", "no");
    return no_content();
  });
  const auto s = h.start("selectWorkspace", Json{{"workspaceBizId", "WS_NEW"}});
  h.drive();
  CHECK(h.result(s)["route"]["name"] == "APP");
  const auto bad = h.start("selectWorkspace", Json{{"workspaceBizId", "WS_OTHER"}});
  h.drive();
  CHECK(h.error(bad)["code"] == "WORKSPACE.NOT_FOUND");
}

TEST_CASE("checkRoute: the core gates every destination on what bootstrap learned") {
  Harness h;
  h.server.account_status = "PENDING_APPROVAL";
  h.sign_in();
  const int profiles = h.server.count("GET profile");
  const auto a = h.start("checkRoute", Json{{"name", "APP"}});
  h.drive();
  CHECK(h.result(a) == Json::parse(R"({"allowed":false,"route":{"name":"PENDING_APPROVAL","pendingInvitations":0}})"));
  const auto p = h.start("checkRoute", Json{{"name", "PROFILE"}});
  const auto w = h.start("checkRoute", Json{{"name", "CREATE_WORKSPACE"}});
  h.drive();
  CHECK(h.result(p)["allowed"] == true);
  CHECK(h.result(w)["allowed"] == false);
  CHECK(h.server.count("GET profile") == profiles);  // answered from the facts, no request
  // The account is approved: a bootstrap learns it and the gates open.
  h.server.account_status = "ACTIVE";
  h.start("bootstrap");
  h.drive();
  const auto a2 = h.start("checkRoute", Json{{"name", "APP"}});
  h.drive();
  CHECK(h.result(a2)["allowed"] == true);
  CHECK(h.result(a2)["route"]["name"] == "APP");
  const auto bad = h.start_error("checkRoute", Json{{"name", "app"}});
  CHECK(bad.kind == ErrorKind::Caller);
  CHECK(h.start_error("checkRoute", Json::object()).kind == ErrorKind::Caller);
}

TEST_CASE("checkRoute: MFA setup gates everything until verifyOtp; facts are forgotten at sign-out") {
  Harness h;
  h.server.mfa_methods.clear();  // tokens at once with mfaSetupRequired
  const auto s = h.start("signIn", Json{{"email", kEmail}, {"password", kPassword}});
  h.drive();
  CHECK(h.result(s)["route"]["name"] == "MFA_SETUP");
  for (const char* name : {"APP", "SECURITY", "PROFILE", "WORKSPACES", "INVITATIONS"}) {
    CAPTURE(name);
    const auto c = h.start("checkRoute", Json{{"name", name}});
    h.drive();
    CHECK(h.result(c)["allowed"] == false);
    CHECK(h.result(c)["route"]["name"] == "MFA_SETUP");
  }
  h.server.on("POST security/mfa/otp/verify", [](const Received&, std::int64_t) { return no_content(); });
  h.start("verifyOtp", Json{{"code", "482916"}});
  h.drive();
  const auto c = h.start("checkRoute", Json{{"name", "SECURITY"}});
  h.drive();
  CHECK(h.result(c)["allowed"] == true);
  h.start("signOut");
  h.drive();
  CHECK(h.start_error("checkRoute", Json{{"name", "APP"}}).code == "CLIENT.NOT_SIGNED_IN");
}

TEST_CASE("checkRoute: with no facts yet (a restored session) it bootstraps first") {
  Harness h;
  h.server.account_status = "INVITED";
  h.sign_in();
  const std::string state = h.client->export_state();
  auto created = PortalClient::create(h.config, h.random);
  REQUIRE(created.ok());
  h.client = std::move(created).value();
  h.events.clear();  // op ids start again at 1 in the new client
  REQUIRE(h.client->import_state(state, h.now).ok());
  const int profiles = h.server.count("GET profile");
  const auto c = h.start("checkRoute", Json{{"name", "APP"}});
  h.drive();
  CHECK(h.server.count("GET profile") == profiles + 1);
  CHECK(h.result(c)["allowed"] == false);
  CHECK(h.result(c)["route"]["name"] == "PASSWORD_INIT");
}

TEST_CASE("listInvitations: a changed PENDING count is a routing fact, reported by a route event") {
  Harness h;
  const Json pending = Json::parse(R"({"invitationBizId":"a1b2c3d4-e5f6-7890-abcd-ef1234567890",
      "workspaceBizId":"WS_ACME_001","status":{"code":"PENDING","value":10050301,"label":"Pending"}})");
  const Json declined = Json::parse(R"({"invitationBizId":"b1b2c3d4-e5f6-7890-abcd-ef1234567890",
      "workspaceBizId":"WS_ACME_002","status":{"code":"DECLINED","value":10050303,"label":"Declined"}})");
  h.server.invitations = Json::array({pending, declined});
  h.sign_in();
  REQUIRE(h.of_kind("route").size() == 1);
  CHECK(Json::parse(h.of_kind("route")[0].payload)["pendingInvitations"] == 1);
  // Unchanged: the list only.
  h.clear_events();
  const auto same = h.start("listInvitations");
  h.drive();
  CHECK(h.result(same).size() == 2);
  CHECK(h.of_kind("route").empty());
  // Decided elsewhere meanwhile: the count and the route follow the list.
  h.server.invitations = Json::array({declined});
  const auto fewer = h.start("listInvitations");
  h.drive();
  CHECK(h.result(fewer).size() == 1);
  REQUIRE(h.of_kind("route").size() == 1);
  const Json route = Json::parse(h.of_kind("route")[0].payload);
  CHECK(route["pendingInvitations"] == 0);
  CHECK(route["name"] == "APP");
}
