// Every vector file the suites read is in the repository and non-empty: a missing file must fail
// the run, never turn a suite into one that checks nothing. The list is written out by hand from
// tests/vectors/README.md.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <string>

#include "support/vectors.hpp"

TEST_CASE("every vector file is present, parses, and holds cases") {
  const struct { const char* file; const char* cases; } files[] = {
      {"hpke_x25519_sha256_chacha.json", "vectors"},
      {"rfc_hkdf_totp_vectors.json", "rfc5869_hkdf"},
      {"secure-channel-v1-transcript.json", "request"},
      {"wycheproof/x25519_test.json", "testGroups"},
      {"wycheproof/chacha20_poly1305_test.json", "testGroups"},
      {"wycheproof/hkdf_sha256_test.json", "testGroups"},
      {"wycheproof/hmac_sha256_test.json", "testGroups"},
  };
  for (const auto& f : files) {
    CAPTURE(f.file);
    const nlohmann::json doc = portal::test::load_vector(f.file);
    REQUIRE(doc.contains(f.cases));
    CHECK_FALSE(doc[f.cases].empty());
  }
}
