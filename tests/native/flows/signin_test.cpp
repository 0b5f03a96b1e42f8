// PortalClient sign-in, pre-login flows, order errors and routing, driven against the fake server.
#include <doctest/doctest.h>

#include "flows/fake_server.hpp"

using namespace portal;
using namespace portal::test;

namespace {

std::string header(const HttpRequest& r, const std::string& name) {
  for (const auto& [n, v] : r.headers)
    if (n == name) return v;
  return "<none>";
}

Json auth_state(const Event& e) { return Json::parse(e.payload); }

}  // namespace

TEST_CASE("sign-in with EMAIL MFA: exact requests, headers and events") {
  Harness h;
  const auto a = h.start("signIn", Json{{"email", kEmail}, {"password", kPassword}});
  h.drive();
  CHECK(h.server.routes() == std::vector<std::string>{"GET secure-channel/public-key", "POST secure-channel/session",
                                                      "POST auth/login/initiate"});
  CHECK(h.result(a) == Json::parse(R"({"step":"MFA_REQUIRED","methods":["EMAIL","OTP"]})"));
  REQUIRE(h.kinds() == std::vector<std::string>{"authState"});
  CHECK(auth_state(h.events[0]) == Json::parse(R"({"state":"SIGNING_IN","step":"MFA_REQUIRED","methods":["EMAIL","OTP"]})"));

  // Headers: every call carries the access code, the same client hash and the language; the
  // sealed call carries the channel session; nothing carries a JWT yet.
  for (const HttpRequest& r : h.sent) {
    CHECK(header(r, "X-PORTAL-ACCESS-CODE") == "dev-system-code");
    CHECK(header(r, "X-Client-Hash") == h.config.client_hash);
    CHECK(header(r, "Accept-Language") == "en");
    CHECK(header(r, "Authorization") == "<none>");
  }
  CHECK(header(h.sent[2], "X-Secure-Channel-Session-Id") != "<none>");
  CHECK(h.sent[2].body.find(kPassword) == std::string::npos);  // sealed: no plaintext password on the wire
  CHECK(h.server.log[2].sealed);
  CHECK(h.server.log[2].body == Json{{"email", kEmail}, {"password", kPassword}});

  h.clear_events();
  const auto b = h.start("sendMfaCode", Json{{"method", "EMAIL"}});
  h.drive();
  CHECK(h.result(b) == Json::parse(R"({"sentTo":"a***@example.com","resendAfter":30})"));
  CHECK(h.server.log.back().body["mfaMethod"] == "EMAIL");
  CHECK(h.server.log.back().body["loginSessionId"].get<std::string>().rfind("LS_", 0) == 0);

  h.client->set_locale("ja");
  h.clear_events();
  const auto c = h.start("confirmSignIn", Json{{"method", "EMAIL"}, {"code", kMfaCode}});
  h.drive();
  CHECK(h.result(c) == Json::parse(R"({"step":"DONE","route":{"name":"APP","workspaceBizId":"WS_1","pendingInvitations":0}})"));
  CHECK(h.kinds() == std::vector<std::string>{"tokens", "authState", "route"});
  const Json tokens = Json::parse(h.of_kind("tokens")[0].payload);
  CHECK(tokens["reason"] == "SIGN_IN");
  CHECK(tokens["source"] == "local");
  const std::string access = tokens["tokens"]["accessToken"].get<std::string>();
  CHECK(access.rfind("AT", 0) == 0);
  CHECK(tokens["tokens"]["accessExpiresAt"] == kStart + 900'000);
  CHECK(auth_state(h.of_kind("authState")[0]) == Json{{"state", "SIGNED_IN"}});
  // One channel session for the whole journey; bootstrap's three GETs carry the JWT.
  CHECK(h.server.count("POST secure-channel/session") == 1);
  CHECK(h.server.count("GET secure-channel/public-key") == 1);
  for (std::size_t i = h.sent.size() - 3; i < h.sent.size(); ++i) {
    CHECK(header(h.sent[i], "Authorization") == "Bearer " + access);
    CHECK(header(h.sent[i], "Accept-Language") == "ja");
    CHECK(h.sent[i].method == "GET");
  }
}

TEST_CASE("bootstrap fetches profile, workspaces and invitations concurrently") {
  Harness h;
  h.start("signIn", Json{{"email", kEmail}, {"password", kPassword}});
  h.drive();
  h.start("confirmSignIn", Json{{"method", "OTP"}, {"code", kMfaCode}});
  // Answer only the login/complete request, then look at what is queued.
  auto first = h.take();
  REQUIRE(first.size() == 1);
  h.answer(first[0]);
  auto queued = h.take();
  REQUIRE(queued.size() == 3);
  CHECK(queued[0].path == "/web/v1/system/profile");
  CHECK(queued[1].path == "/web/v1/system/workspaces/mine");
  CHECK(queued[2].path == "/web/v1/system/profile/invitations");
  // Answers in any order.
  h.answer(queued[2]);
  h.answer(queued[0]);
  h.answer(queued[1]);
  h.drain_events();
  CHECK(h.of_kind("route").size() == 1);
}

TEST_CASE("sign-in without MFA factors: tokens at once, routed to MFA setup") {
  Harness h;
  h.server.mfa_methods.clear();
  const auto a = h.start("signIn", Json{{"email", kEmail}, {"password", kPassword}});
  h.drive();
  CHECK(h.result(a)["step"] == "DONE");
  CHECK(h.result(a)["route"]["name"] == "MFA_SETUP");
  CHECK(h.kinds() == std::vector<std::string>{"tokens", "authState", "route"});
}

TEST_CASE("wrong credentials and wrong MFA code: rejected with the server code, flow kept") {
  Harness h;
  const auto bad = h.start("signIn", Json{{"email", kEmail}, {"password", "nope"}});
  h.drive();
  CHECK(h.error(bad)["code"] == "AUTH.INVALID_CREDENTIALS");
  CHECK(h.error(bad)["status"] == 401);
  CHECK(h.error(bad)["kind"] == "server");
  CHECK(h.kinds().empty());

  h.start("signIn", Json{{"email", kEmail}, {"password", kPassword}});
  h.drive();
  const auto wrong = h.start("confirmSignIn", Json{{"method", "EMAIL"}, {"code", "000000"}});
  h.drive();
  CHECK(h.error(wrong)["code"] == "AUTH.MFA_CODE_INVALID");
  // Still in the MFA step: the right code now works.
  const auto right = h.start("confirmSignIn", Json{{"method", "EMAIL"}, {"code", kMfaCode}});
  h.drive();
  CHECK(h.result(right)["step"] == "DONE");
}

TEST_CASE("out-of-order and invalid calls fail synchronously from start()") {
  Harness h;
  auto e = h.start_error("confirmSignIn", Json{{"method", "EMAIL"}, {"code", "1"}});
  CHECK(e.kind == ErrorKind::Order);
  CHECK(e.code == "CLIENT.NO_SIGN_IN");
  CHECK(h.start_error("sendMfaCode", Json{{"method", "EMAIL"}}).code == "CLIENT.NO_SIGN_IN");
  CHECK(h.start_error("getProfile").code == "CLIENT.NOT_SIGNED_IN");
  CHECK(h.start_error("bootstrap").kind == ErrorKind::Order);
  CHECK(h.start_error("refreshSession").code == "CLIENT.NOT_SIGNED_IN");
  CHECK(h.start_error("verifyRegistrationEmail", Json{{"code", "1"}}).code == "CLIENT.NO_REGISTRATION");
  CHECK(h.start_error("resetPassword", Json{{"code", "1"}, {"newPassword", "x"}}).code == "CLIENT.NO_PASSWORD_RESET");
  auto unknown = h.start_error("hackThePlanet");
  CHECK(unknown.kind == ErrorKind::Caller);
  CHECK(unknown.code == "CLIENT.UNKNOWN_OPERATION");
  auto missing = h.start_error("signIn", Json{{"email", kEmail}});
  CHECK(missing.kind == ErrorKind::Caller);
  CHECK(missing.field_errors.at(0).field == "password");
  CHECK(missing.field_errors.at(0).code == "FIELD_REQUIRED");
  auto typed = h.start_error("signIn", Json{{"email", 5}, {"password", "x"}});
  CHECK(typed.field_errors.at(0).code == "FIELD_TYPE");
  auto extra = h.start_error("signIn", Json{{"email", kEmail}, {"password", "x"}, {"remember", true}});
  CHECK(extra.field_errors.at(0).code == "FIELD_UNKNOWN");
  CHECK(extra.field_errors.at(0).field == "remember");
  auto empty = h.start_error("signIn", Json{{"email", ""}, {"password", "x"}});
  CHECK(empty.field_errors.at(0).field == "email");
  // A typo in the address is answered at once, for every flow that starts from an email.
  for (const char* op : {"signIn", "register", "forgotPassword"})
    for (const char* bad : {"not-an-email", "a@b", "@example.com", "a@@example.com", "a b@example.com", "a@example.com."}) {
      CAPTURE(op);
      CAPTURE(bad);
      const Json args = std::string(op) == "signIn" ? Json{{"email", bad}, {"password", "x"}} : Json{{"email", bad}};
      auto shape = h.start_error(op, args);
      CHECK(shape.code == "CLIENT.INVALID_ARGUMENT");
      CHECK(shape.field_errors.at(0).field == "email");
      CHECK(shape.field_errors.at(0).code == "EMAIL_INVALID");
    }
  CHECK_FALSE(h.client->start("signIn", "[1]", h.now).ok());
  CHECK_FALSE(h.client->start("signIn", "{not json", h.now).ok());
  // Nothing was sent and nothing happened.
  CHECK_FALSE(h.client->poll_request());
  h.drain_events();
  CHECK(h.events.empty());

  h.start("signIn", Json{{"email", kEmail}, {"password", kPassword}});
  h.drive();
  auto otp_send = h.start_error("sendMfaCode", Json{{"method", "OTP"}});
  CHECK(otp_send.kind == ErrorKind::Caller);
  CHECK(otp_send.field_errors.at(0).field == "method");
  auto not_offered = h.start_error("confirmSignIn", Json{{"method", "BACKUP_CODE"}, {"code", "abcd-0001"}});
  CHECK(not_offered.field_errors.at(0).code == "MFA_METHOD_NOT_AVAILABLE");

  const auto done = h.start("confirmSignIn", Json{{"method", "EMAIL"}, {"code", kMfaCode}});
  h.drive();
  h.result(done);
  CHECK(h.start_error("signIn", Json{{"email", kEmail}, {"password", kPassword}}).code == "CLIENT.ALREADY_SIGNED_IN");
  CHECK(h.start_error("register", Json{{"email", kEmail}}).code == "CLIENT.ALREADY_SIGNED_IN");
  CHECK(h.start_error("confirmSignIn", Json{{"method", "EMAIL"}, {"code", "1"}}).code == "CLIENT.ALREADY_SIGNED_IN");
}

TEST_CASE("an expired sign-in (local clock) is reported once, then the flow is back at its start") {
  Harness h;
  h.start("signIn", Json{{"email", kEmail}, {"password", kPassword}});
  h.drive();
  const std::int64_t expires = kStart + h.server.login_ttl_ms;
  CHECK(h.client->poll_timeout() == expires);
  h.clear_events();
  h.now = expires;
  h.client->handle_timeout(h.now);
  h.drain_events();
  REQUIRE(h.kinds() == std::vector<std::string>{"authState"});
  CHECK(auth_state(h.events[0]) == Json::parse(R"({"state":"SIGNED_OUT","reason":"SIGN_IN_EXPIRED"})"));
  CHECK_FALSE(h.client->poll_timeout());
  auto e = h.start_error("confirmSignIn", Json{{"method", "EMAIL"}, {"code", kMfaCode}});
  CHECK(e.kind == ErrorKind::Order);
  CHECK(e.code == "CLIENT.SIGN_IN_EXPIRED");
  // Reported once: afterwards there simply is no sign-in (no loop).
  CHECK(h.start_error("confirmSignIn", Json{{"method", "EMAIL"}, {"code", kMfaCode}}).code == "CLIENT.NO_SIGN_IN");
  CHECK_FALSE(h.client->poll_request());

  // Without the timer: the step itself notices.
  Harness g;
  g.start("signIn", Json{{"email", kEmail}, {"password", kPassword}});
  g.drive();
  g.now = kStart + g.server.login_ttl_ms + 1;
  CHECK(g.start_error("sendMfaCode", Json{{"method", "EMAIL"}}).code == "CLIENT.SIGN_IN_EXPIRED");
  CHECK(g.start_error("sendMfaCode", Json{{"method", "EMAIL"}}).code == "CLIENT.NO_SIGN_IN");
}

TEST_CASE("a login session the server no longer knows resets the flow with its code") {
  Harness h;
  h.server.login_ttl_ms = 1000;  // the server's clock runs out first
  h.start("signIn", Json{{"email", kEmail}, {"password", kPassword}});
  h.drive();
  h.now += 500;
  h.server.on("POST auth/login/complete", [](const Received&, std::int64_t) {
    return fail(400, "AUTH.LOGIN_SESSION_INVALID", "login session");
  }, false);
  h.clear_events();
  const auto c = h.start("confirmSignIn", Json{{"method", "EMAIL"}, {"code", kMfaCode}});
  h.drive();
  CHECK(h.error(c)["code"] == "AUTH.LOGIN_SESSION_INVALID");
  REQUIRE(h.kinds() == std::vector<std::string>{"authState"});
  CHECK(auth_state(h.events[0])["state"] == "SIGNED_OUT");
  CHECK(h.start_error("confirmSignIn", Json{{"method", "EMAIL"}, {"code", kMfaCode}}).code == "CLIENT.NO_SIGN_IN");
  // A new signIn starts over.
  const auto again = h.start("signIn", Json{{"email", kEmail}, {"password", kPassword}});
  h.drive();
  CHECK(h.result(again)["step"] == "MFA_REQUIRED");
}

TEST_CASE("routing after sign-in for each onboarding case") {
  struct Case {
    const char* status;
    const char* workspaces;
    const char* invitations;
    const char* route;
  };
  const char* pending_inv = R"([{"invitationBizId":"I1","workspaceBizId":"W","workspaceName":"Acme","invitedBy":"o@x",
      "role":{"code":"MEMBER","value":10050203,"label":"Member"},"status":{"code":"PENDING","value":10050301,"label":"Pending"},
      "expiresAt":"2030-01-01T00:00:00Z"}])";
  const char* expired_inv = R"([{"invitationBizId":"I1","workspaceBizId":"W",
      "status":{"code":"EXPIRED","value":10050304,"label":"Expired"}}])";
  const char* one_default = R"([{"workspaceBizId":"WS_1","isDefault":true}])";
  const char* two_plain = R"([{"workspaceBizId":"WS_1","isDefault":false},{"workspaceBizId":"WS_2","isDefault":false}])";
  const Case cases[] = {
      {"ACTIVE", one_default, "[]", "APP"},
      {"ACTIVE", one_default, pending_inv, "INVITATIONS"},
      {"ACTIVE", one_default, expired_inv, "APP"},
      {"ACTIVE", two_plain, "[]", "SELECT_WORKSPACE"},
      {"ACTIVE", "[]", "[]", "CREATE_WORKSPACE"},
      {"INVITED", "[]", pending_inv, "PASSWORD_INIT"},
      {"PENDING_APPROVAL", "[]", "[]", "PENDING_APPROVAL"},
      {"LOCKED", one_default, "[]", "ACCOUNT_BLOCKED"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.status);
    CAPTURE(c.route);
    Harness h;
    h.server.account_status = c.status;
    h.server.workspaces = Json::parse(c.workspaces);
    h.server.invitations = Json::parse(c.invitations);
    h.sign_in();
    const auto routes = h.of_kind("route");
    REQUIRE(routes.size() == 1);
    CHECK(Json::parse(routes[0].payload)["name"] == c.route);
    // bootstrap re-runs the same decision.
    const auto b = h.start("bootstrap");
    h.drive();
    CHECK(h.result(b)["route"]["name"] == c.route);
  }
}

