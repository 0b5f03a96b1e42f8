// Wycheproof (X25519, ChaCha20-Poly1305, HKDF-SHA256, HMAC-SHA256) and RFC 5869 through the
// wrappers the channel uses. Every verdict is honoured: `valid` must reproduce the expected
// output, `invalid` must be refused, and `acceptable` X25519 cases are accepted unless their
// shared secret is zero, which our checked X25519 refuses (RFC 9180 §7.1.4).
#include <doctest/doctest.h>

#include <algorithm>

#include "channel/hkdf.hpp"
#include "channel/hpke.hpp"
#include "support/vectors.hpp"

using namespace portal;
using portal::test::hex;
using portal::test::load_vector;

namespace {

template <typename F>
int for_each_test(const nlohmann::json& file, F check) {
  int count = 0;
  for (const auto& group : file["testGroups"])
    for (const auto& test : group["tests"]) {
      CAPTURE(test["tcId"].get<int>());
      check(group, test);
      ++count;
    }
  return count;
}

hpke::Key key_from(const Bytes& bytes) {
  REQUIRE(bytes.size() == 32);
  hpke::Key key;
  std::copy(bytes.begin(), bytes.end(), key.data());
  return key;
}

bool has_flag(const nlohmann::json& test, const char* flag) {
  const auto& flags = test["flags"];
  return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

}  // namespace

TEST_CASE("Wycheproof X25519 through the checked wrapper") {
  const auto file = load_vector("wycheproof/x25519_test.json");
  int accepted = 0, refused_zero = 0;
  const int total = for_each_test(file, [&](const nlohmann::json&, const nlohmann::json& test) {
    const hpke::Key sk = key_from(hex(test["private"].get<std::string>()));
    hpke::PublicKey pk{};
    const Bytes pk_bytes = hex(test["public"].get<std::string>());
    REQUIRE(pk_bytes.size() == pk.size());
    std::copy(pk_bytes.begin(), pk_bytes.end(), pk.begin());
    const Bytes shared = hex(test["shared"].get<std::string>());
    const std::string result = test["result"].get<std::string>();
    const bool zero = std::all_of(shared.begin(), shared.end(), [](std::uint8_t b) { return b == 0; });

    hpke::Key out;
    const Status status = hpke::x25519(out, sk, pk);
    if (result == "invalid" || zero) {
      CHECK(zero == has_flag(test, "ZeroSharedSecret"));
      REQUIRE_FALSE(status.ok());
      CHECK(status.error().code == "SECURE_CHANNEL.INVALID_KEY");
      ++refused_zero;
    } else {
      REQUIRE(status.ok());
      CHECK(Bytes(out.data(), out.data() + 32) == shared);
      ++accepted;
    }
  });
  CHECK(total == 518);
  CHECK(refused_zero == 31);
  CHECK(accepted == 487);
}

TEST_CASE("Wycheproof ChaCha20-Poly1305 IETF") {
  const auto file = load_vector("wycheproof/chacha20_poly1305_test.json");
  int valid = 0, invalid = 0;
  const int total = for_each_test(file, [&](const nlohmann::json&, const nlohmann::json& test) {
    const Bytes key = hex(test["key"].get<std::string>()), iv = hex(test["iv"].get<std::string>());
    const Bytes aad = hex(test["aad"].get<std::string>()), msg = hex(test["msg"].get<std::string>());
    Bytes sealed = hex(test["ct"].get<std::string>());
    const Bytes tag = hex(test["tag"].get<std::string>());
    sealed.insert(sealed.end(), tag.begin(), tag.end());

    const auto opened = hpke::aead_open(key, iv, aad, sealed);
    if (test["result"] == "valid") {
      REQUIRE(opened.ok());
      CHECK(opened.value() == msg);
      const auto encrypted = hpke::aead_seal(key, iv, aad, msg);
      REQUIRE(encrypted.ok());
      CHECK(encrypted.value() == sealed);
      ++valid;
    } else {
      REQUIRE_FALSE(opened.ok());
      if (has_flag(test, "InvalidNonceSize")) {
        CHECK(opened.error().kind == ErrorKind::Caller);
        CHECK_FALSE(hpke::aead_seal(key, iv, aad, msg).ok());
      } else {
        CHECK(opened.error().code == "SECURE_CHANNEL.DECRYPT_FAILED");
        CHECK(opened.error().kind == ErrorKind::Auth);
      }
      ++invalid;
    }
  });
  CHECK(total == 325);
  CHECK(valid == 256);
  CHECK(invalid == 69);
}

TEST_CASE("Wycheproof HKDF-SHA256") {
  const auto file = load_vector("wycheproof/hkdf_sha256_test.json");
  int invalid = 0;
  const int total = for_each_test(file, [&](const nlohmann::json&, const nlohmann::json& test) {
    const Bytes ikm = hex(test["ikm"].get<std::string>()), salt = hex(test["salt"].get<std::string>());
    const Bytes info = hex(test["info"].get<std::string>());
    const std::size_t size = test["size"].get<std::size_t>();
    Secret<kHashLen> prk;
    hkdf_extract(prk, salt, {ikm});
    Bytes okm(size);
    const Status status = hkdf_expand(okm.data(), okm.size(), prk, {info});
    if (test["result"] == "valid") {
      REQUIRE(status.ok());
      CHECK(to_hex(okm) == test["okm"].get<std::string>());
    } else {
      REQUIRE_FALSE(status.ok());
      CHECK(status.error().kind == ErrorKind::Caller);
      ++invalid;
    }
  });
  CHECK(total == 86);
  CHECK(invalid == 3);
}

TEST_CASE("Wycheproof HMAC-SHA256, truncated tags compared by prefix") {
  const auto file = load_vector("wycheproof/hmac_sha256_test.json");
  int invalid = 0;
  const int total = for_each_test(file, [&](const nlohmann::json& group, const nlohmann::json& test) {
    const Bytes key = hex(test["key"].get<std::string>()), msg = hex(test["msg"].get<std::string>());
    const Bytes tag = hex(test["tag"].get<std::string>());
    const std::size_t tag_size = group["tagSize"].get<std::size_t>() / 8;
    REQUIRE(tag.size() == tag_size);
    std::uint8_t mac[kHashLen];
    hmac_sha256(mac, key, {msg});
    const bool match = std::equal(tag.begin(), tag.end(), mac);
    if (test["result"] == "valid") {
      CHECK(match);
    } else {
      CHECK_FALSE(match);
      ++invalid;
    }
  });
  CHECK(total == 174);
  CHECK(invalid == 108);
}

TEST_CASE("HMAC and HKDF hash multi-part input as its concatenation") {
  const Bytes key = {1, 2, 3}, whole = to_bytes("abcdef");
  std::uint8_t a[kHashLen], b[kHashLen];
  hmac_sha256(a, key, {whole});
  hmac_sha256(b, key, {std::string_view("ab"), std::string_view(""), std::string_view("cdef")});
  CHECK(std::equal(a, a + kHashLen, b));
}

TEST_CASE("RFC 5869 HKDF-SHA256 test cases") {
  const auto file = load_vector("rfc_hkdf_totp_vectors.json");
  int count = 0;
  for (const auto& tc : file["rfc5869_hkdf"]) {
    if (tc["hash"] != "SHA-256") continue;
    CAPTURE(tc["test_case"].get<std::string>());
    Secret<kHashLen> prk;
    hkdf_extract(prk, hex(tc["salt"].get<std::string>()), {hex(tc["IKM"].get<std::string>())});
    CHECK(to_hex(prk.data(), prk.size()) == tc["PRK"].get<std::string>());
    Bytes okm(tc["L"].get<std::size_t>());
    REQUIRE(hkdf_expand(okm.data(), okm.size(), prk, {hex(tc["info"].get<std::string>())}).ok());
    CHECK(to_hex(okm) == tc["OKM"].get<std::string>());
    ++count;
  }
  CHECK(count == 3);
}

TEST_CASE("HKDF-Expand length limit is 255 * HashLen") {
  Secret<kHashLen> prk;
  Bytes okm(kHkdfMaxOutput + 1);
  CHECK(hkdf_expand(okm.data(), kHkdfMaxOutput, prk, {}).ok());
  CHECK_FALSE(hkdf_expand(okm.data(), kHkdfMaxOutput + 1, prk, {}).ok());
  CHECK(hkdf_expand(nullptr, 0, prk, {}).ok());
}
