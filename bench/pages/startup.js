// Figure 2: from the dynamic import of the shipped module (/dist/, the release build as a
// frontend downloads it) to a ready client, in a fresh page with an empty cache. Also the same
// ready moment from navigation (performance.now()'s origin): the yardstick of the shell's cold
// load, which is timed from navigation too.
const started = performance.now();
try {
  const { createPortalClient } = await import('/dist/portal-client.js');
  const imported = performance.now();
  const client = await createPortalClient({ baseUrl: location.origin, portal: 'system', portalAccessCode: 'dev-system-code' });
  const ready = performance.now();
  client.dispose();
  window.startup = { importMs: imported - started, readyMs: ready - started, fromNavigationMs: ready };
} catch (error) {
  window.startup = { error: String(error?.stack ?? error) };
}
