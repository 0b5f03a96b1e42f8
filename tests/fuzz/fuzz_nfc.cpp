// NFC (src/identity/nfc.*). Input: any bytes as UTF-8. Accepted input must be valid UTF-8 (checked
// here by a decoder of its own) over the stated repertoire; the output is valid UTF-8 inside the
// repertoire, is its own NFC (idempotence), is unchanged for ASCII, and NFC(a + b) equals
// NFC(NFC(a) + NFC(b)).
#include <vector>

#include "identity/nfc.hpp"
#include "fuzz_check.hpp"

using namespace portal;

namespace {

// Well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, at most U+10FFFF) -> code points.
bool decode_utf8(std::string_view s, std::vector<char32_t>& out) {
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    int n = 0;
    char32_t cp = 0, min = 0;
    if (b < 0x80) { cp = b; n = 0; }
    else if (b >= 0xC2 && b <= 0xDF) { cp = b & 0x1F; n = 1; min = 0x80; }
    else if (b >= 0xE0 && b <= 0xEF) { cp = b & 0x0F; n = 2; min = 0x800; }
    else if (b >= 0xF0 && b <= 0xF4) { cp = b & 0x07; n = 3; min = 0x10000; }
    else return false;
    for (int k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      const auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xC0) != 0x80) return false;
      cp = cp << 6 | (c & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    out.push_back(cp);
    i += static_cast<std::size_t>(n) + 1;
  }
  return true;
}

bool in_repertoire(char32_t c) {
  return (c >= 0x20 && c <= 0x7E) || (c >= 0xA0 && c <= 0x24F) || (c >= 0x300 && c <= 0x36F) ||
         (c >= 0x1E00 && c <= 0x1EFF) || c == 0x292 || c == 0x385 || c == 0x1FC1 || c == 0x1FED || c == 0x2260 ||
         c == 0x226E || c == 0x226F;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return 0;  // quadratic in runs of marks by design (short text only)
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<char32_t> cps;
  const bool valid = decode_utf8(text, cps);
  bool known = valid;
  bool ascii = valid;
  for (const char32_t c : cps) {
    known = known && in_repertoire(c);
    ascii = ascii && c < 0x80;
  }

  const auto nfc = nfc_normalize(text);
  // Defined exactly on well-formed UTF-8 over the repertoire.
  FUZZ_CHECK(nfc.has_value() == known);
  if (!nfc) return 0;
  if (ascii) FUZZ_CHECK(*nfc == text);

  std::vector<char32_t> out;
  FUZZ_CHECK(decode_utf8(*nfc, out));
  for (const char32_t c : out) FUZZ_CHECK(in_repertoire(c));  // the repertoire is closed under NFC

  const auto twice = nfc_normalize(*nfc);
  FUZZ_CHECK(twice && *twice == *nfc);

  // NFC(a + b) == NFC(NFC(a) + NFC(b)) for a split of the input at a code point boundary.
  std::size_t cut = size / 2;
  while (cut > 0 && cut < size && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  const auto left = nfc_normalize(text.substr(0, cut)), right = nfc_normalize(text.substr(cut));
  FUZZ_CHECK(left && right);
  const auto joined = nfc_normalize(*left + *right);
  FUZZ_CHECK(joined && *joined == *nfc);
  return 0;
}
