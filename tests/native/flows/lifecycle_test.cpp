// Token and channel lifecycle: 4010 → refresh → retry, single flight, proactive refresh, peer
// tabs, channel SESSION_INVALID / KEY_UNKNOWN recovery, downgrade, transport faults, cancel,
// dispose, sign-out, persistence.
#include <doctest/doctest.h>

#include "flows/fake_server.hpp"

using namespace portal;
using namespace portal::test;

namespace {

Json payload(const Event& e) { return Json::parse(e.payload); }

// Tokens persisted where same-origin script can read them: tabs may share them.
ClientConfig sharing() {
  ClientConfig c = Harness::default_config();
  c.persist = ClientConfig::Persist::Session;
  return c;
}

Reply update_ok(const Received& r, std::int64_t) { return ok(r.body); }

}  // namespace

TEST_CASE("4010 → one refresh → retry → success") {
  Harness h;
  h.sign_in();
  h.server.expire_access_tokens();
  h.clear_events();
  const std::size_t before = h.server.log.size();
  const auto p = h.start("getProfile");
  h.drive();
  CHECK(h.result(p)["bizId"] == "ACC_SYS_001");
  const auto routes = h.server.routes();
  CHECK(std::vector<std::string>(routes.begin() + static_cast<long>(before), routes.end()) ==
        std::vector<std::string>{"GET profile", "POST auth/token/refresh", "GET profile"});
  CHECK(h.server.log[before + 1].exclusive == "refresh");
  CHECK(h.kinds() == std::vector<std::string>{"tokens"});
  CHECK(payload(h.of_kind("tokens")[0])["reason"] == "REFRESH");
}

TEST_CASE("4010 again after the refresh → signed out (SESSION_EXPIRED), the call rejected with 4010") {
  Harness h;
  h.sign_in();
  h.server.on("GET security/mfa", [](const Received&, std::int64_t) { return fail(401, "4010", "wrong portal"); }, false);
  h.clear_events();
  const auto m = h.start("getMfaState");
  h.drive();
  CHECK(h.error(m)["code"] == "4010");
  CHECK(h.server.count("POST auth/token/refresh") == 1);
  CHECK(h.server.count("GET security/mfa") == 2);
  CHECK(h.kinds() == std::vector<std::string>{"tokens", "tokens", "signedOut", "authState"});
  CHECK(payload(h.of_kind("tokens")[1])["tokens"].is_null());
  CHECK(payload(h.of_kind("signedOut")[0]) == Json{{"reason", "SESSION_EXPIRED"}, {"broadcast", true}});
  CHECK(payload(h.of_kind("authState")[0]) == Json::parse(R"({"state":"SIGNED_OUT","reason":"SESSION_EXPIRED"})"));
  CHECK(h.start_error("getProfile").code == "CLIENT.NOT_SIGNED_IN");
}

TEST_CASE("a refused refresh token signs out with REFRESH_FAILED") {
  Harness h;
  h.sign_in();
  h.server.expire_access_tokens();
  h.server.on("POST auth/token/refresh", [](const Received&, std::int64_t) {
    return fail(401, "AUTH.REFRESH_TOKEN_INVALID", "revoked");
  }, false);
  h.clear_events();
  const auto p = h.start("getProfile");
  h.drive();
  CHECK(h.error(p)["code"] == "4010");
  CHECK(h.error(p)["status"] == 401);
  CHECK(h.kinds() == std::vector<std::string>{"tokens", "signedOut", "authState"});
  CHECK(payload(h.of_kind("signedOut")[0])["reason"] == "REFRESH_FAILED");
}

TEST_CASE("a refresh refused because the session was terminated elsewhere signs out with TERMINATED") {
  Harness h;
  h.sign_in();
  h.server.expire_access_tokens();
  h.server.on("POST auth/token/refresh", [](const Received&, std::int64_t) {
    return fail(401, "AUTH.REFRESH_TOKEN_INVALID", "revoked", Json{{"data", {{"reason", "SESSION_TERMINATED"}}}});
  }, false);
  h.clear_events();
  const auto p = h.start("getProfile");
  h.drive();
  CHECK(h.error(p)["code"] == "4010");
  CHECK(h.kinds() == std::vector<std::string>{"tokens", "signedOut", "authState"});
  CHECK(payload(h.of_kind("signedOut")[0])["reason"] == "TERMINATED");
}

TEST_CASE("an explicit refreshSession() learns why the refresh was refused") {
  Harness h;
  h.sign_in();
  h.server.on("POST auth/token/refresh", [](const Received&, std::int64_t) {
    return fail(401, "AUTH.REFRESH_TOKEN_INVALID", "revoked");
  }, false);
  const auto r = h.start("refreshSession");
  h.drive();
  CHECK(h.error(r)["code"] == "AUTH.REFRESH_TOKEN_INVALID");
  CHECK(h.start_error("getProfile").code == "CLIENT.NOT_SIGNED_IN");
}