TEST_CASE("bootstrap: a failed profile fails the route; a failed list fails it only when the route needs it") {
  Harness h;
  h.sign_in();
  h.server.on("GET profile/invitations", [](const Received&, std::int64_t) { return fail(500, "5000", "boom"); });
  const auto b = h.start("bootstrap");
  h.drive();
  CHECK(h.error(b)["code"] == "5000");
  h.server.account_status = "PENDING_APPROVAL";
  const auto c = h.start("bootstrap");
  h.drive();
  CHECK(h.result(c)["route"]["name"] == "PENDING_APPROVAL");
  h.server.on("GET profile", [](const Received&, std::int64_t) { return fail(500, "5000", "boom"); });
  const auto d = h.start("bootstrap");
  h.drive();
  CHECK(h.error(d)["code"] == "5000");
}

TEST_CASE("registration: session → verify → complete → DONE; out-of-order steps refused") {
  Harness h;
  h.server.on("POST auth/register/session", [](const Received& r, std::int64_t now) {
    CHECK(r.body == Json{{"email", "new@example.com"}});
    return ok(Json{{"registrationSessionId", "RS_1"}, {"expiresAt", format_rfc3339(now + 300'000)}});
  }, false);
  h.server.on("POST auth/register/verify-email", [](const Received& r, std::int64_t) {
    if (r.body["code"] != "111111") return fail(400, "AUTH.VERIFICATION_CODE_INVALID", "code");
    CHECK(r.body["registrationSessionId"] == "RS_1");
    return no_content();
  }, false);
  h.server.on("POST auth/register/complete", [&h](const Received& r, std::int64_t now) {
    CHECK(r.body == Json{{"registrationSessionId", "RS_1"}, {"accountName", "New"}, {"password", kPassword}});
    return ok(h.server.issue_tokens(now));
  }, false);
  h.server.account_status = "PENDING_APPROVAL";
  h.server.workspaces = Json::array();

  const auto a = h.start("register", Json{{"email", "new@example.com"}});
  h.drive();
  CHECK(h.result(a) == Json{{"step", "VERIFY_EMAIL"}});
  CHECK(h.start_error("completeRegistration", Json{{"accountName", "New"}, {"password", kPassword}}).code ==
        "CLIENT.EMAIL_NOT_VERIFIED");
  const auto wrong = h.start("verifyRegistrationEmail", Json{{"code", "000000"}});
  h.drive();
  CHECK(h.error(wrong)["code"] == "AUTH.VERIFICATION_CODE_INVALID");
  const auto v = h.start("verifyRegistrationEmail", Json{{"code", "111111"}});
  h.drive();
  CHECK(h.result(v) == Json{{"step", "COMPLETE_REGISTRATION"}});
  const auto c = h.start("completeRegistration", Json{{"accountName", "New"}, {"password", kPassword}});
  h.drive();
  CHECK(h.result(c)["step"] == "DONE");
  CHECK(h.result(c)["route"]["name"] == "PENDING_APPROVAL");
  CHECK(h.start_error("verifyRegistrationEmail", Json{{"code", "1"}}).code == "CLIENT.ALREADY_SIGNED_IN");
}

TEST_CASE("registration: an invalid registration session resets the flow") {
  Harness h;
  h.server.on("POST auth/register/session", [](const Received&, std::int64_t now) {
    return ok(Json{{"registrationSessionId", "RS_1"}, {"expiresAt", format_rfc3339(now + 300'000)}});
  }, false);
  h.server.on("POST auth/register/verify-email", [](const Received&, std::int64_t) {
    return fail(400, "AUTH.REGISTRATION_SESSION_INVALID", "gone");
  }, false);
  h.start("register", Json{{"email", "new@example.com"}});
  h.drive();
  const auto v = h.start("verifyRegistrationEmail", Json{{"code", "111111"}});
  h.drive();
  CHECK(h.error(v)["code"] == "AUTH.REGISTRATION_SESSION_INVALID");
  CHECK(h.start_error("verifyRegistrationEmail", Json{{"code", "1"}}).code == "CLIENT.NO_REGISTRATION");
  // Local expiry of the registration session.
  h.start("register", Json{{"email", "new@example.com"}});
  h.drive();
  h.now += 300'000;
  CHECK(h.start_error("verifyRegistrationEmail", Json{{"code", "1"}}).code == "CLIENT.REGISTRATION_EXPIRED");
}

TEST_CASE("a refused resend keeps the live registration and password reset") {
  Harness h;
  int sends = 0;
  h.server.on("POST auth/register/session", [&sends](const Received&, std::int64_t now) {
    if (++sends > 1) return fail(429, "RATE_LIMITED", "too soon");
    return ok(Json{{"registrationSessionId", "RS_1"}, {"expiresAt", format_rfc3339(now + 300'000)}});
  }, false);
  h.server.on("POST auth/register/verify-email", [](const Received& r, std::int64_t) {
    CHECK(r.body["registrationSessionId"] == "RS_1");
    return no_content();
  }, false);
  int forgets = 0;
  h.server.on("POST auth/password/forgot", [&forgets](const Received&, std::int64_t now) {
    if (++forgets > 1) return fail(429, "RATE_LIMITED", "too soon");
    return ok(Json{{"resetSessionId", "PR_1"}, {"expiresAt", format_rfc3339(now + 300'000)}});
  }, false);
  h.server.on("POST auth/password/reset", [](const Received& r, std::int64_t) {
    CHECK(r.body["resetSessionId"] == "PR_1");
    return no_content();
  }, false);
  for (int i = 0; i < 2; ++i) h.start("register", Json{{"email", "new@example.com"}}), h.drive();
  const auto v = h.start("verifyRegistrationEmail", Json{{"code", "111111"}});
  h.drive();
  CHECK(h.result(v) == Json{{"step", "COMPLETE_REGISTRATION"}});
  for (int i = 0; i < 2; ++i) h.start("forgotPassword", Json{{"email", "a@example.com"}}), h.drive();
  const auto r = h.start("resetPassword", Json{{"code", "111111"}, {"newPassword", "N3w-Password!"}});
  h.drive();
  CHECK(h.result(r)["step"] == "DONE");
}

TEST_CASE("password: forgot → reset; init re-routes; change is plain success") {
  Harness h;
  h.server.on("POST auth/password/forgot", [](const Received&, std::int64_t now) {
    return ok(Json{{"resetSessionId", "PR_1"}, {"expiresAt", format_rfc3339(now + 300'000)}});
  }, false);
  h.server.on("POST auth/password/reset", [](const Received& r, std::int64_t) {
    CHECK(r.body == Json{{"resetSessionId", "PR_1"}, {"code", "222222"}, {"newPassword", "N3w-Password!"}});
    return no_content();
  }, false);
  const auto f = h.start("forgotPassword", Json{{"email", kEmail}});
  h.drive();
  CHECK(h.result(f) == Json{{"step", "RESET_PASSWORD"}});
  const auto r = h.start("resetPassword", Json{{"code", "222222"}, {"newPassword", "N3w-Password!"}});
  h.drive();
  CHECK(h.result(r) == Json{{"step", "DONE"}});
  CHECK(h.start_error("resetPassword", Json{{"code", "1"}, {"newPassword", "x"}}).code == "CLIENT.NO_PASSWORD_RESET");

  h.server.account_status = "INVITED";
  h.sign_in();
  h.server.on("POST auth/password/init", [&h](const Received& req, std::int64_t) {
    CHECK(req.body == Json{{"newPassword", "N3w-Password!"}});
    h.server.account_status = "ACTIVE";
    return no_content();
  });
  const auto i = h.start("initPassword", Json{{"newPassword", "N3w-Password!"}});
  h.drive();
  CHECK(h.result(i)["route"]["name"] == "APP");

  h.server.on("POST auth/password/change", [](const Received& req, std::int64_t) {
    if (req.body["currentPassword"] != kPassword) return fail(400, "AUTH.PASSWORD_INCORRECT", "wrong");
    return no_content();
  });
  const auto wrong = h.start("changePassword", Json{{"currentPassword", "x"}, {"newPassword", "N3w-Password!"}});
  h.drive();
  CHECK(h.error(wrong)["code"] == "AUTH.PASSWORD_INCORRECT");
  const auto ok_change = h.start("changePassword", Json{{"currentPassword", kPassword}, {"newPassword", "N3w-Password!"}});
  h.drive();
  CHECK(h.result(ok_change).is_null());
}

TEST_CASE("a signed-in client refuses forgotPassword (a session changes its password with changePassword)") {
  Harness h;
  h.sign_in();
  h.clear_events();
  const Error e = h.start_error("forgotPassword", Json{{"email", kEmail}});
  CHECK(e.kind == ErrorKind::Order);
  CHECK(e.code == "CLIENT.ALREADY_SIGNED_IN");
  CHECK_FALSE(h.client->poll_request());
  h.drain_events();
  CHECK(h.events.empty());
  CHECK(Json::parse(h.client->export_state())["tokens"].is_object());
}
