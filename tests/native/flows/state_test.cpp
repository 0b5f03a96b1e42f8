// The auth state machine: its table (against a literal copy written here, not derived from the
// code), order errors that change nothing, the authState events it emits, and export/import of
// every pre-login flow.
#include <doctest/doctest.h>

#include <optional>

#include "flows/auth_state.hpp"
#include "flows/fake_server.hpp"

using namespace portal;
using namespace portal::test;

namespace {

using S = AuthState;
using E = AuthEvent;

constexpr S kStates[] = {S::SignedOut, S::SigningIn, S::VerifyingEmail, S::CompletingRegistration,
                         S::ResettingPassword, S::SignedIn, S::Refreshing};
constexpr E kEvents[] = {E::MfaRequired, E::TokensIssued, E::RegistrationOpened, E::EmailVerified,
                         E::EmailUnverified, E::ResetOpened, E::FlowEnded, E::RefreshStarted,
                         E::RefreshEnded, E::SignedOut};

// Expected next state, one row per state, one column per event (kEvents order); '-' = refused.
//   O SignedOut, I SigningIn, V VerifyingEmail, C CompletingRegistration, R ResettingPassword,
//   S SignedIn, F Refreshing.
//                               Mfa Tok Reg Ver Unv Rst End RfS RfE Out
constexpr const char* kExpected[] = {
    /* SignedOut              */ "I   S   V   -   -   R   -   -   -   O",
    /* SigningIn              */ "I   S   V   -   -   R   O   -   -   O",
    /* VerifyingEmail         */ "I   S   V   C   -   R   O   -   -   O",
    /* CompletingRegistration */ "I   S   V   -   V   R   O   -   -   O",
    /* ResettingPassword      */ "I   S   V   -   -   R   O   -   -   O",
    /* SignedIn               */ "-   -   -   -   -   -   -   F   -   O",
    /* Refreshing             */ "-   -   -   -   -   -   -   -   S   O",
};

std::optional<S> decode(char c) {
  switch (c) {
    case 'O': return S::SignedOut;
    case 'I': return S::SigningIn;
    case 'V': return S::VerifyingEmail;
    case 'C': return S::CompletingRegistration;
    case 'R': return S::ResettingPassword;
    case 'S': return S::SignedIn;
    case 'F': return S::Refreshing;
    default: return std::nullopt;
  }
}

Json state_of(const Harness& h) { return Json::parse(h.client->export_state()); }

void serve_registration(Harness& h) {
  h.server.on("POST auth/register/session", [](const Received&, std::int64_t now) {
    return ok(Json{{"registrationSessionId", "RS_1"}, {"expiresAt", format_rfc3339(now + 300'000)}});
  }, false);
  h.server.on("POST auth/register/verify-email", [](const Received& r, std::int64_t) {
    if (r.body["code"] != "111111") return fail(400, "AUTH.VERIFICATION_CODE_INVALID", "wrong code");
    return no_content();
  }, false);
  h.server.on("POST auth/register/complete", [&h](const Received&, std::int64_t now) {
    return ok(h.server.issue_tokens(now));
  }, false);
}

void serve_reset(Harness& h) {
  h.server.on("POST auth/password/forgot", [](const Received&, std::int64_t now) {
    return ok(Json{{"resetSessionId", "PR_1"}, {"expiresAt", format_rfc3339(now + 300'000)}});
  }, false);
  h.server.on("POST auth/password/reset", [](const Received& r, std::int64_t) {
    if (r.body["resetSessionId"] != "PR_1") return fail(400, "AUTH.RESET_SESSION_INVALID", "gone");
    return no_content();
  }, false);
}

// A new client in place of the harness's (same server, clock and config): a reloaded page.
void reload(Harness& h) {
  auto created = PortalClient::create(h.config, h.random);
  REQUIRE(created.ok());
  h.client = std::move(created).value();
  h.clear_events();
}

// Whatever start() refuses, it refuses without a request, an event or a change of state.
void check_refused(Harness& h, const std::string& op, const Json& args, const std::string& code) {
  CAPTURE(op);
  const std::string before = h.client->export_state();
  h.drain_events();
  h.clear_events();
  const Error e = h.start_error(op, args);
  CHECK(e.kind == ErrorKind::Order);
  CHECK(e.code == code);
  CHECK_FALSE(h.client->poll_request());
  h.drain_events();
  CHECK(h.events.empty());
  CHECK(h.client->export_state() == before);
}

}  // namespace

TEST_CASE("the transition table, pair by pair, against the expected table") {
  for (std::size_t i = 0; i < std::size(kStates); ++i) {
    const std::string row = kExpected[i];
    for (std::size_t j = 0; j < std::size(kEvents); ++j) {
      CAPTURE(i);
      CAPTURE(j);
      const char cell = row.at(j * 4);
      const auto expected = decode(cell);
      if (cell != '-') REQUIRE(expected);
      const auto actual = transition(kStates[i], kEvents[j]);
      CHECK(actual.has_value() == expected.has_value());
      if (actual && expected) CHECK(*actual == *expected);
    }
  }
}

TEST_CASE("what each op need admits, and the order error otherwise") {
  struct Case {
    Need need;
    const char* admits;  // one char per kStates entry: 'y' admitted
    const char* refused_signed_out;
  };
  const Case cases[] = {
      {Need::Any, "yyyyyyy", ""},
      {Need::NotSignedIn, "yyyyynn", ""},
      {Need::SignInPending, "nynnnnn", "CLIENT.NO_SIGN_IN"},
      {Need::RegistrationPending, "nnyynnn", "CLIENT.NO_REGISTRATION"},
      {Need::ResetPending, "nnnnynn", "CLIENT.NO_PASSWORD_RESET"},
      {Need::SignedIn, "nnnnnyy", "CLIENT.NOT_SIGNED_IN"},
  };
  for (const Case& c : cases) {
    for (std::size_t i = 0; i < std::size(kStates); ++i) {
      CAPTURE(static_cast<int>(c.need));
      CAPTURE(i);
      CHECK(permits(c.need, kStates[i]) == (c.admits[i] == 'y'));
    }
    if (*c.refused_signed_out) CHECK(std::string(refusal_code(c.need, S::SignedOut)) == c.refused_signed_out);
  }
  CHECK(std::string(refusal_code(Need::NotSignedIn, S::SignedIn)) == "CLIENT.ALREADY_SIGNED_IN");
  CHECK(std::string(refusal_code(Need::SignInPending, S::Refreshing)) == "CLIENT.ALREADY_SIGNED_IN");
  CHECK(std::string(refusal_code(Need::RegistrationPending, S::SigningIn)) == "CLIENT.NO_REGISTRATION");
}

TEST_CASE("the wire names of states and steps") {
  const char* names[] = {"SIGNED_OUT", "SIGNING_IN", "REGISTERING", "REGISTERING", "RESETTING_PASSWORD", "SIGNED_IN",
                         "SIGNED_IN"};
  const char* steps[] = {nullptr, "MFA_REQUIRED", "VERIFY_EMAIL", "COMPLETE_REGISTRATION", "RESET_PASSWORD", nullptr,
                         nullptr};
  for (std::size_t i = 0; i < std::size(kStates); ++i) {
    CAPTURE(i);
    CHECK(std::string(state_name(kStates[i])) == names[i]);
    CHECK((step_name(kStates[i]) == nullptr) == (steps[i] == nullptr));
    if (steps[i] && step_name(kStates[i])) CHECK(std::string(step_name(kStates[i])) == steps[i]);
  }
  CHECK(std::string(to_string(Reason::SessionExpired)) == "SESSION_EXPIRED");
  CHECK(to_string(Reason::None) == nullptr);
}

TEST_CASE("out-of-order calls are refused in every state and change nothing") {
  Harness h;
  serve_registration(h);
  serve_reset(h);
  // Signed out.
  check_refused(h, "confirmSignIn", Json{{"method", "EMAIL"}, {"code", "1"}}, "CLIENT.NO_SIGN_IN");
  check_refused(h, "verifyRegistrationEmail", Json{{"code", "1"}}, "CLIENT.NO_REGISTRATION");
  check_refused(h, "resetPassword", Json{{"code", "1"}, {"newPassword", "x"}}, "CLIENT.NO_PASSWORD_RESET");
  check_refused(h, "getProfile", Json::object(), "CLIENT.NOT_SIGNED_IN");
  // Registering, before the email is verified.
  h.start("register", Json{{"email", "new@example.com"}});
  h.drive();
  check_refused(h, "completeRegistration", Json{{"accountName", "N"}, {"password", kPassword}}, "CLIENT.EMAIL_NOT_VERIFIED");
  check_refused(h, "confirmSignIn", Json{{"method", "EMAIL"}, {"code", "1"}}, "CLIENT.NO_SIGN_IN");
  check_refused(h, "resetPassword", Json{{"code", "1"}, {"newPassword", "x"}}, "CLIENT.NO_PASSWORD_RESET");
  check_refused(h, "refreshSession", Json::object(), "CLIENT.NOT_SIGNED_IN");
  CHECK(state_of(h)["registration"]["step"] == "VERIFY_EMAIL");
  // Resetting a password.
  h.start("forgotPassword", Json{{"email", kEmail}});
  h.drive();
  check_refused(h, "verifyRegistrationEmail", Json{{"code", "1"}}, "CLIENT.NO_REGISTRATION");
  check_refused(h, "sendMfaCode", Json{{"method", "EMAIL"}}, "CLIENT.NO_SIGN_IN");
  // Signed in.
  h.sign_in();
  check_refused(h, "signIn", Json{{"email", kEmail}, {"password", kPassword}}, "CLIENT.ALREADY_SIGNED_IN");
  check_refused(h, "register", Json{{"email", kEmail}}, "CLIENT.ALREADY_SIGNED_IN");
  check_refused(h, "forgotPassword", Json{{"email", kEmail}}, "CLIENT.ALREADY_SIGNED_IN");
  check_refused(h, "confirmSignIn", Json{{"method", "EMAIL"}, {"code", "1"}}, "CLIENT.ALREADY_SIGNED_IN");
}

TEST_CASE("an answer for a flow another one replaced meanwhile is refused as CLIENT.OUT_OF_ORDER") {
  Harness h;
  serve_registration(h);
  serve_reset(h);
  h.start("register", Json{{"email", "new@example.com"}});
  h.drive();
  const auto v = h.start("verifyRegistrationEmail", Json{{"code", "111111"}});
  auto held = h.take();  // the verify answer is not back yet…
  REQUIRE(held.size() == 1);
  h.start("forgotPassword", Json{{"email", kEmail}});  // …when the page starts a password reset
  h.drive();
  REQUIRE(state_of(h)["passwordReset"].is_object());
  h.answer(held[0]);
  h.drive();
  CHECK(h.error(v)["code"] == "CLIENT.OUT_OF_ORDER");
  CHECK(h.error(v)["kind"] == "order");
  const Json state = state_of(h);
  CHECK(state["registration"].is_null());
  CHECK(state["passwordReset"]["resetSessionId"] == "PR_1");
}

TEST_CASE("authState: one event per change of the reported state, none otherwise") {
  Harness h;
  serve_registration(h);
  int sends = 0;
  h.server.on("POST auth/register/session", [&sends](const Received&, std::int64_t now) {
    ++sends;
    return ok(Json{{"registrationSessionId", "RS_" + std::to_string(sends)}, {"expiresAt", format_rfc3339(now + 300'000)}});
  }, false);
  h.start("register", Json{{"email", "new@example.com"}});
  h.drive();
  REQUIRE(h.of_kind("authState").size() == 1);
  CHECK(Json::parse(h.of_kind("authState")[0].payload) ==
        Json{{"state", "REGISTERING"}, {"step", "VERIFY_EMAIL"}, {"email", "new@example.com"}});
  h.clear_events();
  h.start("register", Json{{"email", "new@example.com"}});  // a resend: a new session, the same step
  h.drive();
  CHECK(h.of_kind("authState").empty());
  CHECK(state_of(h)["registration"]["registrationSessionId"] == "RS_2");
  h.start("verifyRegistrationEmail", Json{{"code", "111111"}});
  h.drive();
  REQUIRE(h.of_kind("authState").size() == 1);
  CHECK(Json::parse(h.of_kind("authState")[0].payload)["step"] == "COMPLETE_REGISTRATION");
  h.clear_events();
  h.start("completeRegistration", Json{{"accountName", "New"}, {"password", kPassword}});
  h.drive();
  REQUIRE(h.of_kind("authState").size() == 1);
  CHECK(Json::parse(h.of_kind("authState")[0].payload) == Json{{"state", "SIGNED_IN"}});
  // A refresh is no change of the reported state.
  h.clear_events();
  const auto r = h.start("refreshSession");
  h.drive();
  h.result(r);
  CHECK(h.of_kind("tokens").size() == 1);
  CHECK(h.of_kind("authState").empty());
  h.start("signOut");
  h.drive();
  REQUIRE(h.of_kind("authState").size() == 1);
  CHECK(Json::parse(h.of_kind("authState")[0].payload) == Json{{"state", "SIGNED_OUT"}, {"reason", "USER"}});
  h.clear_events();
  h.start("signOut");  // signed out already: nothing to report
  h.drive();
  CHECK(h.of_kind("authState").empty());
}

TEST_CASE("export: nothing when there is nothing to keep, the flow or the tokens otherwise") {
  Harness h;
  CHECK(h.client->export_state().empty());  // a new client
  serve_reset(h);
  h.start("forgotPassword", Json{{"email", kEmail}});
  h.drive();
  CHECK(state_of(h)["passwordReset"]["resetSessionId"] == "PR_1");
  h.start("signOut");
  h.drive();
  CHECK(h.client->export_state().empty());  // the flow given up
}

TEST_CASE("export/import: a registration at either step survives a reload and goes on") {
  Harness h;
  serve_registration(h);
  h.start("register", Json{{"email", "new@example.com"}});
  h.drive();
  const std::string at_verify = h.client->export_state();
  const Json doc = Json::parse(at_verify);
  CHECK(doc["registration"]["registrationSessionId"] == "RS_1");
  CHECK(doc["registration"]["step"] == "VERIFY_EMAIL");
  CHECK(doc["registration"]["email"] == "new@example.com");
  CHECK(doc["signIn"].is_null());
  CHECK(doc["passwordReset"].is_null());

  reload(h);
  REQUIRE(h.client->import_state(at_verify, h.now).ok());
  CHECK(h.client->export_state() == at_verify);
  h.drain_events();
  REQUIRE(h.of_kind("authState").size() == 1);
  CHECK(Json::parse(h.of_kind("authState")[0].payload)["step"] == "VERIFY_EMAIL");
  const auto v = h.start("verifyRegistrationEmail", Json{{"code", "111111"}});
  h.drive();
  CHECK(h.result(v) == Json{{"step", "COMPLETE_REGISTRATION"}});
  CHECK(h.server.log.back().body["registrationSessionId"] == "RS_1");

  const std::string at_complete = h.client->export_state();
  CHECK(Json::parse(at_complete)["registration"]["step"] == "COMPLETE_REGISTRATION");
  reload(h);
  REQUIRE(h.client->import_state(at_complete, h.now).ok());
  CHECK(h.client->export_state() == at_complete);
  const auto c = h.start("completeRegistration", Json{{"accountName", "New"}, {"password", kPassword}});
  h.drive();
  CHECK(h.result(c)["step"] == "DONE");
}

TEST_CASE("export/import: a password reset survives a reload; an expired one is dropped") {
  Harness h;
  serve_reset(h);
  h.start("forgotPassword", Json{{"email", kEmail}});
  h.drive();
  const std::string saved = h.client->export_state();
  CHECK(Json::parse(saved)["passwordReset"]["resetSessionId"] == "PR_1");
  CHECK(Json::parse(saved)["passwordReset"]["email"] == kEmail);

  reload(h);
  REQUIRE(h.client->import_state(saved, h.now).ok());
  CHECK(h.client->export_state() == saved);
  const auto r = h.start("resetPassword", Json{{"code", "222222"}, {"newPassword", "N3w-Password!"}});
  h.drive();
  CHECK(h.result(r) == Json{{"step", "DONE"}});
  CHECK(h.client->export_state().empty());  // the reset is over: nothing to keep

  reload(h);
  const std::string empty = h.client->export_state();
  REQUIRE(h.client->import_state(saved, h.now + 300'000).ok());
  CHECK(h.client->export_state() == empty);
}

TEST_CASE("import refuses malformed and forged states whole") {
  const std::string reg = R"({"registrationSessionId":"RS_1","email":"a@example.com","step":"VERIFY_EMAIL","expiresAt":)" +
                          std::to_string(kStart + 300'000) + "}";
  const std::string reset = R"({"resetSessionId":"PR_1","email":"a@example.com","expiresAt":)" +
                            std::to_string(kStart + 300'000) + "}";
  const std::string tokens = R"({"accessToken":"AT","refreshToken":"RT","accessExpiresAt":)" +
                             std::to_string(kStart + 900'000) + R"(,"refreshExpiresAt":)" +
                             std::to_string(kStart + 9'000'000) + "}";
  const std::string bad[] = {
      R"({"version":1,"registration":)" + reg + R"(,"passwordReset":)" + reset + "}",  // two flows
      R"({"version":1,"tokens":)" + tokens + R"(,"registration":)" + reg + "}",        // a flow beside a session
      R"({"version":1,"registration":{"registrationSessionId":"RS_1","email":"a@example.com","step":"DONE","expiresAt":1}})",
      R"({"version":1,"registration":{"registrationSessionId":"","email":"a@example.com","step":"VERIFY_EMAIL","expiresAt":)" +
          std::to_string(kStart + 1000) + "}}",
      R"({"version":1,"registration":{"registrationSessionId":"RS_1","step":"VERIFY_EMAIL","expiresAt":)" +
          std::to_string(kStart + 1000) + "}}",  // no email
      R"({"version":1,"passwordReset":{"resetSessionId":"PR_1","email":"a@example.com","expiresAt":)" +
          std::to_string(kStart + 400LL * 24 * 3600 * 1000) + "}}",  // a far-future expiry
      R"({"version":1,"passwordReset":{"resetSessionId":"PR\n1","email":"a@example.com","expiresAt":)" +
          std::to_string(kStart + 1000) + "}}",
      R"({"version":1,"signIn":{"loginSessionId":"LS_1","methods":[],"expiresAt":)" + std::to_string(kStart + 1000) + "}}",
      R"({"version":1,"signIn":{"loginSessionId":"LS_1","methods":"EMAIL","expiresAt":)" + std::to_string(kStart + 1000) + "}}",
      R"({"version":1,"registration":[]})",
      R"({"version":1,"admin":true})",
      R"({"version":2})",
  };
  for (const std::string& state : bad) {
    CAPTURE(state);
    Harness h;
    const std::string empty = h.client->export_state();
    const Status s = h.client->import_state(state, h.now);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().kind == ErrorKind::Caller);
    CHECK(h.client->export_state() == empty);
    h.drain_events();
    CHECK(h.events.empty());
  }
  // Well-formed, but not into a client that already holds a flow.
  Harness h;
  REQUIRE(h.client->import_state(R"({"version":1,"registration":)" + reg + "}", h.now).ok());
  const Status again = h.client->import_state(R"({"version":1,"passwordReset":)" + reset + "}", h.now);
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == "CLIENT.STATE_NOT_EMPTY");
  CHECK(Json::parse(h.client->export_state())["registration"]["registrationSessionId"] == "RS_1");
}
