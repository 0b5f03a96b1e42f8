#include "identity/nfc.hpp"

#include <algorithm>
#include <cstdint>

#include "common/utf8.hpp"

namespace portal {

namespace {

struct NfcDecomposition {
  char16_t code_point, first, second;  // second == 0: singleton decomposition
  bool primary;                        // NFC recomposes first + second into code_point
};
struct NfcCombiningClass {
  char16_t code_point;
  std::uint8_t ccc;
};

#include "identity/nfc_table.inc"

bool in_repertoire(char32_t cp) {
  return (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0x24f) || (cp >= 0x300 && cp <= 0x36f) ||
         (cp >= 0x1e00 && cp <= 0x1eff) ||
         std::find(std::begin(kNfcExtraRepertoire), std::end(kNfcExtraRepertoire), cp) != std::end(kNfcExtraRepertoire);
}

int combining_class(char32_t cp) {
  for (const auto& entry : kNfcCombiningClasses)
    if (entry.code_point == cp) return entry.ccc;
  return 0;
}

const NfcDecomposition* decomposition_of(char32_t cp) {
  const auto it = std::lower_bound(std::begin(kNfcDecompositions), std::end(kNfcDecompositions), cp,
                                   [](const NfcDecomposition& d, char32_t value) { return d.code_point < value; });
  return it != std::end(kNfcDecompositions) && it->code_point == cp ? it : nullptr;
}

char32_t primary_composite(char32_t first, char32_t second) {
  for (const auto& d : kNfcDecompositions)
    if (d.primary && d.first == first && d.second == second) return d.code_point;
  return 0;
}

void decompose(char32_t cp, std::u32string& out) {
  if (const NfcDecomposition* d = decomposition_of(cp)) {
    decompose(d->first, out);
    if (d->second != 0) decompose(d->second, out);
  } else {
    out.push_back(cp);
  }
}

// Strict UTF-8 (no overlongs, no surrogates); the repertoire needs at most three bytes.
bool decode_utf8(std::string_view text, std::u32string& out) {
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(text[k]); };
    const std::uint8_t lead = byte(i);
    std::size_t length = lead < 0x80 ? 1 : (lead & 0xe0) == 0xc0 ? 2 : (lead & 0xf0) == 0xe0 ? 3 : 0;
    if (length == 0 || i + length > text.size()) return false;
    char32_t cp = length == 1 ? lead : lead & (length == 2 ? 0x1f : 0x0f);
    for (std::size_t k = 1; k < length; ++k) {
      if ((byte(i + k) & 0xc0) != 0x80) return false;
      cp = cp << 6 | (byte(i + k) & 0x3f);
    }
    if ((length == 2 && cp < 0x80) || (length == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)))) return false;
    out.push_back(cp);
    i += length;
  }
  return true;
}

}  // namespace

std::optional<std::string> nfc_normalize(std::string_view utf8) {
  std::u32string input, chars;
  if (!decode_utf8(utf8, input)) return std::nullopt;
  for (char32_t cp : input) {
    if (!in_repertoire(cp)) return std::nullopt;
    decompose(cp, chars);
  }

  // Canonical ordering: stable-sort each run of non-starters by combining class. An insertion
  // sort (stable, and the runs are a few marks long in text of at most 256 bytes) rather than
  // std::stable_sort, whose merge code was 3 KB of the module.
  for (std::size_t i = 0; i < chars.size();) {
    std::size_t end = i;
    while (end < chars.size() && combining_class(chars[end]) != 0) ++end;
    for (std::size_t j = i + 1; j < end; ++j)
      for (std::size_t k = j; k > i && combining_class(chars[k - 1]) > combining_class(chars[k]); --k)
        std::swap(chars[k - 1], chars[k]);
    i = end == i ? i + 1 : end;
  }

  // Canonical composition (UAX #15 §X3): a character composes with the last starter unless a
  // character between them has class 0 or a class >= its own.
  std::u32string composed;
  std::size_t starter = std::u32string::npos;
  int last_class = 256;  // nothing to compose with until the first starter
  for (char32_t cp : chars) {
    const int cls = combining_class(cp);
    if (starter != std::u32string::npos && (last_class < cls || last_class == 0)) {
      if (const char32_t composite = primary_composite(composed[starter], cp)) {
        composed[starter] = composite;
        continue;
      }
    }
    if (cls == 0) starter = composed.size();
    last_class = cls;
    composed.push_back(cp);
  }

  std::string out;
  for (char32_t cp : composed) append_utf8(out, cp);
  return out;
}

}  // namespace portal
