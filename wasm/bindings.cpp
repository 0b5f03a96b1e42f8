// embind bindings: declarations only, no logic. The JS API (web/portal-client.js) is the only
// caller; it checks arguments before they reach here.
#include <emscripten/bind.h>

#include <string>

std::string core_version() { return "0.1.0"; }

EMSCRIPTEN_BINDINGS(portal_core) {
  emscripten::function("version", &core_version);
}
