// HPKE (RFC 9180), base mode only, for the one suite the secure channel uses:
//   KEM  DHKEM(X25519, HKDF-SHA256) 0x0020   KDF HKDF-SHA256 0x0001   AEAD ChaCha20Poly1305 0x0003
//
// Every RFC step is its own function (LabeledExtract/Expand, DeriveKeyPair, Encap/Decap,
// KeySchedule), so tests check each intermediate value of the RFC 9180 vector. X25519 and the AEAD
// come from libsodium; an all-zero X25519 output is refused (RFC 9180 §7.1.4).
//
// Use by the secure channel (sender side):
//   auto setup = hpke::setup_base_s(server_pk, info, random);   // draws 32 bytes: the ephemeral sk
//   setup.value().enc                   -> goes on the wire
//   setup.value().context.seal(aad, pt) -> the payload (sequence 0)
//   setup.value().context.export_secret(...) -> secrets derived from the HPKE context
// then the caller wipes the context (Context::wipe, or by destroying it).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "channel/byte_view.hpp"
#include "common/bytes.hpp"
#include "common/error.hpp"
#include "common/random.hpp"

namespace portal::hpke {

inline constexpr std::uint16_t kKemId = 0x0020;
inline constexpr std::uint16_t kKdfId = 0x0001;
inline constexpr std::uint16_t kAeadId = 0x0003;
inline constexpr std::size_t kKeySize = 32;    // Npk = Nsk = Nenc = Nsecret = Nh = Nk
inline constexpr std::size_t kNonceSize = 12;  // Nn
inline constexpr std::size_t kTagSize = 16;    // Nt

using PublicKey = std::array<std::uint8_t, kKeySize>;
using Key = Secret<kKeySize>;
using Nonce = Secret<kNonceSize>;

struct KeyPair {
  Key sk;
  PublicKey pk{};
};

// ---- X25519 (libsodium) -------------------------------------------------------------------------

// pk = X25519(sk, 9). The secret key is used as given (X25519 clamps it).
PublicKey x25519_public(const Key& sk) noexcept;
// out = X25519(sk, pk). Fails with SECURE_CHANNEL.INVALID_KEY (Protocol) when the result is all
// zeros (pk of small order), leaving `out` zeroed. The only X25519 the channel uses.
Status x25519(Key& out, const Key& sk, const PublicKey& pk);

// A key pair whose secret is the given 32 bytes (how the transcript's fixed secrets are used).
KeyPair key_pair_from_secret(const Key& sk) noexcept;
// A key pair whose secret is 32 bytes drawn from `random` (one fill() call of 32 bytes).
Result<KeyPair> generate_key_pair(RandomSource& random);  // CLIENT.NO_CRYPTO when fill() fails
// RFC 9180 §7.1.3 DeriveKeyPair(ikm) for X25519 (used by the RFC test vector).
KeyPair derive_key_pair(ByteView ikm);

// ---- Labeled KDF (RFC 9180 §4) -----------------------------------------------------------------

// suite_id: "KEM" || I2OSP(kem_id, 2) inside the KEM, "HPKE" || kem || kdf || aead elsewhere.
enum class Scope { Kem, Hpke };

// out = Extract(salt, "HPKE-v1" || suite_id || label || ikm)
void labeled_extract(Key& out, Scope scope, ByteView salt, std::string_view label, ByteView ikm) noexcept;
// out[0..size) = Expand(prk, I2OSP(size, 2) || "HPKE-v1" || suite_id || label || info, size).
// Fails (Caller) if size > 255 * 32.
Status labeled_expand(std::uint8_t* out, std::size_t size, Scope scope, ByteView prk, std::string_view label,
                      ByteView info);

// ---- DHKEM (RFC 9180 §4.1) ---------------------------------------------------------------------

struct Encapsulation {
  PublicKey enc{};
  Key shared_secret;
};
// Encap(pkR) with the given ephemeral key pair. Fails with INVALID_KEY on an all-zero DH.
Result<Encapsulation> encap(const PublicKey& pk_r, const KeyPair& ephemeral);
// Decap(enc, skR): the shared secret, or INVALID_KEY on an all-zero DH.
Result<Key> decap(const PublicKey& enc, const KeyPair& recipient);

// ---- AEAD: ChaCha20-Poly1305 IETF (libsodium) ---------------------------------------------------

// ciphertext || tag. Caller error unless key is 32 and nonce 12 bytes.
Result<Bytes> aead_seal(ByteView key, ByteView nonce, ByteView aad, ByteView plaintext);
// The plaintext, or SECURE_CHANNEL.DECRYPT_FAILED (Auth) when the tag does not verify (also for
// input shorter than the tag). Caller error unless key is 32 and nonce 12 bytes. No plaintext
// byte is released before the tag has verified.
Result<Bytes> aead_open(ByteView key, ByteView nonce, ByteView aad, ByteView ciphertext);
// The same two into a caller's buffer, for the secure channel's per-request path (no zero-filled
// intermediate): `out` has room for plaintext.size + kTagSize bytes (seal) or ciphertext.size -
// kTagSize bytes (open; a shorter ciphertext fails as above, writing nothing).
Status aead_seal_to(ByteView key, ByteView nonce, ByteView aad, ByteView plaintext, std::uint8_t* out);
Status aead_open_to(ByteView key, ByteView nonce, ByteView aad, ByteView ciphertext, std::uint8_t* out);
// ComputeNonce: base_nonce XOR I2OSP(seq, 12). Also the secure channel's c2s request nonce.
Nonce compute_nonce(const Nonce& base_nonce, std::uint64_t seq) noexcept;

// ---- Key schedule and context (RFC 9180 §5.1, mode_base) ---------------------------------------

// An HPKE encryption context. Move-only (a copy would reuse sequence numbers); a moved-from or
// wiped context holds zeros and refuses seal/open (SECURE_CHANNEL.CLOSED, Order).
class Context {
 public:
  Context() = default;
  Context(const Key& key, const Nonce& base_nonce, const Key& exporter_secret) noexcept;
  Context(Context&& other) noexcept;
  Context& operator=(Context&& other) noexcept;
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;
  ~Context() = default;  // the Secret members wipe themselves

