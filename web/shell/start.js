// The page's first script, a classic one that blocks the parser (index.html): it runs as soon as
// it arrives, before any module (an async one could run after boot.js, as WebKit showed), and
// starts the core's download and compile. These then overlap the loading of the shell's own
// modules instead of following it (issue 14); boot.js hands the result to createPortalClient
// (its wasmModule option). The URL is the one portal-client.js would fetch by itself, beside it
// in /dist/. A failure here is reported by createPortalClient, as a failed load of its own would be.
window.portalCoreModule = WebAssembly.compileStreaming(fetch('/dist/portal-core.wasm'));
window.portalCoreModule.catch(() => {});
