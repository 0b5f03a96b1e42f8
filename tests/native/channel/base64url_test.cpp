#include <doctest/doctest.h>

#include "channel/base64url.hpp"
#include "channel/rfc3339.hpp"

using namespace portal;

TEST_CASE("base64url encodes RFC 4648 vectors without padding, URL alphabet") {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""}, {"f", "Zg"}, {"fo", "Zm8"}, {"foo", "Zm9v"}, {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    CHECK(base64url_encode(std::string_view(plain)) == encoded);
    const auto decoded = base64url_decode(encoded);
    REQUIRE(decoded);
    CHECK(to_string(*decoded) == plain);
  }
  CHECK(base64url_encode(Bytes{0xfb, 0xff, 0xbf}) == "-_-_");
  CHECK(base64url_decode("-_-_") == Bytes{0xfb, 0xff, 0xbf});
}

TEST_CASE("base64url round-trips every length") {
  Bytes data;
  for (int n = 0; n < 70; ++n) {
    const auto decoded = base64url_decode(base64url_encode(data));
    REQUIRE(decoded);
    CHECK(*decoded == data);
    data.push_back(static_cast<std::uint8_t>(n * 37 + 11));
  }
}

TEST_CASE("base64url decoder is strict") {
  const char* rejected[] = {
      "Zg==", "Zg=", "Zm8=",   // padding
      "Z", "Zm9vY",            // len % 4 == 1
      "Zh", "Zm9", "Zm9vYh",   // non-canonical trailing bits (Zg / Zm8 / Zm9vYg are canonical)
      "Zm+v", "Zm/v",          // standard alphabet
      " Zg", "Zg ", "Zg\n", "Zm 9v", "Zm9v.",  // anything outside the alphabet
  };
  for (const char* text : rejected) {
    CAPTURE(text);
    CHECK_FALSE(base64url_decode(text));
  }
  CHECK_FALSE(base64url_decode(std::string_view("Zm9v\0", 5)));
  std::uint8_t out[3] = {1, 2, 3};
  CHECK(base64url_decode_exact("Zm9v", out, 3));
  CHECK(out[0] == 'f');
  CHECK_FALSE(base64url_decode_exact("Zm9v", out, 2));
  CHECK_FALSE(base64url_decode_exact("Zm9vYg", out, 3));
}

TEST_CASE("base64url: the constant-time decoder refuses bytes >= 0x80 (libsodium 1.0.18 reads them as '_')") {
  // Found by tests/fuzz/fuzz_base64url: "Zm9\xff" and "Zm9_" decoded to the same bytes.
  std::uint8_t out[3] = {};
  REQUIRE(base64url_decode_exact("Zm9_", out, 3));
  for (const char high : {'\x80', '\xc3', '\xff'}) {
    const std::string text = std::string("Zm9") + high;
    CAPTURE(text);
    CHECK_FALSE(base64url_decode(text));
    CHECK_FALSE(base64url_decode_exact(text, out, 3));
  }
}

TEST_CASE("RFC 3339 date-times parse to Unix milliseconds") {
  const std::pair<const char*, std::int64_t> good[] = {
      {"1970-01-01T00:00:00Z", 0},
      {"2026-12-01T00:00:00Z", 1796083200000},
      {"2026-11-22T12:30:00Z", 1795350600000},
      {"2026-11-22T12:30:00.5Z", 1795350600500},
      {"2026-11-22T12:30:00.123456z", 1795350600123},
      {"2026-11-22t14:30:00+02:00", 1795350600000},
      {"2026-11-22T07:00:00-05:30", 1795350600000},
      {"2024-02-29T00:00:00Z", 1709164800000},
      {"1969-12-31T23:59:59.999Z", -1},
  };
  for (const auto& [text, ms] : good) {
    CAPTURE(text);
    const auto parsed = parse_rfc3339_ms(text);
    REQUIRE(parsed.ok());
    CHECK(parsed.value() == ms);
  }
  const char* bad[] = {"", "2026-11-22", "2026-11-22T12:30:00", "2026-11-22 12:30:00Z", "2026-13-01T00:00:00Z",
                       "2026-02-29T00:00:00Z", "2026-11-31T00:00:00Z", "2026-11-22T24:00:00Z",
                       "2026-11-22T12:60:00Z", "2026-11-22T12:30:60Z", "2026-11-22T12:30:00.Z",
                       "2026-11-22T12:30:00+0200", "2026-11-22T12:30:00Zjunk", "26-11-22T12:30:00Z"};
  for (const char* text : bad) {
    CAPTURE(text);
    const auto parsed = parse_rfc3339_ms(text);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().code == "SECURE_CHANNEL.MALFORMED");
  }
}

TEST_CASE("base64url_decode_exact refuses bytes >= 0x80 (libsodium 1.0.18 read them as '_')") {
  std::uint8_t out[3] = {};
  CHECK_FALSE(base64url_decode_exact("\xbf\xae\xb6\xb1", out, 3));  // libsodium: ff ff ff
  CHECK_FALSE(base64url_decode_exact("\xc3\xa9__", out, 3));        // "é" (valid UTF-8) for "__"
  CHECK_FALSE(base64url_decode_exact("Zm9\x80", out, 3));
  CHECK(base64url_decode_exact("____", out, 3));
  CHECK(out[0] == 0xff);
}