TEST_CASE("N concurrent calls meeting 4010 cause exactly one refresh") {
  Harness h;
  h.sign_in();
  h.server.expire_access_tokens();
  std::vector<std::uint64_t> ops;
  for (int i = 0; i < 5; ++i) ops.push_back(h.start(i % 2 ? "getProfile" : "listWorkspaces"));
  ops.push_back(h.start("changePassword", Json{{"currentPassword", kPassword}, {"newPassword", "N3w-Password!"}}));
  h.server.on("POST auth/password/change", [](const Received&, std::int64_t) { return no_content(); });
  // All six go out with the stale token before any answer.
  auto first = h.take();
  REQUIRE(first.size() == 6);
  for (const auto& r : first) h.answer(r);
  h.drive();
  for (const auto op : ops) h.result(op);
  CHECK(h.server.count("POST auth/token/refresh") == 1);
  CHECK(h.refused_exclusive == 0);  // one refresh request produced at all, not one of several let through
}

TEST_CASE("refresh before expiry: by timer, and before a call once the leeway is reached") {
  Harness h;
  h.sign_in();
  const std::int64_t due = kStart + 900'000 - 60'000;
  CHECK(h.client->poll_timeout() == due);
  h.now = due;
  h.client->handle_timeout(h.now);
  CHECK_FALSE(h.client->poll_timeout());  // nothing to do while the refresh is out
  h.clear_events();
  h.drive();
  CHECK(h.server.count("POST auth/token/refresh") == 1);
  CHECK(h.kinds() == std::vector<std::string>{"tokens"});
  CHECK(h.client->poll_timeout() == due + 840'000);

  // A call inside the leeway refreshes first, without meeting a 4010.
  h.now = due + 840'000 + 1;
  const auto p = h.start("getProfile");
  auto queued = h.take();
  REQUIRE(queued.size() == 1);
  CHECK(queued[0].path == "/web/v1/system/auth/token/refresh");
  CHECK(queued[0].exclusive == "refresh");
  h.answer(queued[0]);
  h.drive();
  h.result(p);
  CHECK(h.server.count("POST auth/token/refresh") == 2);
}

TEST_CASE("a failed proactive refresh keeps the session and retries later, not in a loop") {
  Harness h;
  h.sign_in();
  h.now = kStart + 840'000;
  h.client->handle_timeout(h.now);
  auto r = h.take();
  REQUIRE(r.size() == 1);
  h.client->handle_transport_error(r[0].id, "offline", h.now);
  h.drain_events();
  CHECK(h.of_kind("signedOut").empty());
  CHECK(h.client->poll_timeout() == h.now + 30'000);
}

TEST_CASE("refreshSession: forced refresh; declined by confirm_send when a peer tab already rotated") {
  Harness h(sharing());
  h.sign_in();
  const auto a = h.start("refreshSession");
  h.drive();
  CHECK(h.result(a)["accessExpiresAt"] == kStart + 900'000);
  CHECK(h.server.count("POST auth/token/refresh") == 1);

  // Another tab refreshes while ours waits for the lock.
  const auto b = h.start("refreshSession");
  auto queued = h.take();
  REQUIRE(queued.size() == 1);
  REQUIRE(queued[0].exclusive == "refresh");
  Json peer = Json::parse(h.client->export_state())["tokens"];
  peer["accessToken"] = "AT_PEER";
  peer["refreshToken"] = "RT_PEER";
  peer["accessExpiresAt"] = peer["accessExpiresAt"].get<std::int64_t>() + 5'000;
  h.client->handle_peer_tokens(Json{{"tokens", peer}, {"source", "local"}, {"reason", "REFRESH"}}.dump(), h.now);
  CHECK_FALSE(h.client->confirm_send(queued[0].id, h.now));
  h.drive();
  CHECK(h.result(b)["accessExpiresAt"] == peer["accessExpiresAt"]);
  CHECK(h.server.count("POST auth/token/refresh") == 1);
  const auto peer_tokens = h.of_kind("tokens").back();
  CHECK(payload(peer_tokens)["source"] == "peer");
  CHECK(payload(peer_tokens)["broadcast"] == false);  // adopted from a peer: not echoed back
  CHECK(payload(peer_tokens)["tokens"]["accessToken"] == "AT_PEER");
  // Older or equal tokens from a peer are ignored.
  const std::size_t n = h.events.size();
  h.client->handle_peer_tokens(Json{{"tokens", peer}}.dump(), h.now);
  h.client->handle_peer_tokens("garbage", h.now);
  h.client->handle_peer_tokens(Json{{"tokens", nullptr}}.dump(), h.now);
  h.drain_events();
  CHECK(h.events.size() == n);
}

TEST_CASE("a peer tab's sign-out signs this tab out (OTHER_TAB, not re-broadcast)") {
  Harness h;
  h.sign_in();
  h.clear_events();
  h.client->handle_peer_signed_out(h.now);
  h.drain_events();
  CHECK(h.kinds() == std::vector<std::string>{"tokens", "signedOut", "authState"});
  CHECK(payload(h.of_kind("tokens")[0])["source"] == "peer");
  CHECK(payload(h.of_kind("tokens")[0])["broadcast"] == false);
  CHECK(payload(h.of_kind("signedOut")[0])["reason"] == "OTHER_TAB");
  CHECK(payload(h.of_kind("signedOut")[0])["broadcast"] == false);
  h.client->handle_peer_signed_out(h.now);  // idempotent
  h.clear_events();
  h.drain_events();
  CHECK(h.events.empty());
}

TEST_CASE("peer tabs: what happens here is broadcast; a new tab's hello is answered only when signed in") {
  Harness h(sharing());
  h.client->handle_peer_hello(h.now);  // signed out: nothing to share
  h.drain_events();
  CHECK(h.of_kind("tokens").empty());

  h.sign_in();
  const auto signed_in = h.of_kind("tokens").back();
  CHECK(payload(signed_in)["reason"] == "SIGN_IN");
  CHECK(payload(signed_in)["broadcast"] == true);

  h.clear_events();
  h.client->handle_peer_hello(h.now);
  h.drain_events();
  REQUIRE(h.kinds() == std::vector<std::string>{"tokens"});
  const Json shared = payload(h.events[0]);
  CHECK(shared["reason"] == "SHARE");
  CHECK(shared["broadcast"] == true);
  CHECK(shared["tokens"] == Json::parse(h.client->export_state())["tokens"]);

  // What the hello answer carries is what a new tab adopts.
  Harness fresh(sharing());
  fresh.client->handle_peer_tokens(shared.dump(), fresh.now);
  fresh.drain_events();
  CHECK(Json::parse(fresh.client->export_state())["tokens"] == shared["tokens"]);
  CHECK(payload(fresh.of_kind("tokens").back())["broadcast"] == false);

  h.clear_events();
  const auto out = h.start("signOut");
  h.drive();
  REQUIRE_FALSE(h.of_kind("signedOut").empty());
  CHECK(payload(h.of_kind("signedOut")[0])["broadcast"] == true);
  (void)out;
}

TEST_CASE("channel SESSION_INVALID → new session and one resend; twice → surfaced") {
  Harness h;
  h.sign_in();
  h.server.on("POST profile/update", update_ok);
  h.server.expire_channel_sessions();
  const std::size_t before = h.server.log.size();
  const auto u = h.start("updateProfile", Json{{"accountName", "Renamed"}});
  h.drive();
  CHECK(h.result(u)["accountName"] == "Renamed");
  auto routes = h.server.routes();
  CHECK(std::vector<std::string>(routes.begin() + static_cast<long>(before), routes.end()) ==
        std::vector<std::string>{"POST profile/update", "POST secure-channel/session", "POST profile/update"});

  // A server that keeps refusing: one resend, then the error.
  h.server.on("POST profile/update", [](const Received&, std::int64_t) {
    Reply r = fail(401, "SECURE_CHANNEL.SESSION_INVALID", "again");
    r.plaintext = true;
    return r;
  });
  const auto v = h.start("updateProfile", Json{{"accountName", "X"}});
  h.drive();
  CHECK(h.error(v)["code"] == "SECURE_CHANNEL.SESSION_INVALID");
  CHECK(h.server.count("POST profile/update") == 4);
}

TEST_CASE("KEY_UNKNOWN while reopening → key fetched again, session opened, request resent") {
  Harness h;
  h.sign_in();
  h.server.on("POST profile/update", update_ok);
  h.server.rotate_key();
  h.server.expire_channel_sessions();
  const std::size_t before = h.server.log.size();
  const auto u = h.start("updateProfile", Json{{"accountName", "Renamed"}});
  h.drive();
  h.result(u);
  auto routes = h.server.routes();
  CHECK(std::vector<std::string>(routes.begin() + static_cast<long>(before), routes.end()) ==
        std::vector<std::string>{"POST profile/update", "POST secure-channel/session", "GET secure-channel/public-key",
                                 "POST secure-channel/session", "POST profile/update"});
}

TEST_CASE("a server that restarted with a new key under the same id: the cached key is dropped, not kept") {
  Harness h;
  h.sign_in();
  h.server.on("POST profile/update", update_ok);
  h.server.restart();
  // The open with the cached key fails to decrypt on the server: the key is fetched again and
  // the open retried once, so the caller's request goes through.
  const std::size_t before = h.server.log.size();
  const auto u = h.start("updateProfile", Json{{"accountName", "Renamed"}});
  h.drive();
  h.result(u);
  auto routes = h.server.routes();
  CHECK(std::vector<std::string>(routes.begin() + static_cast<long>(before), routes.end()) ==
        std::vector<std::string>{"POST profile/update", "POST secure-channel/session", "GET secure-channel/public-key",
                                 "POST secure-channel/session", "POST profile/update"});

  // A channel failure that survives the retry leaves no key behind: the next call starts over
  // with a fresh key instead of failing forever on a stale one.
  h.server.expire_channel_sessions();
  h.server.refuse_session_opens = 2;
  const auto v = h.start("updateProfile", Json{{"accountName", "Again"}});
  h.drive();
  CHECK(h.error(v)["code"] == "SECURE_CHANNEL.DECRYPT_FAILED");
  const std::size_t keys = static_cast<std::size_t>(h.server.count("GET secure-channel/public-key"));
  const auto w = h.start("updateProfile", Json{{"accountName", "Third"}});
  h.drive();
  h.result(w);
  CHECK(static_cast<std::size_t>(h.server.count("GET secure-channel/public-key")) == keys + 1);
}

TEST_CASE("KEY_UNKNOWN answered to a sealed call → key refetched and one resend") {
  Harness h;
  h.sign_in();
  int calls = 0;
  h.server.on("POST profile/update", [&calls](const Received& r, std::int64_t) {
    if (calls++ == 0) {
      Reply e = fail(400, "SECURE_CHANNEL.KEY_UNKNOWN", "retired");
      e.plaintext = true;
      return e;
    }
    return ok(r.body);
  });
  const std::size_t before = h.server.log.size();
  const auto u = h.start("updateProfile", Json{{"accountName", "Renamed"}});
  h.drive();
  h.result(u);
  auto routes = h.server.routes();
  CHECK(std::vector<std::string>(routes.begin() + static_cast<long>(before), routes.end()) ==
        std::vector<std::string>{"POST profile/update", "GET secure-channel/public-key", "POST secure-channel/session",
                                 "POST profile/update"});
}

TEST_CASE("the channel renews before its expiresAt") {
  Harness h;
  h.sign_in();
  h.server.on("POST profile/update", update_ok);
  h.now = kStart + h.server.channel_ttl_ms - 29'000;  // inside the 30 s renewal margin
  h.server.expire_access_tokens();  // (token refresh also needed: both recover in one go)
  const auto u = h.start("updateProfile", Json{{"accountName", "R"}});
  h.drive();
  h.result(u);
  CHECK(h.server.count("POST secure-channel/session") == 2);
  CHECK(h.server.count("GET secure-channel/public-key") == 1);
}

TEST_CASE("DOWNGRADE: a plaintext success or business error to an encrypted request is refused") {
  Harness h;
  h.sign_in();
  h.server.on("POST profile/update", [](const Received& r, std::int64_t) {
    Reply p = ok(r.body);
    p.plaintext = true;
    return p;
  });
  const auto a = h.start("updateProfile", Json{{"accountName", "R"}});
  h.drive();
  CHECK(h.error(a)["code"] == "SECURE_CHANNEL.DOWNGRADE");
  CHECK(h.error(a)["kind"] == "protocol");

  h.server.on("POST profile/update", [](const Received&, std::int64_t) {
    Reply p = fail(400, "4000", "validation");
    p.plaintext = true;
    return p;
  });
  const auto b = h.start("updateProfile", Json{{"accountName", "R"}});
  h.drive();
  CHECK(h.error(b)["code"] == "SECURE_CHANNEL.DOWNGRADE");

  // Only SECURE_CHANNEL.* errors may come in plaintext. A pre-route failure (docs/api.md §4) is
  // reported by its HTTP status alone — 5xx as CLIENT.HTTP_5XX, 404/405/413 as CLIENT.HTTP_STATUS —
  // never with the unauthenticated body's code; any other plaintext answer is a downgrade.
  struct Plain {
    int status;
    const char* code;
    const char* expected;
    const char* kind;
  };
  for (const Plain& p : {Plain{404, "NOT_FOUND", "CLIENT.HTTP_STATUS", "transport"},
                         Plain{405, "METHOD_NOT_ALLOWED", "CLIENT.HTTP_STATUS", "transport"},
                         Plain{413, "PAYLOAD_TOO_LARGE", "CLIENT.HTTP_STATUS", "transport"},
                         Plain{500, "5000", "CLIENT.HTTP_5XX", "server"},
                         Plain{503, "4010", "CLIENT.HTTP_5XX", "server"},
                         Plain{400, "NOT_FOUND", "SECURE_CHANNEL.DOWNGRADE", "protocol"},
                         Plain{400, "5000", "SECURE_CHANNEL.DOWNGRADE", "protocol"},
                         Plain{400, "PAYLOAD_TOO_LARGE", "SECURE_CHANNEL.DOWNGRADE", "protocol"},
                         Plain{400, "CLIENT.IP_WHITELIST_LOCKOUT", "SECURE_CHANNEL.DOWNGRADE", "protocol"},
                         Plain{500, "CLIENT.ABORTED", "CLIENT.HTTP_5XX", "server"},
                         Plain{401, "SECURE_CHANNEL.REPLAY", "SECURE_CHANNEL.REPLAY", "server"}}) {
    CAPTURE(p.status);
    CAPTURE(p.code);
    h.server.on("POST profile/update", [&p](const Received&, std::int64_t) {
      Reply r = fail(p.status, p.code, "plaintext");
      r.plaintext = true;
      return r;
    });
    const auto c = h.start("updateProfile", Json{{"accountName", "R"}});
    h.drive();
    CHECK(h.error(c)["code"] == p.expected);
    CHECK(h.error(c)["kind"] == p.kind);
    CHECK(h.error(c)["status"] == p.status);
  }
  // A 200 without an envelope code is no success either.
  h.server.on("POST profile/update", [](const Received&, std::int64_t) {
    Reply r;
    r.envelope = R"({"data":{"accountName":"R"}})";
    r.raw = true;
    return r;
  });
  const auto e = h.start("updateProfile", Json{{"accountName", "R"}});
  h.drive();
  CHECK(h.error(e)["code"] == "SECURE_CHANNEL.DOWNGRADE");
  // Still signed in and usable.
  const auto d = h.start("getProfile");
  h.drive();
  h.result(d);
}

TEST_CASE("a tampered encrypted answer fails authentication; the next call opens a new session") {
  Harness h;
  h.sign_in();
  h.server.on("POST profile/update", update_ok);
  const auto a = h.start("updateProfile", Json{{"accountName", "R"}});
  auto r = h.take();
  REQUIRE(r.size() == 1);
  Wire w = h.server.handle(r[0], h.now);
  Json body = Json::parse(w.body);
  std::string data = body["data"].get<std::string>();
  data[3] = data[3] == 'A' ? 'B' : 'A';
  body["data"] = data;
  h.client->handle_response(r[0].id, w.status, w.headers_json, body.dump(), h.now);
  h.drain_events();
  CHECK(h.error(a)["code"] == "SECURE_CHANNEL.DECRYPT_FAILED");
  CHECK(h.error(a)["kind"] == "auth");
  const std::int64_t sessions = h.server.count("POST secure-channel/session");
  const auto b = h.start("updateProfile", Json{{"accountName", "S"}});
  h.drive();
  h.result(b);
  CHECK(h.server.count("POST secure-channel/session") == sessions + 1);
}

TEST_CASE("transport errors, 5xx pages, malformed and truncated bodies leave the client usable") {
  Harness h;
  h.sign_in();
  struct Fault {
    Reply reply;
    const char* code;
    const char* kind;
    int status;
  };
  auto raw = [](int status, const char* body) {
    Reply r;
    r.status = status;
    r.envelope = body;
    r.raw = true;
    return r;
  };
  Reply drop;
  drop.drop = true;
  const Fault faults[] = {
      {drop, "CLIENT.NETWORK", "transport", 0},
      {raw(502, "<html><body>Bad Gateway</body></html>"), "CLIENT.HTTP_5XX", "server", 502},
      {raw(200, R"({"seq":1,"nonce":"AAAA)"), "CLIENT.BAD_RESPONSE", "protocol", 200},
      {raw(200, "not json at all"), "CLIENT.BAD_RESPONSE", "protocol", 200},
  };
  // A well-formed, correctly sealed answer that is too long is refused all the same.
  Fault oversized{ok(Json{{"pad", std::string(PortalClient::kMaxResponseBytes, 'a')}}), "CLIENT.BAD_RESPONSE",
                  "protocol", 0};
  for (const Fault& f : {faults[0], faults[1], faults[2], faults[3], oversized}) {
    CAPTURE(f.code);
    for (const char* route : {"POST profile/update", "GET security/mfa"}) {
      CAPTURE(route);
      h.server.on(route, [&f](const Received&, std::int64_t) { return f.reply; });
      const auto a = std::string(route).rfind("POST", 0) == 0 ? h.start("updateProfile", Json{{"accountName", "R"}})
                                                               : h.start("getMfaState");
      h.drive();
      CHECK(h.error(a)["code"] == f.code);
      CHECK(h.error(a)["kind"] == f.kind);
      CHECK(h.error(a)["status"] == f.status);
    }
    const auto ok_again = h.start("getProfile");
    h.drive();
    h.result(ok_again);
  }
  h.server.on("POST profile/update", update_ok);
  const auto u = h.start("updateProfile", Json{{"accountName", "R"}});
  h.drive();
  h.result(u);
  CHECK(h.of_kind("signedOut").empty());
}

TEST_CASE("a failed key fetch or session open rejects the waiting calls; the next call tries again") {
  Harness h;
  const auto a = h.start("signIn", Json{{"email", kEmail}, {"password", kPassword}});
  auto r = h.take();
  REQUIRE(r.size() == 1);
  CHECK(r[0].path == "/web/v1/secure-channel/public-key");
  h.client->handle_transport_error(r[0].id, "dns", h.now);
  h.drain_events();
  CHECK(h.error(a)["code"] == "CLIENT.NETWORK");
  const auto b = h.start("signIn", Json{{"email", kEmail}, {"password", kPassword}});
  h.drive();
  CHECK(h.result(b)["step"] == "MFA_REQUIRED");
}

TEST_CASE("429 with Retry-After surfaces retryAfter (sealed error)") {
  Harness h;
  h.server.on("POST auth/login/initiate", [](const Received&, std::int64_t) {
    Reply r = fail(429, "RATE_LIMITED", "too many", Json{{"data", {{"retryAfter", 42}}}});
    r.headers = Json{{"retry-after", "42"}};
    return r;
  }, false);
  const auto a = h.start("signIn", Json{{"email", kEmail}, {"password", "x"}});
  h.drive();
  CHECK(h.error(a) == Json::parse(R"({"kind":"server","code":"RATE_LIMITED","message":"too many","status":429,
                                      "retryAfter":42,"fieldErrors":[]})"));
}

TEST_CASE("AUTH.INVALID_CREDENTIALS passes data.remainingAttempts through; absent when not given") {
  Harness h;
  h.server.on("POST auth/login/initiate", [](const Received&, std::int64_t) {
    return fail(401, "AUTH.INVALID_CREDENTIALS", "wrong", Json{{"data", {{"remainingAttempts", 3}}}});
  }, false);
  const auto a = h.start("signIn", Json{{"email", kEmail}, {"password", "x"}});
  h.drive();
  CHECK(h.error(a) == Json::parse(R"({"kind":"server","code":"AUTH.INVALID_CREDENTIALS","message":"wrong","status":401,
                                      "retryAfter":null,"remainingAttempts":3,"fieldErrors":[]})"));
  h.server.on("POST auth/login/initiate", [](const Received&, std::int64_t) {
    return fail(401, "AUTH.INVALID_CREDENTIALS", "wrong");
  }, false);
  const auto b = h.start("signIn", Json{{"email", kEmail}, {"password", "x"}});
  h.drive();
  CHECK_FALSE(h.error(b).contains("remainingAttempts"));
}

TEST_CASE("cancel(): rejected with CLIENT.ABORTED at once; the late answer is ignored") {
  Harness h;
  h.sign_in();
  const auto p = h.start("getProfile");
  auto r = h.take();
  REQUIRE(r.size() == 1);
  h.client->cancel(p, h.now);
  h.drain_events();
  CHECK(h.error(p)["code"] == "CLIENT.ABORTED");
  h.answer(r[0]);
  h.drain_events();
  CHECK(h.outcome(p).resolved == false);  // still exactly one ending
  h.client->cancel(p, h.now);             // idempotent
  h.client->cancel(999, h.now);
  // A cancelled bootstrap part does not leave a dangling route event.
  const auto b = h.start("bootstrap");
  auto parts = h.take();
  REQUIRE(parts.size() == 3);
  h.answer(parts[0]);
  h.client->cancel(b, h.now);
  h.answer(parts[1]);
  h.answer(parts[2]);
  h.drain_events();
  CHECK(h.error(b)["code"] == "CLIENT.ABORTED");
  CHECK(h.of_kind("route").size() == 1);  // only the sign-in's
}

TEST_CASE("cancel while waiting for a refresh: the shared refresh still completes for the others") {
  Harness h;
  h.sign_in();
  h.server.expire_access_tokens();
  const auto a = h.start("getProfile");
  const auto b = h.start("listWorkspaces");
  auto first = h.take();
  REQUIRE(first.size() == 2);
  h.answer(first[0]);  // 4010 → refresh queued
  h.client->cancel(a, h.now);
  h.answer(first[1]);
  h.drive();
  CHECK(h.error(a)["code"] == "CLIENT.ABORTED");
  h.result(b);
  CHECK(h.server.count("POST auth/token/refresh") == 1);
}

TEST_CASE("signOut: local at once, then logout with the old token and channel close; always ends signed out") {
  Harness h;
  h.sign_in();
  const std::string access = Json::parse(h.client->export_state())["tokens"]["accessToken"].get<std::string>();
  h.clear_events();
  const auto s = h.start("signOut");
  h.drain_events();
  CHECK(h.kinds() == std::vector<std::string>{"tokens", "signedOut", "authState"});
  CHECK(payload(h.of_kind("signedOut")[0])["reason"] == "USER");
  h.drive();
  CHECK(h.result(s).is_null());
  const auto n = h.server.log.size();
  CHECK(h.server.log[n - 2].route == "POST auth/logout");
  CHECK(h.server.log[n - 2].headers.at("Authorization") == "Bearer " + access);
  CHECK(h.server.log[n - 1].route == "POST secure-channel/session/close");
  CHECK(h.client->export_state().empty());  // nothing of the session is kept

  // Server down: still signed out, still resolves.
  Harness g;
  g.sign_in();
  g.server.on("POST auth/logout", [](const Received&, std::int64_t) { Reply r; r.drop = true; return r; });
  const auto t = g.start("signOut");
  g.drive();
  CHECK(g.result(t).is_null());
  CHECK(g.start_error("getProfile").code == "CLIENT.NOT_SIGNED_IN");
  // Signed out already: resolves at once, nothing sent.
  const auto again = g.start("signOut");
  CHECK_FALSE(g.client->poll_request());
  g.drain_events();
  CHECK(g.result(again).is_null());
  // After sign-out the next sign-in opens a fresh channel session.
  g.sign_in();
}

TEST_CASE("export/import: tokens and an in-progress sign-in, never channel keys; expired parts dropped") {
  Harness h;
  h.start("signIn", Json{{"email", kEmail}, {"password", kPassword}});
  h.drive();
  const std::string pending = h.client->export_state();
  const Json state = Json::parse(pending);
  CHECK(state["version"] == 1);
  CHECK(state["tokens"].is_null());
  CHECK(state["signIn"]["methods"] == Json::array({"EMAIL", "OTP"}));
  CHECK(state["signIn"]["expiresAt"] == kStart + h.server.login_ttl_ms);
  std::string session_id;
  for (const auto& [name, value] : h.sent[2].headers)
    if (name == "X-Secure-Channel-Session-Id") session_id = value;
  REQUIRE_FALSE(session_id.empty());
  CHECK(pending.find(session_id) == std::string::npos);

  // A reloaded page (a new client, same server) continues the sign-in on a channel session of its own.
  auto reload_page = [](Harness& harness) {
    auto created = PortalClient::create(harness.config, harness.random);
    REQUIRE(created.ok());
    harness.client = std::move(created).value();
    harness.events.clear();
  };
  Harness& reload = h;
  reload_page(reload);
  REQUIRE(reload.client->import_state(pending, reload.now).ok());
  reload.drain_events();
  CHECK(payload(reload.of_kind("authState")[0])["state"] == "SIGNING_IN");
  const auto c = reload.start("confirmSignIn", Json{{"method", "EMAIL"}, {"code", kMfaCode}});
  reload.drive();
  CHECK(reload.result(c)["step"] == "DONE");
  const std::string signed_in = reload.client->export_state();
  CHECK(Json::parse(signed_in)["signIn"].is_null());

  Harness& restored = h;
  reload_page(restored);
  REQUIRE(restored.client->import_state(signed_in, restored.now).ok());
  const auto p = restored.start("getProfile");
  restored.drive();
  restored.result(p);
  CHECK(restored.client->import_state(signed_in, restored.now).error().code == "CLIENT.STATE_NOT_EMPTY");

  Harness late;
  REQUIRE(late.client->import_state(pending, kStart + 10'000'000).ok());
  CHECK(late.start_error("confirmSignIn", Json{{"method", "EMAIL"}, {"code", "1"}}).code == "CLIENT.NO_SIGN_IN");
  CHECK(late.client->import_state("{\"version\":2}", late.now).error().kind == ErrorKind::Caller);
  CHECK_FALSE(late.client->import_state("nope", late.now).ok());
  CHECK_FALSE(late.client->import_state(R"({"version":1,"tokens":{"accessToken":1}})", late.now).ok());
}

TEST_CASE("dispose(): every input fails with CLIENT.DISPOSED or does nothing; idempotent") {
  Harness h;
  h.sign_in();
  const auto p = h.start("getProfile");
  auto r = h.take();
  h.client->dispose();
  h.client->dispose();
  auto e = h.client->start("getProfile", "{}", h.now);
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().code == "CLIENT.DISPOSED");
  CHECK(h.client->import_state("{}", h.now).error().code == "CLIENT.DISPOSED");
  h.client->handle_response(r[0].id, 200, "{}", "{}", h.now);
  h.client->handle_timeout(h.now + 10'000'000);
  h.client->handle_peer_tokens("{}", h.now);
  CHECK_FALSE(h.client->confirm_send(r[0].id, h.now));
  CHECK_FALSE(h.client->poll_request());
  CHECK_FALSE(h.client->poll_event());
  CHECK_FALSE(h.client->poll_timeout());
  CHECK(h.client->export_state().empty());
  CHECK_FALSE(h.ended(p));
}

TEST_CASE("ChannelMode::Off: plain JSON bodies, no channel traffic") {
  ClientConfig config = Harness::default_config();
  config.channel_mode = ChannelMode::Off;
  Harness h(config);
  h.server.require_channel = false;
  h.sign_in();
  for (const auto& route : h.server.routes()) CHECK(route.find("secure-channel") == std::string::npos);
  CHECK(h.sent[0].body == Json{{"email", kEmail}, {"password", kPassword}}.dump());
  for (const auto& r : h.server.log) CHECK_FALSE(r.sealed);
  const auto s = h.start("signOut");
  h.drive();
  h.result(s);
  CHECK(h.server.routes().back() == "POST auth/logout");
}

TEST_CASE("create() validates the configuration") {
  test::CountingRandom random;
  auto with = [&](auto edit) {
    ClientConfig c = Harness::default_config();
    edit(c);
    return PortalClient::create(c, random);
  };
  CHECK(with([](ClientConfig&) {}).ok());
  CHECK_FALSE(with([](ClientConfig& c) { c.portal = "admin"; }).ok());
  CHECK_FALSE(with([](ClientConfig& c) { c.access_code = ""; }).ok());
  CHECK_FALSE(with([](ClientConfig& c) { c.access_code = "a\r\nX-Evil: 1"; }).ok());
  CHECK_FALSE(with([](ClientConfig& c) { c.client_hash = "ABC"; }).ok());
  CHECK_FALSE(with([](ClientConfig& c) { c.client_hash = std::string(64, 'A'); }).ok());
  CHECK_FALSE(with([](ClientConfig& c) { c.locale = "de"; }).ok());
  CHECK_FALSE(with([](ClientConfig& c) { c.refresh_leeway_ms = -1; }).ok());
  auto bad = with([](ClientConfig& c) { c.portal = "x"; });
  CHECK(bad.error().kind == ErrorKind::Caller);
}

TEST_CASE("a pinned key that does not match refuses the channel") {
  ClientConfig config = Harness::default_config();
  config.pinned_keys = {"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"};
  Harness h(config);
  const auto a = h.start("signIn", Json{{"email", kEmail}, {"password", kPassword}});
  h.drive();
  CHECK(h.error(a)["code"] == "SECURE_CHANNEL.KEY_NOT_PINNED");
  CHECK(h.server.count("POST auth/login/initiate") == 0);
}

TEST_CASE("PORTAL.ACCESS_CODE_INVALID is surfaced as it is: no refresh, no sign-out, on calls and on the channel") {
  Harness h;
  h.sign_in();
  h.server.on("GET security/mfa", [](const Received&, std::int64_t) {
    return fail(401, "PORTAL.ACCESS_CODE_INVALID", "bad access code");
  }, false);
  h.clear_events();
  const auto m = h.start("getMfaState");
  h.drive();
  CHECK(h.error(m)["code"] == "PORTAL.ACCESS_CODE_INVALID");
  CHECK(h.error(m)["status"] == 401);
  CHECK(h.server.count("POST auth/token/refresh") == 0);
  CHECK(h.server.count("GET security/mfa") == 1);
  CHECK(h.of_kind("signedOut").empty());
  const auto p = h.start("getProfile");  // still signed in
  h.drive();
  h.result(p);

  // Before any session: the key fetch is refused in plaintext; the waiting call gets the code.
  Harness fresh;
  const auto s = fresh.start("signIn", Json{{"email", kEmail}, {"password", kPassword}});
  auto r = fresh.take();
  REQUIRE(r.size() == 1);
  CHECK(r[0].path == "/web/v1/secure-channel/public-key");
  fresh.client->handle_response(
      r[0].id, 401, "{}",
      R"({"success":false,"code":"PORTAL.ACCESS_CODE_INVALID","message":"bad access code","data":null})", fresh.now);
  fresh.drain_events();
  CHECK(fresh.error(s)["code"] == "PORTAL.ACCESS_CODE_INVALID");
  CHECK(fresh.error(s)["status"] == 401);
  CHECK(fresh.of_kind("signedOut").empty());
}

TEST_CASE("a rejected fetch is CLIENT.CORS_BLOCKED only when cross-origin and online; else CLIENT.NETWORK") {
  constexpr unsigned kRejected = PortalClient::kFetchRejected, kCross = PortalClient::kCrossOrigin,
                     kOnline = PortalClient::kOnline;
  const std::pair<unsigned, const char*> cases[] = {
      {kRejected | kCross | kOnline, "CLIENT.CORS_BLOCKED"},
      {kRejected | kCross, "CLIENT.NETWORK"},   // offline
      {kRejected | kOnline, "CLIENT.NETWORK"},  // same origin: not CORS
      {kCross | kOnline, "CLIENT.NETWORK"},     // a timeout or abort, not a rejected fetch
      {0, "CLIENT.NETWORK"},
  };
  for (const auto& [facts, code] : cases) {
    CAPTURE(facts);
    Harness h;
    const auto a = h.start("signIn", Json{{"email", kEmail}, {"password", kPassword}});
    auto r = h.take();
    REQUIRE(r.size() == 1);
    h.client->handle_transport_error(r[0].id, "Failed to fetch", h.now, facts);
    h.drain_events();
    CHECK(h.error(a)["code"] == code);
    CHECK(h.error(a)["kind"] == "transport");
    CHECK(h.error(a)["status"] == 0);
  }
}

TEST_CASE("no randomness (crypto.getRandomValues threw): the call fails with CLIENT.NO_CRYPTO, the client stays usable") {
  Harness h;
  h.random.failing = true;
  const auto a = h.start("signIn", Json{{"email", kEmail}, {"password", kPassword}});
  h.drive();
  CHECK(h.error(a)["code"] == "CLIENT.NO_CRYPTO");
  CHECK(h.server.count("POST secure-channel/session") == 0);  // nothing was sent without keys
  h.random.failing = false;
  h.sign_in();
  const auto b = h.start("getProfile");
  h.drive();
  h.result(b);
}