  // Seal/Open with nonce = ComputeNonce(seq), then seq += 1. Open advances seq only on success.
  Result<Bytes> seal(ByteView aad, ByteView plaintext);
  Result<Bytes> open(ByteView aad, ByteView ciphertext);
  // Export(exporter_context, size) = LabeledExpand(exporter_secret, "sec", exporter_context, size).
  Status export_secret(std::uint8_t* out, std::size_t size, ByteView exporter_context) const;
  // Zeroes every secret; the context is unusable afterwards.
  void wipe() noexcept;

  std::uint64_t seq() const noexcept { return seq_; }
  // Read-only views of the schedule's outputs, for the RFC 9180 vector test.
  const Key& key() const noexcept { return key_; }
  const Nonce& base_nonce() const noexcept { return base_nonce_; }
  const Key& exporter_secret() const noexcept { return exporter_secret_; }

 private:
  Status check_usable() const;

  Key key_;
  Nonce base_nonce_;
  Key exporter_secret_;
  std::uint64_t seq_ = 0;
  bool usable_ = false;
};

// key_schedule_context = mode(0) || LabeledExtract("", "psk_id_hash", "") || LabeledExtract("", "info_hash", info)
Bytes key_schedule_context(ByteView info);
// secret = LabeledExtract(shared_secret, "secret", psk = "")
Key key_schedule_secret(const Key& shared_secret) noexcept;
// KeySchedule(mode_base, shared_secret, info): key, base_nonce, exporter_secret; seq = 0.
Context key_schedule(const Key& shared_secret, ByteView info);

// ---- Setup (RFC 9180 §5.1.1) -------------------------------------------------------------------

struct SenderSetup {
  PublicKey enc{};
  Context context;
};
// SetupBaseS(pkR, info) with the given ephemeral key pair (tests: derive_key_pair(ikmE)).
Result<SenderSetup> setup_base_s(const PublicKey& pk_r, ByteView info, const KeyPair& ephemeral);
// SetupBaseS(pkR, info) drawing the ephemeral secret key: exactly one random.fill() of 32 bytes,
// used directly as the X25519 secret key. The drawn secret is wiped before returning.
Result<SenderSetup> setup_base_s(const PublicKey& pk_r, ByteView info, RandomSource& random);
// SetupBaseR(enc, skR, info): the receiver side, used by tests and fake servers.
Result<Context> setup_base_r(const PublicKey& enc, const KeyPair& recipient, ByteView info);

}  // namespace portal::hpke
