#!/usr/bin/env node
// Measures the shell's cold load in headless Chromium (issue 14). Not a test: it asserts nothing.
//
//   node scripts/coldload.mjs [--runs 15] [--json]
//
// Against an in-process emulator serving build/shell (PORTAL_SHELL=web/shell: the source,
// unbundled), dist/ and lean-qr as `emulator/server.mjs` does by default, it loads, in a fresh
// browser context each (empty cache):
//   module  a bare page that imports /dist/portal-client.js and awaits createPortalClient — the
//           module's own start-up, the yardstick;
//   shell   /?portal=system until `document.documentElement.dataset.ready === 'true'`;
//   warm    the shell again in the same context (a reload: what revalidation costs).
// Times are from navigation start (performance.now() in the page). Requests and bytes come from
// Resource Timing (navigation + resource entries): transferSize is what crossed the wire
// (headers included), decodedBodySize the files' own bytes. Medians are printed, with the
// interquartile range for the times, and the shell's time over the module's both as a ratio of
// medians and as the median of each run's own ratio. One throwaway run first warms the server (a server-side
// compression cache is filled by it, as it would be for any second visitor).
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../emulator/server.mjs';
import { launchChromium, SHELL } from '../tests/browser/harness.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1]) || 15;
const JSON_OUT = args.includes('--json');

const pages = mkdtempSync(join(os.tmpdir(), 'portal-coldload-'));
writeFileSync(join(pages, 'module.html'), '<!doctype html><meta charset="utf-8"><title>module</title><script type="module" src="module.js"></script>\n');
writeFileSync(join(pages, 'module.js'), `
const { createPortalClient } = await import('/dist/portal-client.js');
const client = await createPortalClient({ baseUrl: location.origin, portal: 'system', portalAccessCode: 'dev-system-code' });
window.readyAt = performance.now();
client.dispose();
`);

// Records when the shell flags itself ready (an init script runs before the page's own, and the
// page's CSP does not govern it).
function markReady() {
  new MutationObserver(() => {
    if (document.documentElement.dataset.ready === 'true' && window.readyAt === undefined) window.readyAt = performance.now();
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-ready'] });
}

function pageStats() {
  const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
  const path = (name) => new URL(name).pathname;
  const isApi = (e) => path(e.name).startsWith('/web/') || path(e.name).startsWith('/__dev/');
  const files = entries.filter((e) => !isApi(e));
  const sum = (list, key) => list.reduce((total, e) => total + (e[key] || 0), 0);
  return {
    readyMs: window.readyAt,
    requests: files.length,
    apiRequests: entries.length - files.length,
    transferBytes: sum(files, 'transferSize'),
    encodedBytes: sum(files, 'encodedBodySize'),
    decodedBytes: sum(files, 'decodedBodySize'),
    notModified: files.filter((e) => e.transferSize > 0 && e.encodedBodySize > 0 && e.transferSize < e.encodedBodySize).length,
    paths: files.map((e) => path(e.name)),
  };
}

async function load(context, url, { init = false } = {}) {
  const page = await context.newPage();
  if (init) await page.addInitScript(markReady);
  await page.goto(url);
  await page.waitForFunction(() => window.readyAt !== undefined, null, { timeout: 60_000 });
  const stats = await page.evaluate(pageStats);
  return { page, stats };
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const quantile = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))]; };

const emulator = await startEmulator({
  host: '127.0.0.1', port: 0, quiet: true,
  mounts: [
    { prefix: '/', dir: SHELL },
    { prefix: '/dist', dir: join(ROOT, 'dist') },
    { prefix: '/vendor/lean-qr', dir: join(ROOT, 'node_modules/lean-qr') },
    { prefix: '/coldload', dir: pages },
  ],
});
const browser = await launchChromium();
const results = { module: [], shell: [], warm: [] };
try {
  for (let i = -1; i < RUNS; i += 1) {
    const moduleContext = await browser.newContext();
    const module = await load(moduleContext, `${emulator.url}/coldload/module.html`);
    await moduleContext.close();
    const context = await browser.newContext();
    const shell = await load(context, `${emulator.url}/?portal=system`, { init: true });
    await shell.page.close();
    const warm = await load(context, `${emulator.url}/?portal=system`, { init: true });
    await context.close();
    if (i < 0) continue;  // the throwaway run
    results.module.push(module.stats);
    results.shell.push(shell.stats);
    results.warm.push(warm.stats);
  }
} finally {
  await browser.close();
  await emulator.close();
}

const summary = {};
for (const [name, runs] of Object.entries(results)) {
  const pick = (key) => runs.map((r) => r[key]);
  summary[name] = {
    readyMs: median(pick('readyMs')), readyIqr: [quantile(pick('readyMs'), 0.25), quantile(pick('readyMs'), 0.75)],
    requests: median(pick('requests')), apiRequests: median(pick('apiRequests')),
    transferBytes: median(pick('transferBytes')), decodedBytes: median(pick('decodedBytes')),
    paths: runs[0].paths,
  };
}
summary.ratio = summary.shell.readyMs / summary.module.readyMs;
// The two pages of one run load back to back, so their ratio shares that moment's machine load.
summary.pairedRatio = median(results.shell.map((s, i) => s.readyMs / results.module[i].readyMs));

if (JSON_OUT) {
  console.log(JSON.stringify({ runs: RUNS, summary, results }, null, 2));
} else {
  const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
  const ms = (n) => `${n.toFixed(0)} ms`;
  console.log(`cold load, Chromium, ${RUNS} fresh contexts each (medians; IQR of the time in brackets)`);
  for (const name of ['module', 'shell', 'warm']) {
    const s = summary[name];
    console.log(`  ${name.padEnd(7)} ready ${ms(s.readyMs).padStart(7)} [${ms(s.readyIqr[0])}–${ms(s.readyIqr[1])}]`
      + `  requests ${String(s.requests).padStart(3)} (+${s.apiRequests} API)`
      + `  transferred ${kib(s.transferBytes).padStart(10)}  decoded ${kib(s.decodedBytes).padStart(10)}`);
  }
  console.log(`  shell / module start-up: ${summary.ratio.toFixed(2)}× (ratio of the medians), ${summary.pairedRatio.toFixed(2)}× (median of each run's ratio)`);
  console.log(`  shell files: ${summary.shell.paths.join(' ')}`);
}
