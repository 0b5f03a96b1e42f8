// Secure channel v1, client side (docs/secure-channel.md), sans-IO.
//
// Theory of operation. The core never sends anything: each call consumes the bytes the caller
// received and produces the bytes the caller must send next. The request layer drives it:
//
//   1. GET /web/v1/secure-channel/public-key  -> envelope `data` ->
//        parse_public_key(data_json, pins)           -> ServerKey
//   2. begin_session(server_key, portal, client_hash, random)
//                                                    -> PendingSession; POST its request_body()
//        to /web/v1/secure-channel/session (with the same X-Client-Hash header)
//   3. finish_session(std::move(pending), response envelope `data`)
//                                                    -> Session (confirm verified, secrets wiped)
//   4. per encrypted call:   session.seal(method, path, plaintext)  -> {seq, body}; send body with
//        X-Secure-Channel-Session-Id: session.session_id();  then
//        session.open(method, path, seq, http_status, response_body) -> the plaintext envelope
//   5. session.close() after POST /web/v1/secure-channel/session/close answered (or to abandon it).
//
// Randomness: begin_session makes exactly two RandomSource::fill() calls of 32 bytes each, in
// this order: (1) the HPKE ephemeral secret key, (2) the client forward-secrecy secret key. Both
// are used directly as X25519 secret keys. Nothing else in this file draws randomness.
//
// Secrets: the HPKE context, both secret keys, ee, prk and confirmKey exist only between
// begin_session and the end of finish_session (success or failure); a Session holds only c2sKey,
// c2sNonce and s2cKey, wiped by close(), on destruction and when a response fails to open.
// All objects holding secrets are move-only; a moved-from object holds none.
//
// Engine-fault guard: every AEAD computation of a Session (seal and open) runs twice and its
// answer is used only when both runs agree byte for byte; otherwise a third run decides (the
// answer two of three gave), and with no two agreeing the call fails with CLIENT.SELF_TEST_FAILED
// (Protocol), sending or returning nothing. WebKitGTK 2.50 now and then computes a wrong answer in
// a freshly compiled wasm module (README, "Where the engines differ"), among them a keystream off
// under a tag valid for the wrong ciphertext, which no tag check catches.
//
// Errors: see channel/errors.hpp for codes and kinds. Caller errors never change state. Any other
// failure of finish_session or Session::open leaves no usable state: the pending open is consumed,
// and the session is closed (a response that does not authenticate means the channel is broken or
// attacked; the caller opens a new session).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "channel/hpke.hpp"
#include "channel/rfc3339.hpp"  // parse_rfc3339_ms, for comparing expiry times
#include "common/error.hpp"
#include "common/json.hpp"
#include "common/random.hpp"

namespace portal {

// Protocol constants (docs/secure-channel.md).
inline constexpr std::string_view kChannelInfoLabel = "portal-secure-channel/v1";
inline constexpr std::string_view kSessionOpenAad = "session-open";
inline constexpr std::uint64_t kMaxRequestSeq = (std::uint64_t{1} << 53) - 1;

// A server's static key as announced by GET /web/v1/secure-channel/public-key.
struct ServerKey {
  std::string key_id;             // 1-256 printable ASCII characters (0x20-0x7E)
  hpke::PublicKey public_key{};   // X25519
  std::string expires_at;         // RFC 3339, as the server sent it
  std::int64_t expires_at_ms = 0; // the same instant in Unix milliseconds
};

// Consumes the `data` member of the public-key response envelope (JSON object text) and the
// configured pin set (base64url public keys; empty = no pinning). Checks, in this order:
//   keyId/kemId/kdfId/aeadId/expiresAt present and well-typed  else SECURE_CHANNEL.MALFORMED (Protocol)
//   (kemId, kdfId, aeadId) == (32, 1, 3)                        else SECURE_CHANNEL.UNSUPPORTED_SUITE (Protocol)
//   publicKey is strict base64url of 32 bytes                   else SECURE_CHANNEL.MALFORMED
//   pins empty, or publicKey equals one of them                 else SECURE_CHANNEL.KEY_NOT_PINNED (Auth)
// A pin that is not base64url of 32 bytes is a Caller error. Next: begin_session. The caller may
// cache the key until expires_at_ms (it compares against its own clock).
Result<ServerKey> parse_public_key(std::string_view data_json, const std::vector<std::string>& pinned_keys_b64);

class Session;

// The client's half-open session: owns the HPKE context and the forward-secrecy key pair until
// finish_session consumes it. Move-only; destroying it wipes everything.
class PendingSession {
 public:
  PendingSession(PendingSession&&) noexcept;
  PendingSession& operator=(PendingSession&&) noexcept;
  ~PendingSession();

  // The exact body to POST to /web/v1/secure-channel/session:
  // {"keyId":"…","enc":"<base64url 32 bytes>","payload":"<base64url>"} (no white space).
  const std::string& request_body() const noexcept { return request_body_; }

 private:
  struct State;
  PendingSession();
  friend Result<PendingSession> begin_session(const ServerKey&, std::string_view, std::string_view, RandomSource&);
  friend Result<Session> finish_session(PendingSession&&, std::string_view);

