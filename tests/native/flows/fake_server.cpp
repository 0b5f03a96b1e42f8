#include "flows/fake_server.hpp"

#include <algorithm>
#include <ctime>

#include "channel/base64url.hpp"
#include "channel/hkdf.hpp"

namespace portal::test {

namespace {

// Howard Hinnant's civil_from_days.
void civil(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

Bytes expand(ByteView prk, const char* label, std::size_t size) {
  Bytes out(size);
  REQUIRE(hkdf_expand(out.data(), size, prk, {std::string_view(label)}).ok());
  return out;
}

std::string envelope(const Json& data) {
  return Json{{"success", true}, {"code", "2000"}, {"message", "SUCCESS"}, {"data", data}}.dump();
}

Json mfa_enum(const std::string& code) {
  const int value = code == "EMAIL" ? 10011001 : code == "OTP" ? 10011002 : 10011003;
  const char* label = code == "EMAIL" ? "Email" : code == "OTP" ? "OTP" : "Backup code";
  return Json{{"code", code}, {"value", value}, {"label", label}};
}

}  // namespace

std::string format_imf_fixdate(std::int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char out[40];
  std::strftime(out, sizeof out, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return out;
}

std::string format_rfc3339(std::int64_t ms) {
  const std::int64_t secs = ms / 1000;
  std::int64_t days = secs / 86400, rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  std::int64_t y;
  unsigned m, d;
  civil(days, y, m, d);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ", static_cast<long long>(y), m, d,
                static_cast<long long>(rem / 3600), static_cast<long long>(rem / 60 % 60),
                static_cast<long long>(rem % 60), static_cast<long long>(ms % 1000));
  return buf;
}

Reply ok(const Json& data) { return Reply{200, envelope(data)}; }
Reply no_content() { return Reply{200, R"({"status":204,"body":null})"}; }
Reply fail(int status, const std::string& code, const std::string& message, const Json& extra) {
  Json e{{"success", false}, {"code", code}, {"message", message}, {"data", nullptr}};
  if (extra.is_object())
    for (auto it = extra.begin(); it != extra.end(); ++it) e[it.key()] = it.value();
  return Reply{status, e.dump()};
}

FakeServer::FakeServer(std::string portal) : portal_(std::move(portal)) {
  hpke::Key sk;
  for (std::size_t i = 0; i < 32; ++i) sk.data()[i] = static_cast<std::uint8_t>(i + 1);
  key_ = hpke::key_pair_from_secret(sk);
  key_id_ = "sc-test-1";
  install_defaults();
}

void FakeServer::rotate_key() {
  retired_keys_.insert(key_id_);
  ++key_generation_;
  hpke::Key sk;
  for (std::size_t i = 0; i < 32; ++i) sk.data()[i] = static_cast<std::uint8_t>(i * key_generation_ + 7);
  key_ = hpke::key_pair_from_secret(sk);
  key_id_ = "sc-test-" + std::to_string(key_generation_);
}

void FakeServer::restart() {
  hpke::Key sk;
  for (std::size_t i = 0; i < 32; ++i) sk.data()[i] = static_cast<std::uint8_t>(i * 11 + 3);
  key_ = hpke::key_pair_from_secret(sk);
  channel_sessions_.clear();
}

void FakeServer::on(const std::string& route, Handler handler, bool jwt) { handlers_[route] = Entry{std::move(handler), jwt}; }

int FakeServer::count(const std::string& route) const {
  return static_cast<int>(std::count_if(log.begin(), log.end(), [&](const Received& r) { return r.route == route; }));
}

std::vector<std::string> FakeServer::routes() const {
  std::vector<std::string> out;
  for (const Received& r : log) out.push_back(r.route);
  return out;
}

Json FakeServer::issue_tokens(std::int64_t, bool mfa_setup_required) {
  ++counter_;
  const std::string access = "AT" + token_tag + std::to_string(counter_);
  const std::string refresh = "RT" + token_tag + std::to_string(counter_);
  access_.insert(access);
  refresh_.insert(refresh);
  return Json{{"accessToken", access},         {"refreshToken", refresh},
              {"tokenType", "Bearer"},          {"expiresIn", access_ttl_s},
              {"refreshExpiresIn", 1209600},    {"mfaSetupRequired", mfa_setup_required}};
}

Wire FakeServer::plain(const Reply& reply) {
  Wire w;
  w.status = reply.status;
  w.headers_json = reply.headers.dump();
  w.body = reply.envelope;
  w.drop = reply.drop;
  return w;
}

Wire FakeServer::seal_reply(const Reply& reply, const Received& r, const std::string& session_id, std::uint64_t seq) {
  if (reply.plaintext || reply.raw || reply.drop) return plain(reply);
  const ChannelSession& s = channel_sessions_.at(session_id);
  Bytes nonce(12);
  ++counter_;
  for (std::size_t i = 0; i < 12; ++i) nonce[i] = static_cast<std::uint8_t>(counter_ * 13 + i);
  const std::string aad = "v1\n" + r.method + "\n" + r.path + "\n" + session_id + "\n" + std::to_string(seq) + "\n" +
                          std::to_string(reply.status);
  auto data = hpke::aead_seal(s.s2c_key, nonce, aad, reply.envelope);
  REQUIRE(data.ok());
  Wire w;
  w.status = reply.status;
  w.headers_json = reply.headers.dump();
  w.body = Json{{"seq", seq}, {"nonce", base64url_encode(nonce)}, {"data", base64url_encode(data.value())}}.dump();
  return w;
}

// The three channel endpoints.
Wire FakeServer::channel_request(Received& r, const HttpRequest& request, std::int64_t now) {
  if (r.route == "GET secure-channel/public-key") {
    return plain(ok(Json{{"keyId", key_id_},
                         {"kemId", 32},
                         {"kdfId", 1},
                         {"aeadId", 3},
                         {"publicKey", base64url_encode(key_.pk)},
                         {"expiresAt", format_rfc3339(now + 30LL * 86400 * 1000)}}));
  }
  // POST secure-channel/session
  const Json body = parse_json(request.body);
  r.body = body;
  REQUIRE(body.is_object());
  const std::string key_id = body["keyId"].get<std::string>();
  if (key_id != key_id_) return plain(fail(400, "SECURE_CHANNEL.KEY_UNKNOWN", "key retired"));
  if (refuse_session_opens > 0) {
    --refuse_session_opens;
    return plain(fail(400, "SECURE_CHANNEL.DECRYPT_FAILED", "refused"));
  }
  hpke::PublicKey enc{};
  REQUIRE(base64url_decode_exact(body["enc"].get<std::string>(), enc.data(), 32));
  const std::string info = std::string("portal-secure-channel/v1") + '\0' + portal_ + '\0' + key_id;
  auto ctx = hpke::setup_base_r(enc, key_, info);
  REQUIRE(ctx.ok());
  auto payload = base64url_decode(body["payload"].get<std::string>());
  REQUIRE(payload);
  auto opened = ctx.value().open(std::string_view("session-open"), *payload);
  if (!opened.ok()) return plain(fail(400, "SECURE_CHANNEL.DECRYPT_FAILED", "payload does not open"));
  const Json inner = Json::parse(to_string(opened.value()));
  if (inner["clientHash"].get<std::string>() != r.headers["X-Client-Hash"])
    return plain(fail(401, "SECURE_CHANNEL.SESSION_INVALID", "client hash"));
  hpke::PublicKey cfs{};
  REQUIRE(base64url_decode_exact(inner["fsPublicKey"].get<std::string>(), cfs.data(), 32));

  ++counter_;
  hpke::Key sfs_sk;
  for (std::size_t i = 0; i < 32; ++i) sfs_sk.data()[i] = static_cast<std::uint8_t>(counter_ * 3 + i * 5 + 9);
  const auto sfs = hpke::key_pair_from_secret(sfs_sk);
  hpke::Key ee;
  REQUIRE(hpke::x25519(ee, sfs.sk, cfs).ok());
  std::uint8_t salt[32];
  REQUIRE(ctx.value().export_secret(salt, 32, std::string_view("session salt")).ok());
  Secret<kHashLen> prk;
  hkdf_extract(prk, ByteView(salt, 32), {ByteView(ee)});
  ChannelSession s;
  s.c2s_key = expand(prk, "c2s key", 32);
  s.c2s_nonce = expand(prk, "c2s nonce", 12);
  s.s2c_key = expand(prk, "s2c key", 32);
  const Bytes confirm_key = expand(prk, "confirm", 32);
  Bytes id_bytes(16, 0);
  for (std::size_t i = 0; i < 16; ++i) id_bytes[i] = static_cast<std::uint8_t>(counter_ + i);
  const std::string session_id = base64url_encode(id_bytes);
  std::uint8_t confirm[32];
  const std::uint8_t zero = 0;
  hmac_sha256(confirm, confirm_key, {std::string_view(session_id), ByteView(&zero, 1), ByteView(sfs.pk)});
  s.expires_at_ms = now + channel_ttl_ms;
  s.client_hash = r.headers["X-Client-Hash"];
  channel_sessions_[session_id] = s;
  return plain(ok(Json{{"sessionId", session_id},
                       {"expiresAt", format_rfc3339(s.expires_at_ms)},
                       {"fsPublicKey", base64url_encode(sfs.pk)},
                       {"confirm", base64url_encode(ByteView(confirm, 32))}}));
}

Wire FakeServer::handle(const HttpRequest& request, std::int64_t now) {
  Received r;
  r.method = request.method;
  r.path = request.path;
  r.exclusive = request.exclusive;
  for (const auto& [name, value] : request.headers) r.headers[name] = value;
  const std::string channel_prefix = "/web/v1/secure-channel/";
  const std::string portal_prefix = "/web/v1/" + portal_ + "/";
  std::string suffix;
  if (r.path.rfind(channel_prefix, 0) == 0) suffix = "secure-channel/" + r.path.substr(channel_prefix.size());
  else if (r.path.rfind(portal_prefix, 0) == 0) suffix = r.path.substr(portal_prefix.size());
  else FAIL("request outside the portal: " << r.path);
  // Invitation ids are a path parameter: route them by shape.
  if (suffix.rfind("profile/invitations/", 0) == 0 && suffix != "profile/invitations")
    suffix = "profile/invitations/{id}/" + suffix.substr(suffix.rfind('/') + 1);
  r.route = r.method + " " + suffix;

  if (r.route == "GET secure-channel/public-key" || r.route == "POST secure-channel/session") {
    log.push_back(r);
    Wire w = channel_request(r, request, now);
    log.back().body = r.body;
    return w;
  }

  // Open the body when it came over the channel.
  std::string session_id;
  std::uint64_t seq = 0;
  const auto sid = r.headers.find("X-Secure-Channel-Session-Id");
  if (sid != r.headers.end()) {
    session_id = sid->second;
    r.sealed = true;
    const auto s = channel_sessions_.find(session_id);
    if (s == channel_sessions_.end() || now >= s->second.expires_at_ms ||
        s->second.client_hash != r.headers["X-Client-Hash"]) {
      log.push_back(r);
      return plain(fail(401, "SECURE_CHANNEL.SESSION_INVALID", "session invalid"));
    }
    const Json wrapper = parse_json(request.body);
    REQUIRE(wrapper.is_object());
    seq = wrapper["seq"].get<std::uint64_t>();
    const std::string aad = "v1\n" + r.method + "\n" + r.path + "\n" + session_id + "\n" + std::to_string(seq);
    hpke::Nonce base;
    std::copy(s->second.c2s_nonce.begin(), s->second.c2s_nonce.end(), base.data());
    const hpke::Nonce nonce = hpke::compute_nonce(base, seq);
    auto ct = base64url_decode(wrapper["data"].get<std::string>());
    REQUIRE(ct);
    auto pt = hpke::aead_open(s->second.c2s_key, nonce, aad, *ct);
    if (!pt.ok()) {
      log.push_back(r);
      return plain(fail(400, "SECURE_CHANNEL.DECRYPT_FAILED", "decrypt"));
    }
    if (!s->second.seen.insert(seq).second) {
      log.push_back(r);
      return plain(fail(400, "SECURE_CHANNEL.REPLAY", "replay"));
    }
    r.body = parse_json(to_string(pt.value()));
  } else if (!request.body.empty()) {
    r.body = parse_json(request.body);
  }
  log.push_back(r);

  auto reply_to = [&](const Reply& reply) { return r.sealed ? seal_reply(reply, r, session_id, seq) : plain(reply); };

  if (r.route == "POST secure-channel/session/close") {
    if (!r.sealed) return plain(fail(400, "SECURE_CHANNEL.REQUIRED", "required"));
    Wire w = seal_reply(Reply{200, envelope(nullptr)}, r, session_id, seq);
    channel_sessions_.erase(session_id);
    return w;
  }
  if (r.method == "POST" && !r.sealed && require_channel) return plain(fail(400, "SECURE_CHANNEL.REQUIRED", "required"));
  const auto h = handlers_.find(r.route);
  if (h == handlers_.end()) return plain(fail(404, "NOT_FOUND", "no route " + r.route));
  if (h->second.jwt) {
    const auto auth = r.headers.find("Authorization");
    if (auth == r.headers.end() || auth->second.rfind("Bearer ", 0) != 0 || access_.count(auth->second.substr(7)) == 0)
      return reply_to(fail(401, "4010", "Invalid or expired token"));
  }
  return reply_to(h->second.handler(r, now));
}

void FakeServer::install_defaults() {
  on("POST auth/login/initiate", [this](const Received& r, std::int64_t now) {
    if (r.body["password"] != kPassword) return fail(401, "AUTH.INVALID_CREDENTIALS", "wrong email or password");
    if (mfa_methods.empty()) {
      Json t = issue_tokens(now, true);
      t["mfaRequired"] = false;
      return ok(t);
    }
    const std::string id = "LS_" + std::to_string(++counter_);
    logins_[id] = LoginSession{now + login_ttl_ms};
    Json methods = Json::array();
    for (const auto& m : mfa_methods) methods.push_back(mfa_enum(m));
    return ok(Json{{"mfaRequired", true}, {"loginSessionId", id}, {"expiresAt", format_rfc3339(now + login_ttl_ms)},
                   {"mfaMethods", methods}});
  }, false);
  on("POST auth/login/mfa/send", [this](const Received& r, std::int64_t now) {
    const auto s = logins_.find(r.body["loginSessionId"].get<std::string>());
    if (s == logins_.end() || now >= s->second.expires_at_ms) return fail(400, "AUTH.LOGIN_SESSION_INVALID", "login session");
    return ok(Json{{"sentTo", "a***@example.com"}, {"resendAfter", 30}});
  }, false);
  on("POST auth/login/complete", [this](const Received& r, std::int64_t now) {
    const auto s = logins_.find(r.body["loginSessionId"].get<std::string>());
    if (s == logins_.end() || now >= s->second.expires_at_ms) return fail(400, "AUTH.LOGIN_SESSION_INVALID", "login session");
    if (r.body["code"] != kMfaCode) return fail(400, "AUTH.MFA_CODE_INVALID", "wrong code");
    logins_.erase(s);
    return ok(issue_tokens(now));
  }, false);
  on("POST auth/token/refresh", [this](const Received& r, std::int64_t now) {
    const std::string token = r.body["refreshToken"].get<std::string>();
    if (refresh_.erase(token) == 0) return fail(401, "AUTH.REFRESH_TOKEN_INVALID", "refresh token");
    return ok(issue_tokens(now));
  }, false);
  on("POST auth/logout", [this](const Received& r, std::int64_t) {
    access_.erase(r.headers.at("Authorization").substr(7));
    return no_content();
  });
  on("GET profile", [this](const Received&, std::int64_t) {
    return ok(Json{{"bizId", "ACC_SYS_001"},
                   {"accountEmail", kEmail},
                   {"accountName", "System Admin"},
                   {"accountRemark", nullptr},
                   {"accountPortal", {{"code", "SYSTEM"}, {"value", 10010101}, {"label", "System"}}},
                   {"accountStatus", {{"code", account_status}, {"value", 10010202}, {"label", account_status}}}});
  });
  on("GET workspaces/mine", [this](const Received&, std::int64_t) { return ok(workspaces); });
  on("GET profile/invitations", [this](const Received&, std::int64_t) { return ok(invitations); });
}

// ---- Harness ---------------------------------------------------------------------------------------

ClientConfig Harness::default_config() {
  ClientConfig c;
  c.portal = "system";
  c.access_code = "dev-system-code";
  c.client_hash = std::string(60, 'a') + "c0de";
  c.locale = "en";
  return c;
}

Harness::Harness(ClientConfig cfg) : config(std::move(cfg)), server(config.portal) {
  auto created = PortalClient::create(config, random);
  REQUIRE(created.ok());
  client = std::move(created).value();
}

std::uint64_t Harness::start(const std::string& op, const Json& args) {
  auto id = client->start(op, args.dump(), now);
  REQUIRE_MESSAGE(id.ok(), op << ": " << (id.ok() ? "" : id.error().code + " " + id.error().message));
  return id.value();
}

Error Harness::start_error(const std::string& op, const Json& args) {
  auto id = client->start(op, args.dump(), now);
  REQUIRE_MESSAGE(!id.ok(), op << " unexpectedly started");
  return id.error();
}

void Harness::answer(const HttpRequest& request) {
  if (!request.exclusive.empty() && !client->confirm_send(request.id, now)) {
    ++refused_exclusive;
    return;
  }
  sent.push_back(request);
  const std::int64_t server_now = now + server_offset_ms;
  Wire w = server.handle(request, server_now);
  if (send_date) {
    Json headers = parse_json(w.headers_json);
    if (!headers.is_object()) headers = Json::object();
    headers["date"] = format_imf_fixdate(server_now);
    w.headers_json = headers.dump();
  }
  if (w.drop) client->handle_transport_error(request.id, "connection reset", now);
  else client->handle_response(request.id, w.status, w.headers_json, w.body, now);
}

std::vector<HttpRequest> Harness::take() {
  std::vector<HttpRequest> out;
  while (auto r = client->poll_request()) out.push_back(std::move(*r));
  return out;
}

void Harness::drain_events() {
  while (auto e = client->poll_event()) events.push_back(std::move(*e));
}

void Harness::drive(int max_steps) {
  int steps = 0;
  while (auto r = client->poll_request()) {
    REQUIRE_MESSAGE(++steps <= max_steps, "drive: the client did not settle");
    answer(*r);
  }
  drain_events();
}

bool Harness::ended(std::uint64_t op) const {
  return std::any_of(events.begin(), events.end(), [&](const Event& e) {
    return e.op == op && (e.kind == EventKind::Resolved || e.kind == EventKind::Rejected);
  });
}

Outcome Harness::outcome(std::uint64_t op) const {
  int found = 0;
  Outcome out;
  for (const Event& e : events)
    if (e.op == op && (e.kind == EventKind::Resolved || e.kind == EventKind::Rejected)) {
      ++found;
      out.resolved = e.kind == EventKind::Resolved;
      out.payload = Json::parse(e.payload);
    }
  REQUIRE_MESSAGE(found == 1, "op " << op << " ended " << found << " times");
  return out;
}

Json Harness::result(std::uint64_t op) const {
  const Outcome o = outcome(op);
  REQUIRE_MESSAGE(o.resolved, "op " << op << " was rejected: " << o.payload.dump());
  return o.payload;
}

Json Harness::error(std::uint64_t op) const {
  const Outcome o = outcome(op);
  REQUIRE_MESSAGE(!o.resolved, "op " << op << " resolved: " << o.payload.dump());
  return o.payload;
}

std::vector<std::string> Harness::kinds() const {
  std::vector<std::string> out;
  for (const Event& e : events)
    if (e.op == 0) out.push_back(to_string(e.kind));
  return out;
}

std::vector<Event> Harness::of_kind(const std::string& kind) const {
  std::vector<Event> out;
  for (const Event& e : events)
    if (to_string(e.kind) == kind) out.push_back(e);
  return out;
}

void Harness::sign_in() {
  const auto a = start("signIn", Json{{"email", kEmail}, {"password", kPassword}});
  drive();
  REQUIRE(result(a)["step"] == "MFA_REQUIRED");
  const auto b = start("confirmSignIn", Json{{"method", "EMAIL"}, {"code", kMfaCode}});
  drive();
  REQUIRE(result(b)["step"] == "DONE");
}

}  // namespace portal::test
