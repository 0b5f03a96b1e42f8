#include <doctest/doctest.h>

#include <sodium/crypto_hash_sha256.h>

#include "common/bytes.hpp"
#include "identity/client_hash.hpp"

using namespace portal;

namespace {

const char* kInstallId = "AAECAwQFBgcICQoLDA0ODw";  // bytes 00 01 … 0f
const char* kSignals =
    R"({"platform":"Windows","maxTouchPoints":0,"hardwareConcurrency":8,"deviceMemory":8,"browserFamily":"Chrome"})";
const char* kCanonical =
    R"({"browserFamily":"Chrome","deviceMemory":8,"hardwareConcurrency":8,"maxTouchPoints":0,"platform":"Windows"})";

// SHA-256 of the docs/api.md §1.1 preimage, assembled here independently of the code under test.
std::string expected_hash(const std::string& portal, const std::string& canonical) {
  const std::string preimage =
      std::string("portal-client-hash/v1") + '\0' + portal + '\0' + canonical + '\0' + kInstallId;
  std::uint8_t digest[32];
  crypto_hash_sha256(digest, reinterpret_cast<const std::uint8_t*>(preimage.data()), preimage.size());
  return to_hex(digest, sizeof digest);
}

std::string hash_of(const std::string& signals, const char* portal = "system") {
  const auto hash = client_hash(portal, signals, kInstallId);
  REQUIRE(hash.ok());
  return hash.value();
}

}  // namespace

TEST_CASE("client hash: canonical form and known answers") {
  const auto canonical = canonical_signals(kSignals);
  REQUIRE(canonical.ok());
  CHECK(canonical.value() == kCanonical);
  CHECK(hash_of(kSignals) == expected_hash("system", kCanonical));
  // Pasted from Python: hashlib.sha256(b'portal-client-hash/v1\0system\0' + canonical + b'\0' + installId).
  CHECK(hash_of(kSignals) == "0928757c12adccbf08a43232aeb87eb83bdb50c5ecd58ff6fddf6ef2911f47ea");

  const char* decomposed = R"({"browserFamily":"Cafe\u0301","deviceMemory":0.25,"hardwareConcurrency":4,"maxTouchPoints":5})";
  const std::string canonical2 =
      "{\"browserFamily\":\"Caf\xc3\xa9\",\"deviceMemory\":0.25,\"hardwareConcurrency\":4,\"maxTouchPoints\":5,"
      "\"platform\":null}";
  CHECK(canonical_signals(decomposed).value() == canonical2);
  CHECK(hash_of(decomposed, "tenant") == expected_hash("tenant", canonical2));
  CHECK(hash_of(decomposed, "tenant") == "dc405f1efa788c8984993b11fbdcb9e6fff1ef7c1ae9640f0cbc119697d82d85");
}

TEST_CASE("client hash: key order, white space and Unicode normalisation do not change it") {
  const std::string base = hash_of(kSignals);
  CHECK(hash_of(R"({ "browserFamily" : "Chrome", "deviceMemory": 8, "hardwareConcurrency": 8,
                     "maxTouchPoints": 0, "platform": "Windows" })") == base);
  CHECK(hash_of(R"({"deviceMemory":8.0,"browserFamily":"Chrome","platform":"Windows","hardwareConcurrency":8,"maxTouchPoints":0})") == base);
  CHECK(hash_of(R"({"browserFamily":"\u00e9","platform":"x"})") == hash_of(R"({"browserFamily":"e\u0301","platform":"x"})"));
  CHECK(hash_of(R"({"browserFamily":"\u00e9","platform":"x"})") == hash_of("{\"browserFamily\":\"\xc3\xa9\",\"platform\":\"x\"}"));
}