  std::unique_ptr<State> state_;
  std::string request_body_;
};

// Starts a session with `server_key`.
//   portal      one of kPortals (common/names.hpp)               else Caller error
//   client_hash the X-Client-Hash value: 64 lower-case hex chars  else Caller error
//   random      two fill() calls of 32 bytes (see the file comment for the order)
// info = "portal-secure-channel/v1" || 0x00 || portal || 0x00 || keyId; the sealed plaintext is
// {"clientHash":"…","fsPublicKey":"…"} with aad "session-open". Fails with INVALID_KEY if the
// server key is a low-order point. Next: POST request_body(), then finish_session with the answer.
Result<PendingSession> begin_session(const ServerKey& server_key, std::string_view portal,
                                     std::string_view client_hash, RandomSource& random);

// Consumes `pending` (whatever the outcome: afterwards it is empty and a second call fails with
// SECURE_CHANNEL.CLOSED, Order) and the `data` member of the session response envelope:
// {"sessionId","expiresAt","fsPublicKey","confirm"}. Errors:
//   MALFORMED (Protocol)       bad JSON, missing member, sessionId not base64url of >= 16 bytes,
//                              expiresAt not RFC 3339, fsPublicKey/confirm not base64url of 32 bytes
//   INVALID_KEY (Protocol)     ee = X25519(cfsSk, sfsPk) is all zeros
//   CONFIRM_FAILED (Auth)      confirm != HMAC(confirmKey, sessionId || 0x00 || sfsPk) (constant time)
// On success the session is ready for seal(). Note: `expiresAt` is not covered by `confirm` (the
// spec binds only sessionId and sfsPk), so it is advisory: the server stays authoritative.
Result<Session> finish_session(PendingSession&& pending, std::string_view response_data_json);

// What seal() produced: send `body` as the request body; keep `seq` to open the response.
struct SealedRequest {
  std::uint64_t seq = 0;
  std::string body;  // {"seq":N,"data":"<base64url ciphertext||tag>"}
};

// An established session. Move-only; a moved-from, closed or failed session refuses seal/open
// with SECURE_CHANNEL.CLOSED (Order).
class Session {
 public:
  Session(Session&&) noexcept;
  Session& operator=(Session&&) noexcept;
  ~Session();

  const std::string& session_id() const noexcept { return session_id_; }  // X-Secure-Channel-Session-Id
  const std::string& expires_at() const noexcept { return expires_at_; }  // RFC 3339 as given
  std::int64_t expires_at_ms() const noexcept { return expires_at_ms_; }  // same, Unix ms: renew before it
  const std::string& key_id() const noexcept { return key_id_; }
  const std::string& portal() const noexcept { return portal_; }
  // The session is bound to this X-Client-Hash: every request on it must carry exactly this value.
  const std::string& client_hash() const noexcept { return client_hash_; }
  bool is_open() const noexcept { return keys_ != nullptr; }

  // Encrypts one request. `method` is the upper-case HTTP method ([A-Z]{1,16}); `path` the URL path
  // without query or fragment (starts with '/', printable ASCII, no '?' or '#'); both else Caller
  // error. `plaintext_json` is the endpoint's JSON body ("{}" when it takes none). Uses the next
  // sequence number (1, 2, 3, …; a number is consumed even if the request is never sent);
  // SECURE_CHANNEL.SEQ_EXHAUSTED (Order) after 2^53 - 1. Next: send body, then call open().
  Result<SealedRequest> seal(std::string_view method, std::string_view path, std::string_view plaintext_json);

  // Opens the response to the request sealed as `sent_seq` with the same method and path.
  // `http_status` is the HTTP status line's code (100-599), `response_body` the raw body text.
  //   {"seq","nonce","data"} (encrypted):  seq must equal sent_seq (else RESPONSE_MISMATCH, Protocol);
  //       the tag is checked with AAD "v1\nMETHOD\nPATH\nsessionId\nseq\nstatus" (else DECRYPT_FAILED,
  //       Auth); returns the decrypted envelope JSON text.
  //   a plaintext envelope with success false and a code starting with "SECURE_CHANNEL.": returned
  //       as JSON text; it is NOT authenticated, the caller turns it into that channel error (and,
  //       for SESSION_INVALID / KEY_UNKNOWN, opens a new session and resends once). The session
  //       stays open; the caller decides whether to close it.
  //   any other plaintext JSON (success or business error): DOWNGRADE (Protocol).
  //   not a JSON object, or an encrypted body with extra/missing/ill-typed members: MALFORMED.
  // Caller errors (bad method/path/status, a sent_seq never issued) change nothing; every other
  // error closes the session.
  Result<std::string> open(std::string_view method, std::string_view path, std::uint64_t sent_seq, int http_status,
                           std::string_view response_body);
  // The same for a body its caller has already parsed with parse_json() (the request layer parses
  // an answer once, to tell a sealed one from a plaintext one).
  Result<std::string> open_parsed(std::string_view method, std::string_view path, std::uint64_t sent_seq,
                                  int http_status, const Json& response);

  // Wipes the keys; idempotent. Afterwards seal/open fail with SECURE_CHANNEL.CLOSED.
  void close() noexcept;

  // hpke::aead_seal_to or hpke::aead_open_to (tests put a faulty one in their place).
  using Aead = Status (*)(ByteView key, ByteView nonce, ByteView aad, ByteView in, std::uint8_t* out);

 private:
  struct Keys;
  Session();
  friend Result<Session> finish_session(PendingSession&&, std::string_view);
  friend struct SessionTestAccess;  // tests only: the sequence counter, the AEAD functions

  std::string request_aad(std::string_view method, std::string_view path, std::uint64_t seq) const;
  // `aead` into `out` (`size` bytes) as the guard in the file comment runs it.
  static Status agreed(Aead aead, ByteView key, ByteView nonce, ByteView aad, ByteView in, std::uint8_t* out,
                       std::size_t size);

  std::unique_ptr<Keys> keys_;
  std::string session_id_;
  std::string expires_at_;
  std::int64_t expires_at_ms_ = 0;
  std::string key_id_;
  std::string portal_;
  std::string client_hash_;
  std::uint64_t next_seq_ = 1;
  Aead seal_ = hpke::aead_seal_to;
  Aead open_ = hpke::aead_open_to;
};

}  // namespace portal
