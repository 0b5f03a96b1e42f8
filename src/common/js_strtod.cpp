// wasm builds only: the C library's strtod is replaced by the JavaScript engine's number parser.
//
// nlohmann/json converts every JSON number with a fraction or an exponent by calling strtod on the
// token its lexer has already checked against the JSON grammar. musl's strtod is exact, but in wasm
// it brings 128-bit long-double arithmetic done in software (__multf3, __divtf3, fmodl, scalbnl…):
// about 12 KiB of code, 7 KiB of the download. The engine that runs the module already has an exact
// decimal-to-double conversion, Number(), so the wasm link passes --wrap=strtod (src/CMakeLists.txt)
// and every strtod call of the module comes here, and goes out through one import:
//
//   env.portal_parse_number(pointer, length) -> f64   Number() of those ASCII bytes
//
// provided by web/portal-client.js for the shipped module, and by wasm/imports.js for the testkit
// and the bench module. nlohmann and the C library stay as shipped; native builds keep their strtod.
//
// The conversion accepts strtod's decimal form, [+-]digits[.digits][(e|E)[+-]digits] with at least
// one digit before the exponent, and stops where that form ends (an exponent without digits is not
// consumed), as strtod does. What strtod also reads — leading white space, "inf", "nan" — converts
// nothing here (*end = text, 0.0), and "0x10" reads as 0 (hexadecimal is not read): no caller in
// the module passes them. Overflow gives ±Infinity and underflow ±0 or a subnormal, correctly
// rounded, as from strtod (errno is not set; nlohmann does not read it, and refuses a non-finite
// number itself).
//
// tests/browser/module.test.mjs parses numbers through the testkit (edge cases and random doubles,
// compared with JSON.parse; where the conversion stops) and checks the shipped module's client hash with a fractional
// deviceMemory against a hash computed in the test.
#include <cstddef>

extern "C" {

__attribute__((import_module("env"), import_name("portal_parse_number"))) double portal_parse_number(
    const char* text, std::size_t length);

double __wrap_strtod(const char* text, char** end) {  // NOLINT(bugprone-reserved-identifier)
  const auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  const char* p = text;
  if (*p == '+' || *p == '-') ++p;
  std::size_t digits = 0;
  for (; is_digit(*p); ++p) ++digits;
  if (*p == '.') {
    for (++p; is_digit(*p); ++p) ++digits;
  }
  if (digits == 0) {
    if (end != nullptr) *end = const_cast<char*>(text);
    return 0.0;
  }
  if (*p == 'e' || *p == 'E') {
    const char* exponent = p + 1;
    if (*exponent == '+' || *exponent == '-') ++exponent;
    if (is_digit(*exponent)) {
      while (is_digit(*exponent)) ++exponent;
      p = exponent;
    }
  }
  if (end != nullptr) *end = const_cast<char*>(p);
  return portal_parse_number(text, static_cast<std::size_t>(p - text));
}

}  // extern "C"
