// The page's first script, a classic one that blocks the parser (index.html): it runs as soon as
// it arrives, before any module (an async one could run after them, as WebKit showed), and starts
// what the client would otherwise start only once the shell's modules are in (issue 14): the
// core's download and compile, and the Web Locks query that tells a new client whether a
// signed-in tab could hand it a session (under load a browser took 10–50 ms to answer it). boot.js
// passes both to createPortalClient (its wasmModule and lockSnapshot options). The wasm's URL is
// the one portal-client.js would fetch by itself, beside it in /dist/. A failure here is reported
// by createPortalClient, as a failed load of its own would be.
window.portalStart = {
  wasmModule: WebAssembly.compileStreaming(fetch('/dist/portal-core.wasm')),
  lockSnapshot: navigator.locks?.query(),
};
window.portalStart.wasmModule.catch(() => {});
window.portalStart.lockSnapshot?.catch(() => {});
