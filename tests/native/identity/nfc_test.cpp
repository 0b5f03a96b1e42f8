// Expected NFC forms are what Python's unicodedata.normalize('NFC', …) (Unicode 14.0) returns.
#include <doctest/doctest.h>

#include "identity/nfc.hpp"

using namespace portal;

TEST_CASE("NFC composes, reorders and recomposes within the Latin repertoire") {
  const std::pair<const char*, const char*> cases[] = {
      {"Chrome", "Chrome"},
      {"e\xcc\x81", "\xc3\xa9"},                            // e + U+0301 -> U+00E9
      {"\xc3\xa9", "\xc3\xa9"},                             // already composed
      {"A\xcc\x8a", "\xc3\x85"},                            // A + ring -> U+00C5
      {"A\xcc\x88\xcc\x84", "\xc7\x9e"},                    // A + diaeresis + macron -> U+01DE (two levels)
      {"a\xcc\xa3\xcc\x82", "\xe1\xba\xad"},                // a + dot below + circumflex -> U+1EAD
      {"a\xcc\x82\xcc\xa3", "\xe1\xba\xad"},                // same, marks in the other order
      {"\xe1\xba\xa1\xcc\x82", "\xe1\xba\xad"},             // U+1EA1 + circumflex -> U+1EAD
      {"o\xcc\x81\xcc\x9b", "\xe1\xbb\x9b"},                // o + acute + horn (ccc 216 < 230) -> U+1EDB
      {"a\xcc\xa8\xcc\x81", "\xc4\x85\xcc\x81"},            // a + ogonek + acute -> U+0105 U+0301
      {"a\xcc\x81\xcc\x81", "\xc3\xa1\xcc\x81"},            // second acute is blocked
      {"a\xcd\x80", "\xc3\xa0"},                            // U+0340 is a singleton for U+0300
      {"\xcd\x84", "\xcc\x88\xcc\x81"},                     // U+0344 never recomposes
      {"\xcc\x81" "e", "\xcc\x81" "e"},                     // a leading mark stays
      {"=\xcc\xb8", "\xe2\x89\xa0"},                        // = + U+0338 -> U+2260
      {"\xc3\xa6\xcc\x81", "\xc7\xbd"},                     // ae + acute -> U+01FD
      {"Cafe\xcc\x81 Na\xcc\x83o", "Caf\xc3\xa9 N\xc3\xa3o"},
  };
  for (const auto& [input, expected] : cases) {
    CAPTURE(input);
    const auto out = nfc_normalize(input);
    REQUIRE(out);
    CHECK(*out == expected);
  }
}

TEST_CASE("NFC refuses what it cannot normalise exactly") {
  const char* refused[] = {
      "\t", "a\x7f", "\xe6\x97\xa5\xe6\x9c\xac",  // control characters, CJK
      "\xef\xac\x81",                              // U+FB01 (outside the repertoire)
      "\xf0\x9f\x98\x80",                          // emoji
      "\xc3", "\xc0\xaf", "\xed\xa0\x80", "\x80",  // truncated, overlong, surrogate, stray continuation
  };
  for (const char* text : refused) {
    CAPTURE(text);
    CHECK_FALSE(nfc_normalize(text));
  }
}
