#include "channel/hpke.hpp"

#include <limits>

#include <sodium/crypto_aead_chacha20poly1305.h>
#include <sodium/crypto_scalarmult_curve25519.h>
#include <sodium/utils.h>

#include "channel/errors.hpp"
#include "channel/hkdf.hpp"

namespace portal::hpke {

namespace {

constexpr std::string_view kVersionLabel = "HPKE-v1";
constexpr std::uint8_t kKemSuite[] = {'K', 'E', 'M', kKemId >> 8, kKemId & 0xff};
constexpr std::uint8_t kHpkeSuite[] = {'H', 'P', 'K', 'E', kKemId >> 8, kKemId & 0xff,
                                       kKdfId >> 8, kKdfId & 0xff, kAeadId >> 8, kAeadId & 0xff};
constexpr std::uint8_t kModeBase = 0x00;

ByteView suite_id(Scope scope) {
  return scope == Scope::Kem ? ByteView(kKemSuite, sizeof kKemSuite) : ByteView(kHpkeSuite, sizeof kHpkeSuite);
}

// ExtractAndExpand(dh, kem_context) of DHKEM; wipes nothing it does not own.
Status extract_and_expand(Key& shared_secret, const Key& dh, const PublicKey& enc, const PublicKey& pk_r) {
  Key eae_prk;
  labeled_extract(eae_prk, Scope::Kem, {}, "eae_prk", dh);
  std::uint8_t kem_context[2 * kKeySize];
  std::copy(enc.begin(), enc.end(), kem_context);
  std::copy(pk_r.begin(), pk_r.end(), kem_context + kKeySize);
  return labeled_expand(shared_secret.data(), kKeySize, Scope::Kem, eae_prk, "shared_secret",
                        ByteView(kem_context, sizeof kem_context));
}

// libsodium's internals declare buffer pointers nonnull even for zero lengths (UBSan checks it):
// hand them a valid address for empty input or output.
constexpr std::uint8_t kEmpty[1] = {0};
const std::uint8_t* nonnull(ByteView view) { return view.size != 0 ? view.data : kEmpty; }

Status check_aead_sizes(ByteView key, ByteView nonce) {
  if (key.size != crypto_aead_chacha20poly1305_ietf_KEYBYTES) return codes::caller_error("AEAD key must be 32 bytes");
  if (nonce.size != crypto_aead_chacha20poly1305_ietf_NPUBBYTES) return codes::caller_error("AEAD nonce must be 12 bytes");
  return ok_status();
}

}  // namespace

// ---- X25519 -------------------------------------------------------------------------------------

PublicKey x25519_public(const Key& sk) noexcept {
  PublicKey pk{};
  crypto_scalarmult_curve25519_base(pk.data(), sk.data());
  return pk;
}

Status x25519(Key& out, const Key& sk, const PublicKey& pk) {
  // libsodium already returns -1 for an all-zero result; the explicit check keeps the rule visible
  // and independent of the library version.
  const bool failed = crypto_scalarmult_curve25519(out.data(), sk.data(), pk.data()) != 0;
  if (failed || sodium_is_zero(out.data(), out.size())) {
    out.reset();
    return Error::of(codes::kInvalidKey, "X25519 produced an all-zero shared secret");
  }
  return ok_status();
}

KeyPair key_pair_from_secret(const Key& sk) noexcept {
  KeyPair pair;
  pair.sk = sk;
  pair.pk = x25519_public(sk);
  return pair;
}

Result<KeyPair> generate_key_pair(RandomSource& random) {
  Key sk;
  if (!random.fill(sk.data(), sk.size())) return no_random_error();  // sk wipes itself
  return key_pair_from_secret(sk);
}

KeyPair derive_key_pair(ByteView ikm) {
  Key dkp_prk, sk;
  labeled_extract(dkp_prk, Scope::Kem, {}, "dkp_prk", ikm);
  // Nsk = 32 is far below the expand limit: this cannot fail.
  (void)labeled_expand(sk.data(), sk.size(), Scope::Kem, dkp_prk, "sk", {});
  return key_pair_from_secret(sk);
}

// ---- Labeled KDF --------------------------------------------------------------------------------

void labeled_extract(Key& out, Scope scope, ByteView salt, std::string_view label, ByteView ikm) noexcept {
  hkdf_extract(out, salt, {kVersionLabel, suite_id(scope), label, ikm});
}

Status labeled_expand(std::uint8_t* out, std::size_t size, Scope scope, ByteView prk, std::string_view label,
                      ByteView info) {
  if (size > std::numeric_limits<std::uint16_t>::max()) return codes::caller_error("LabeledExpand length too large");
  const std::uint8_t length[2] = {static_cast<std::uint8_t>(size >> 8), static_cast<std::uint8_t>(size & 0xff)};
  return hkdf_expand(out, size, prk, {ByteView(length, 2), kVersionLabel, suite_id(scope), label, info});
}

// ---- DHKEM --------------------------------------------------------------------------------------

Result<Encapsulation> encap(const PublicKey& pk_r, const KeyPair& ephemeral) {
  Key dh;
  if (Status s = x25519(dh, ephemeral.sk, pk_r); !s) return std::move(s).error();
  Encapsulation out;
  out.enc = ephemeral.pk;
  if (Status s = extract_and_expand(out.shared_secret, dh, out.enc, pk_r); !s) return std::move(s).error();
  return out;
}

Result<Key> decap(const PublicKey& enc, const KeyPair& recipient) {
  Key dh;
  if (Status s = x25519(dh, recipient.sk, enc); !s) return std::move(s).error();
  Key shared_secret;
  if (Status s = extract_and_expand(shared_secret, dh, enc, recipient.pk); !s) return std::move(s).error();
  return shared_secret;
}

// ---- AEAD ---------------------------------------------------------------------------------------

Status aead_seal_to(ByteView key, ByteView nonce, ByteView aad, ByteView plaintext, std::uint8_t* out) {
  if (Status s = check_aead_sizes(key, nonce); !s) return s;
  unsigned long long length = 0;
  crypto_aead_chacha20poly1305_ietf_encrypt(out, &length, nonnull(plaintext), plaintext.size, nonnull(aad), aad.size,
                                            nullptr, nonce.data, key.data);
  return ok_status();
}

Status aead_open_to(ByteView key, ByteView nonce, ByteView aad, ByteView ciphertext, std::uint8_t* out) {
  if (Status s = check_aead_sizes(key, nonce); !s) return s;
  const auto fail = [] { return Error::of(codes::kDecryptFailed, "AEAD tag did not verify"); };
  if (ciphertext.size < kTagSize) return fail();
  unsigned long long length = 0;
  // libsodium verifies the tag before decrypting; on failure it releases no plaintext (zeroes `out`).
  if (crypto_aead_chacha20poly1305_ietf_decrypt(out, &length, nullptr, ciphertext.data, ciphertext.size, nonnull(aad),
                                                aad.size, nonce.data, key.data) != 0)
    return fail();
  return ok_status();
}

Result<Bytes> aead_seal(ByteView key, ByteView nonce, ByteView aad, ByteView plaintext) {
  Bytes out(plaintext.size + kTagSize);
  if (Status s = aead_seal_to(key, nonce, aad, plaintext, out.data()); !s) return std::move(s).error();
  return out;
}

Result<Bytes> aead_open(ByteView key, ByteView nonce, ByteView aad, ByteView ciphertext) {
  Bytes out(ciphertext.size < kTagSize ? 1 : ciphertext.size - kTagSize + 1);  // + 1: never a null pointer
  if (Status s = aead_open_to(key, nonce, aad, ciphertext, out.data()); !s) return std::move(s).error();
  out.resize(ciphertext.size - kTagSize);
  return out;
}

Nonce compute_nonce(const Nonce& base_nonce, std::uint64_t seq) noexcept {
  Nonce nonce = base_nonce;
  for (std::size_t i = 0; i < 8; ++i)
    nonce.data()[kNonceSize - 1 - i] ^= static_cast<std::uint8_t>(seq >> (8 * i));
  return nonce;
}

// ---- Key schedule and context -------------------------------------------------------------------

Context::Context(const Key& key, const Nonce& base_nonce, const Key& exporter_secret) noexcept
    : key_(key), base_nonce_(base_nonce), exporter_secret_(exporter_secret), usable_(true) {}

Context::Context(Context&& other) noexcept
    : key_(other.key_), base_nonce_(other.base_nonce_), exporter_secret_(other.exporter_secret_),
      seq_(other.seq_), usable_(other.usable_) {
  other.wipe();
}

Context& Context::operator=(Context&& other) noexcept {
  if (this != &other) {
    key_ = other.key_;
    base_nonce_ = other.base_nonce_;
    exporter_secret_ = other.exporter_secret_;
    seq_ = other.seq_;
    usable_ = other.usable_;
    other.wipe();
  }
  return *this;
}

void Context::wipe() noexcept {
  key_.reset();
  base_nonce_.reset();
  exporter_secret_.reset();
  usable_ = false;
}

Status Context::check_usable() const {
  if (!usable_) return Error::of(codes::kClosed, "HPKE context was wiped");
  // RFC 9180 §5.2: refuse once the sequence number would wrap (2^64 - 1 here, not 2^96 - 1).
  if (seq_ == std::numeric_limits<std::uint64_t>::max())
    return Error::of(codes::kSeqExhausted, "HPKE message limit reached");
  return ok_status();
}

Result<Bytes> Context::seal(ByteView aad, ByteView plaintext) {
  if (Status s = check_usable(); !s) return std::move(s).error();
  Result<Bytes> out = aead_seal(key_, compute_nonce(base_nonce_, seq_), aad, plaintext);
  if (out) ++seq_;
  return out;
}

Result<Bytes> Context::open(ByteView aad, ByteView ciphertext) {
  if (Status s = check_usable(); !s) return std::move(s).error();
  Result<Bytes> out = aead_open(key_, compute_nonce(base_nonce_, seq_), aad, ciphertext);
  if (out) ++seq_;
  return out;
}

Status Context::export_secret(std::uint8_t* out, std::size_t size, ByteView exporter_context) const {
  if (!usable_) return Error::of(codes::kClosed, "HPKE context was wiped");
  return labeled_expand(out, size, Scope::Hpke, exporter_secret_, "sec", exporter_context);
}

Bytes key_schedule_context(ByteView info) {
  Key psk_id_hash, info_hash;
  labeled_extract(psk_id_hash, Scope::Hpke, {}, "psk_id_hash", {});
  labeled_extract(info_hash, Scope::Hpke, {}, "info_hash", info);
  Bytes context{kModeBase};
  context.insert(context.end(), psk_id_hash.data(), psk_id_hash.data() + kKeySize);
  context.insert(context.end(), info_hash.data(), info_hash.data() + kKeySize);
  return context;
}

Key key_schedule_secret(const Key& shared_secret) noexcept {
  Key secret;
  labeled_extract(secret, Scope::Hpke, shared_secret, "secret", {});
  return secret;
}

Context key_schedule(const Key& shared_secret, ByteView info) {
  const Bytes context = key_schedule_context(info);
  const Key secret = key_schedule_secret(shared_secret);
  Key key, exporter_secret;
  Nonce base_nonce;
  // Fixed sizes (32, 12, 32) are far below the expand limit: these cannot fail.
  (void)labeled_expand(key.data(), key.size(), Scope::Hpke, secret, "key", context);
  (void)labeled_expand(base_nonce.data(), base_nonce.size(), Scope::Hpke, secret, "base_nonce", context);
  (void)labeled_expand(exporter_secret.data(), exporter_secret.size(), Scope::Hpke, secret, "exp", context);
  return Context(key, base_nonce, exporter_secret);
}

// ---- Setup --------------------------------------------------------------------------------------

Result<SenderSetup> setup_base_s(const PublicKey& pk_r, ByteView info, const KeyPair& ephemeral) {
  Result<Encapsulation> encapsulated = encap(pk_r, ephemeral);
  if (!encapsulated) return std::move(encapsulated).error();
  SenderSetup setup;
  setup.enc = encapsulated.value().enc;
  setup.context = key_schedule(encapsulated.value().shared_secret, info);
  return Result<SenderSetup>(std::move(setup));
}

Result<SenderSetup> setup_base_s(const PublicKey& pk_r, ByteView info, RandomSource& random) {
  const Result<KeyPair> ephemeral = generate_key_pair(random);
  if (!ephemeral) return ephemeral.error();
  return setup_base_s(pk_r, info, ephemeral.value());
}

Result<Context> setup_base_r(const PublicKey& enc, const KeyPair& recipient, ByteView info) {
  Result<Key> shared_secret = decap(enc, recipient);
  if (!shared_secret) return std::move(shared_secret).error();
  return key_schedule(shared_secret.value(), info);
}

}  // namespace portal::hpke
