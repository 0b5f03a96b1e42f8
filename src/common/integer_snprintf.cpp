// wasm builds only: nlohmann/json's calls to snprintf go to the C library's integer-only variant.
//
// nlohmann calls snprintf in two places, both with integer conversions only: the writer's "\u%04x"
// escape of a control character, and the lexer's "<U+%.4X>" in a parse error's text. musl's full
// snprintf also links its floating-point formatting and the 128-bit long-double arithmetic that
// comes with it in wasm. Emscripten's musl ships vsniprintf, the same printf core with the
// floating-point conversions left out, for exactly this case. The wasm link passes
// --wrap=snprintf (src/CMakeLists.txt), which sends every snprintf call of the module here: 1.5 KiB
// less download, with nlohmann and the C library as shipped.
//
// tests/browser/module.test.mjs compares the module's JSON writer with JSON.stringify over every
// control character, so a wrong substitution fails there.
#include <cstdarg>
#include <cstddef>

extern "C" {

int vsniprintf(char* out, std::size_t size, const char* format, std::va_list args);  // Emscripten's musl

int __wrap_snprintf(char* out, std::size_t size, const char* format, ...) {  // NOLINT(bugprone-reserved-identifier)
  std::va_list args;
  va_start(args, format);
  const int written = vsniprintf(out, size, format, args);
  va_end(args);
  return written;
}

}  // extern "C"
