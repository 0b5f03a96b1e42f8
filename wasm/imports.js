// The core's imports, for the linker (--js-library of every wasm module of the build).
//
// The shipped module (a standalone wasm) gets them from web/portal-client.js at instantiation:
// these bodies are not part of it. The testkit and the bench module keep Emscripten's generated
// JS, which runs the bodies below.
mergeInto(LibraryManager.library, {
  // wasm/bindings.cpp, the shipped module only: filled by crypto.getRandomValues in portal-client.js.
  portal_random: function (pointer, size) { return 1; },
  // src/common/js_strtod.cpp: Number() of `length` ASCII bytes of a decimal number.
  portal_parse_number: function (pointer, length) { return Number(UTF8ToString(pointer, length)); },
});
