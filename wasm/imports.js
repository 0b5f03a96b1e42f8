// The shipped module's one import, declared so the linker accepts it; web/portal-client.js
// provides it at instantiation (wasm/bindings.cpp: env.portal_random).
mergeInto(LibraryManager.library, {
  portal_random: function (pointer, size) { return 1; },
});
