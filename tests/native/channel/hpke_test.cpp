// RFC 9180 Appendix A.2.1: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, ChaCha20Poly1305, base mode.
// Every field of the vector is checked, each against the function that computes it.
#include <doctest/doctest.h>

#include <map>

#include "channel/hpke.hpp"
#include "support/vectors.hpp"

using namespace portal;
using portal::test::hex;

namespace {

std::string hex_of(ByteView view) { return to_hex(view.data, view.size); }

hpke::PublicKey public_key(const std::string& text) {
  const Bytes bytes = hex(text);
  REQUIRE(bytes.size() == 32);
  hpke::PublicKey pk{};
  std::copy(bytes.begin(), bytes.end(), pk.begin());
  return pk;
}

}  // namespace

TEST_CASE("RFC 9180 A.2.1 base mode vector, every field") {
  const auto v = test::load_vector("hpke_x25519_sha256_chacha.json")["vectors"][0];
  const auto field = [&](const char* name) { return v[name].get<std::string>(); };
  REQUIRE(v["mode"] == 0);
  REQUIRE(v["kem_id"] == hpke::kKemId);
  REQUIRE(v["kdf_id"] == hpke::kKdfId);
  REQUIRE(v["aead_id"] == hpke::kAeadId);
  const Bytes info = hex(field("info"));

  const hpke::KeyPair ephemeral = hpke::derive_key_pair(hex(field("ikmE")));
  const hpke::KeyPair recipient = hpke::derive_key_pair(hex(field("ikmR")));
  CHECK(hex_of(ephemeral.sk) == field("skEm"));
  CHECK(hex_of(ephemeral.pk) == field("pkEm"));
  CHECK(hex_of(recipient.sk) == field("skRm"));
  CHECK(hex_of(recipient.pk) == field("pkRm"));

  const auto encapsulated = hpke::encap(recipient.pk, ephemeral);
  REQUIRE(encapsulated.ok());
  CHECK(hex_of(encapsulated.value().enc) == field("enc"));
  CHECK(hex_of(encapsulated.value().shared_secret) == field("shared_secret"));
  const auto decapsulated = hpke::decap(public_key(field("enc")), recipient);
  REQUIRE(decapsulated.ok());
  CHECK(hex_of(decapsulated.value()) == field("shared_secret"));

  CHECK(to_hex(hpke::key_schedule_context(info)) == field("key_schedule_context"));
  CHECK(hex_of(hpke::key_schedule_secret(encapsulated.value().shared_secret)) == field("secret"));

  auto sender_setup = hpke::setup_base_s(public_key(field("pkRm")), info, ephemeral);
  REQUIRE(sender_setup.ok());
  CHECK(hex_of(sender_setup.value().enc) == field("enc"));
  hpke::Context& sender = sender_setup.value().context;
  auto receiver_setup = hpke::setup_base_r(public_key(field("enc")), recipient, info);
  REQUIRE(receiver_setup.ok());
  hpke::Context& receiver = receiver_setup.value();
  for (const hpke::Context* ctx : {&sender, &receiver}) {
    CHECK(hex_of(ctx->key()) == field("key"));
    CHECK(hex_of(ctx->base_nonce()) == field("base_nonce"));
    CHECK(hex_of(ctx->exporter_secret()) == field("exporter_secret"));
  }

  // Seal/Open in lock step through sequence 256; check the listed ones byte for byte.
  std::map<std::uint64_t, nlohmann::json> listed;
  for (const auto& e : v["encryptions"]) listed[e["sequence_number"].get<std::uint64_t>()] = e;
  REQUIRE(listed.size() == 6);
  const Bytes pt0 = hex(listed[0]["pt"].get<std::string>());
  for (std::uint64_t seq = 0; seq <= 256; ++seq) {
    CAPTURE(seq);
    const auto it = listed.find(seq);
    const Bytes aad = it != listed.end() ? hex(it->second["aad"].get<std::string>()) : to_bytes("Count-" + std::to_string(seq));
    const Bytes pt = it != listed.end() ? hex(it->second["pt"].get<std::string>()) : pt0;
    REQUIRE(sender.seq() == seq);
    const auto ct = sender.seal(aad, pt);
    REQUIRE(ct.ok());
    if (it != listed.end()) {
      CHECK(hex_of(hpke::compute_nonce(sender.base_nonce(), seq)) == it->second["nonce"].get<std::string>());
      CHECK(to_hex(ct.value()) == it->second["ct"].get<std::string>());
    }
    const auto opened = receiver.open(aad, ct.value());
    REQUIRE(opened.ok());
    CHECK(opened.value() == pt);
  }

  REQUIRE(v["exports"].size() == 3);
  for (const auto& e : v["exports"]) {
    Bytes out(e["L"].get<std::size_t>()), other(out.size());
    REQUIRE(sender.export_secret(out.data(), out.size(), hex(e["exporter_context"].get<std::string>())).ok());
    REQUIRE(receiver.export_secret(other.data(), other.size(), hex(e["exporter_context"].get<std::string>())).ok());
    CHECK(to_hex(out) == e["exported_value"].get<std::string>());
    CHECK(other == out);
  }
}

TEST_CASE("HPKE context: a failed open keeps seq; a wiped or moved-from context refuses") {
  const hpke::KeyPair recipient = hpke::derive_key_pair(to_bytes("recipient"));
  const hpke::KeyPair ephemeral = hpke::derive_key_pair(to_bytes("ephemeral"));
  auto sender = hpke::setup_base_s(recipient.pk, {}, ephemeral);
  REQUIRE(sender.ok());
  auto receiver = hpke::setup_base_r(sender.value().enc, recipient, {});
  REQUIRE(receiver.ok());
  auto ct = sender.value().context.seal(std::string_view("aad"), std::string_view("hello"));
  REQUIRE(ct.ok());
  Bytes tampered = ct.value();
  tampered[0] ^= 1;
  const auto bad = receiver.value().open(std::string_view("aad"), tampered);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == "SECURE_CHANNEL.DECRYPT_FAILED");
  CHECK(receiver.value().seq() == 0);
  CHECK_FALSE(receiver.value().open(std::string_view("other"), ct.value()).ok());
  CHECK(receiver.value().open(std::string_view("aad"), ct.value()).ok());

  hpke::Context moved = std::move(sender.value().context);
  const auto stale = sender.value().context.seal({}, {});
  REQUIRE_FALSE(stale.ok());
  CHECK(stale.error().kind == ErrorKind::Order);
  CHECK(moved.seal({}, {}).ok());
  moved.wipe();
  CHECK(hex_of(moved.key()) == std::string(64, '0'));
  CHECK_FALSE(moved.seal({}, {}).ok());
  std::uint8_t out[4];
  CHECK_FALSE(moved.export_secret(out, sizeof out, {}).ok());
}

TEST_CASE("Encap refuses a low-order recipient key; random setup draws one 32-byte secret") {
  const hpke::KeyPair ephemeral = hpke::derive_key_pair(to_bytes("ephemeral"));
  const hpke::PublicKey zero{};
  const auto refused = hpke::setup_base_s(zero, {}, ephemeral);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == "SECURE_CHANNEL.INVALID_KEY");

  test::FixedRandom random;
  random.push(Bytes(ephemeral.sk.data(), ephemeral.sk.data() + 32));
  const hpke::KeyPair recipient = hpke::derive_key_pair(to_bytes("recipient"));
  const auto drawn = hpke::setup_base_s(recipient.pk, {}, random);
  REQUIRE(drawn.ok());
  CHECK(random.exhausted());
  CHECK(drawn.value().enc == ephemeral.pk);
}