TEST_CASE("client hash: a missing or changed signal, portal or install id changes it") {
  const std::string base = hash_of(kSignals);
  const char* without_memory = R"({"platform":"Windows","maxTouchPoints":0,"hardwareConcurrency":8,"browserFamily":"Chrome"})";
  CHECK(canonical_signals(without_memory).value() ==
        R"({"browserFamily":"Chrome","deviceMemory":null,"hardwareConcurrency":8,"maxTouchPoints":0,"platform":"Windows"})");
  CHECK(hash_of(without_memory) != base);
  CHECK(hash_of(R"({"platform":"Windows","maxTouchPoints":0,"hardwareConcurrency":8,"browserFamily":"Chrome","deviceMemory":null})") ==
        hash_of(without_memory));
  CHECK(hash_of(R"({"platform":"Windows","maxTouchPoints":0,"hardwareConcurrency":4,"deviceMemory":8,"browserFamily":"Chrome"})") != base);
  CHECK(hash_of(R"({"platform":"windows","maxTouchPoints":0,"hardwareConcurrency":8,"deviceMemory":8,"browserFamily":"Chrome"})") != base);
  CHECK(hash_of(kSignals, "consumer") != base);
  CHECK(client_hash("system", kSignals, "AAECAwQFBgcICQoLDA0OEA").value() != base);
  CHECK(hash_of("{}") == expected_hash("system",
        R"({"browserFamily":null,"deviceMemory":null,"hardwareConcurrency":null,"maxTouchPoints":null,"platform":null})"));
}

TEST_CASE("client hash: deviceMemory is written exactly") {
  const std::pair<const char*, const char*> cases[] = {
      {"0.25", "0.25"}, {"0.5", "0.5"}, {"1", "1"}, {"8.0", "8"}, {"0.125", "0.125"}, {"0", "0"}, {"-0.0", "0"},
      {"0.0009765625", "0.0009765625"}, {"1048575.5", "1048575.5"}};
  for (const auto& [input, output] : cases) {
    CAPTURE(input);
    const auto canonical = canonical_signals(std::string("{\"deviceMemory\":") + input + "}");
    REQUIRE(canonical.ok());
    CHECK(canonical.value().find(std::string("\"deviceMemory\":") + output + ",") != std::string::npos);
  }
}

TEST_CASE("client hash: bad arguments are Caller errors") {
  const char* bad_signals[] = {
      "", "[]", "null", "{", R"({"browser":"Chrome"})", R"({"userAgent":"Mozilla/5.0"})",
      R"({"browserFamily":1})", R"({"platform":true})", R"({"browserFamily":"tab\there"})",
      R"({"browserFamily":"\u65e5\u672c"})", R"({"hardwareConcurrency":4.5})", R"({"hardwareConcurrency":-1})",
      R"({"hardwareConcurrency":"8"})", R"({"maxTouchPoints":1.0})", R"({"deviceMemory":0.3})",
      R"({"deviceMemory":-1})", R"({"deviceMemory":1048576})", R"({"deviceMemory":"8"})", R"({"deviceMemory":1e400})",
  };
  for (const char* signals : bad_signals) {
    CAPTURE(signals);
    const auto r = client_hash("system", signals, kInstallId);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::Caller);
  }
  const std::string long_text = "{\"platform\":\"" + std::string(257, 'x') + "\"}";
  CHECK_FALSE(canonical_signals(long_text).ok());
  CHECK(canonical_signals("{\"platform\":\"" + std::string(256, 'x') + "\"}").ok());
  // The limit is on the normalised text: 128 decomposed e + U+0301 (384 bytes) compose to 256 bytes.
  std::string decomposed, precomposed;
  for (int i = 0; i < 128; ++i) decomposed += "e\u0301", precomposed += "\u00e9";
  const auto composed = canonical_signals("{\"platform\":\"" + decomposed + "\"}");
  REQUIRE(composed.ok());
  CHECK(composed.value().find("\"platform\":\"" + precomposed + "\"") != std::string::npos);
  // Megabytes of combining marks are refused by their length, not sorted.
  std::string marks = "e";
  for (int i = 0; i < 200000; ++i) marks += i % 2 ? "\u0301" : "\u0323";
  CHECK_FALSE(canonical_signals("{\"platform\":\"" + marks + "\"}").ok());

  const char* bad_ids[] = {"", "AAECAwQFBgcICQoLDA0OD", "AAECAwQFBgcICQoLDA0ODw==", "AAECAwQFBgcICQoLDA0ODx",
                           "AAECAwQFBgcICQoLDA0ODwA", "AAECAwQFBgcICQoLDA0OD+"};
  for (const char* id : bad_ids) {
    CAPTURE(id);
    const auto r = client_hash("system", kSignals, id);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::Caller);
  }
  for (const char* portal : {"", "System", "admin", "system "}) {
    const auto r = client_hash(portal, kSignals, kInstallId);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == ErrorKind::Caller);
  }
}
