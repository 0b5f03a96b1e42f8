// Sessions across tabs and networks: what a peer tab may share and install, offline, clock skew.
#include <doctest/doctest.h>

#include "flows/fake_server.hpp"

using namespace portal;
using namespace portal::test;

namespace {

Json payload(const Event& e) { return Json::parse(e.payload); }

ClientConfig persisting(ClientConfig::Persist persist) {
  ClientConfig c = Harness::default_config();
  c.persist = persist;
  return c;
}

// A "tokens" message as another tab (or any same-origin script) would post it.
std::string peer_message(const std::string& access, std::int64_t access_at, std::int64_t refresh_at) {
  return Json{{"tokens", Json{{"accessToken", access},
                              {"refreshToken", "RT_" + access},
                              {"accessExpiresAt", access_at},
                              {"refreshExpiresAt", refresh_at},
                              {"mfaSetupRequired", false}}},
              {"source", "local"},
              {"reason", "REFRESH"}}
      .dump();
}

std::string access_token(const Harness& h) {
  const Json tokens = Json::parse(h.client->export_state())["tokens"];
  return tokens.is_object() ? tokens["accessToken"].get<std::string>() : "";
}

}  // namespace

// ---- tabs ------------------------------------------------------------------------------------------

TEST_CASE("peers, persist memory: no token leaves the tab and none is adopted; a sign-out is honoured") {
  Harness h(persisting(ClientConfig::Persist::Memory));
  h.sign_in();
  for (const Event& e : h.of_kind("tokens")) CHECK(payload(e)["broadcast"] == false);
  h.clear_events();
  h.client->handle_peer_hello(h.now);  // {type:'hello'} from anyone
  h.drain_events();
  CHECK(h.of_kind("tokens").empty());
  const std::string mine = access_token(h);
  h.client->handle_peer_tokens(peer_message("AT_PLANTED", h.now + 600'000, h.now + 3'600'000), h.now);
  h.drain_events();
  CHECK(access_token(h) == mine);
  // A signed-out memory tab adopts nothing either.
  Harness fresh(persisting(ClientConfig::Persist::Memory));
  fresh.client->handle_peer_tokens(peer_message("AT_PLANTED", fresh.now + 600'000, fresh.now + 3'600'000), fresh.now);
  fresh.drain_events();
  CHECK(fresh.events.empty());
  // The most a forged message can do: sign out.
  h.client->handle_peer_signed_out(h.now);
  h.drain_events();
  CHECK(payload(h.of_kind("signedOut").back())["reason"] == "OTHER_TAB");
}

TEST_CASE("peers, persist session: a forged far-future expiry is refused; a planted one cannot keep genuine rotations out") {
  Harness h(persisting(ClientConfig::Persist::Session));
  h.sign_in();  // access life 900 s
  const std::string mine = access_token(h);
  // 8e15 ms and "10 years" both exceed what the server ever issued here: refused.
  h.client->handle_peer_tokens(peer_message("AT_FAR", 8'000'000'000'000'000, 8'000'000'000'000'000), h.now);
  h.client->handle_peer_tokens(peer_message("AT_DECADE", h.now + 9LL * 365 * 86'400'000, h.now + 9LL * 365 * 86'400'000),
                               h.now);
  h.drain_events();
  CHECK(access_token(h) == mine);
  // The most a plant within the bound gets: adopted now, overtaken by the next genuine rotation.
  h.client->handle_peer_tokens(peer_message("AT_PLANTED", h.now + 900'000 + 4'000, h.now + 3'600'000), h.now);
  h.drain_events();
  CHECK(access_token(h) == "AT_PLANTED");
  h.now += 10'000;
  h.client->handle_peer_tokens(peer_message("AT_GENUINE", h.now + 900'000, h.now + 3'600'000), h.now);
  h.drain_events();
  CHECK(access_token(h) == "AT_GENUINE");
  // A new tab that never saw a server answer still applies the server's own 10-year bound.
  Harness fresh(persisting(ClientConfig::Persist::Session));
  fresh.client->handle_peer_tokens(peer_message("AT_FAR", 8'000'000'000'000'000, 8'000'000'000'000'000), fresh.now);
  fresh.drain_events();
  CHECK(fresh.events.empty());
}

TEST_CASE("peers, persist session/local: a hello is answered with the session (storage exposes it anyway)") {
  for (const auto persist : {ClientConfig::Persist::Session, ClientConfig::Persist::Local}) {
    Harness h(persisting(persist));
    h.sign_in();
    h.clear_events();
    h.client->handle_peer_hello(h.now);
    h.drain_events();
    REQUIRE(h.of_kind("tokens").size() == 1);
    CHECK(payload(h.of_kind("tokens")[0])["broadcast"] == true);
  }
}

TEST_CASE("a new client asks the other tabs for their session only while signed out with no flow, and never with persist memory") {
  Harness memory(persisting(ClientConfig::Persist::Memory));
  CHECK_FALSE(memory.client->wants_peer_session());
  for (const auto persist : {ClientConfig::Persist::Session, ClientConfig::Persist::Local}) {
    Harness h(persisting(persist));
    CHECK(h.client->wants_peer_session());
    const auto password = h.start("signIn", Json{{"email", kEmail}, {"password", kPassword}});
    h.drive();
    REQUIRE(h.result(password)["step"] == "MFA_REQUIRED");
    CHECK_FALSE(h.client->wants_peer_session());  // a sign-in under way: its own flow, not a peer's
    const auto code = h.start("confirmSignIn", Json{{"method", "EMAIL"}, {"code", kMfaCode}});
    h.drive();
    REQUIRE(h.result(code)["step"] == "DONE");
    CHECK_FALSE(h.client->wants_peer_session());  // signed in: nothing to ask
    h.client->dispose();
    CHECK_FALSE(h.client->wants_peer_session());
  }
}

// ---- offline ---------------------------------------------------------------------------------------

TEST_CASE("offline: no refresh attempts, calls fail fast with CLIENT.OFFLINE; online resumes an overdue refresh") {
  Harness h;
  h.sign_in();
  const std::int64_t due = kStart + 900'000 - 60'000;
  CHECK(h.client->poll_timeout() == due);
  h.client->set_online(false, h.now);
  CHECK_FALSE(h.client->poll_timeout());  // no refresh timer while offline
  h.now = due + 1;
  h.client->handle_timeout(h.now);
  CHECK(h.take().empty());
  h.clear_events();
  const auto p = h.start("getProfile");
  const auto r = h.start("refreshSession");
  CHECK(h.take().empty());  // nothing sent
  h.drain_events();
  CHECK(h.error(p)["code"] == "CLIENT.OFFLINE");
  CHECK(h.error(p)["kind"] == "transport");
  CHECK(h.error(r)["code"] == "CLIENT.OFFLINE");
  CHECK(h.of_kind("signedOut").empty());
  CHECK(h.client->poll_timeout() == std::nullopt);
  h.client->set_online(true, h.now);
  const auto queued = h.take();
  REQUIRE(queued.size() == 1);
  CHECK(queued[0].path == "/web/v1/system/auth/token/refresh");
  h.answer(queued[0]);
  h.drive();
  CHECK(h.server.count("POST auth/token/refresh") == 1);
  CHECK(h.client->poll_timeout() == h.now + 840'000);
}

TEST_CASE("a 5xx or a network failure of the refresh never signs out") {
  Harness h;
  h.sign_in();
  int failures = 0;
  h.server.on("POST auth/token/refresh", [&](const Received&, std::int64_t) {
    ++failures;
    if (failures == 1) return fail(503, "SERVICE_UNAVAILABLE", "down");
    Reply r;
    r.drop = true;
    return r;
  }, false);
  h.clear_events();
  for (int i = 0; i < 2; ++i) {
    h.now = *h.client->poll_timeout();
    h.client->handle_timeout(h.now);
    h.drive();
  }
  CHECK(failures == 2);
  CHECK(h.of_kind("signedOut").empty());
  CHECK_FALSE(access_token(h).empty());
}

// ---- clock skew ------------------------------------------------------------------------------------

TEST_CASE("clock skew ±10 min: sign-in with MFA, channel renewal and token refresh follow the server's clock") {
  for (const std::int64_t offset : {600'000LL, -600'000LL}) {
    CAPTURE(offset);
    Harness h;
    h.server_offset_ms = offset;  // the server's clock is this far from the device's
    h.send_date = true;
    h.server.channel_ttl_ms = 300'000;  // shorter than the skew
    h.sign_in();                        // the 5-minute login session must not look expired (or eternal)
    h.server.on("POST profile/update", [](const Received& r, std::int64_t) { return ok(r.body); });
    const auto update = [&h] {
      const auto u = h.start("updateProfile", Json{{"accountName", "Renamed"}});
      h.drive();
      h.result(u);
    };
    const int opens = h.server.count("POST secure-channel/session");
    for (int i = 0; i < 3; ++i) update();
    CHECK(h.server.count("POST secure-channel/session") == opens);  // no renewal loop
    // Past the channel session's end on the server's clock the client renews before sending.
    h.now += 290'000;
    const std::size_t before = h.server.log.size();
    update();
    auto routes = h.server.routes();
    CHECK(std::vector<std::string>(routes.begin() + static_cast<long>(before), routes.end()) ==
          std::vector<std::string>{"POST secure-channel/session", "POST profile/update"});
    // Tokens: one refresh per access life, none in a loop, none lapsing.
    const int refreshes = h.server.count("POST auth/token/refresh");
    const std::int64_t due = *h.client->poll_timeout();
    CHECK(due > h.now);
    h.now = due;
    h.client->handle_timeout(h.now);
    h.drive();
    CHECK(h.server.count("POST auth/token/refresh") == refreshes + 1);
    CHECK(*h.client->poll_timeout() == h.now + 840'000);
    CHECK(h.of_kind("signedOut").empty());
  }
}

TEST_CASE("clock skew: a pre-login session's expiry is read on the server's clock") {
  Harness h;
  h.server_offset_ms = -600'000;  // the device is 10 minutes ahead
  h.send_date = true;
  const auto a = h.start("signIn", Json{{"email", kEmail}, {"password", kPassword}});
  h.drive();
  REQUIRE(h.result(a)["step"] == "MFA_REQUIRED");
  const auto at = h.client->poll_timeout();
  REQUIRE(at);
  CHECK(*at > h.now + 290'000);  // about 5 minutes from now on the device clock too
  CHECK(*at <= h.now + 301'000);
}
