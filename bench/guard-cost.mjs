// µs per 1 KiB seal + open pair of two bench-module builds in one engine, interleaved page by page:
//   node bench/guard-cost.mjs <bench-wasm dir A> <bench-wasm dir B> [--engine chromium] [--pages 6]
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../emulator/server.mjs';
import { launch } from '../tests/browser/engines.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const [dirA, dirB] = process.argv.slice(2, 4).map((d) => resolve(d));
const arg = (name, fallback) => { const i = process.argv.indexOf(`--${name}`); return i >= 0 ? process.argv[i + 1] : fallback; };
const ENGINE = arg('engine', 'chromium');
const PAGES = Number(arg('pages', 6));
// hpke-js's ESM with its bare "@hpke/…" specifiers made absolute (as bench/run.mjs serves it).
const vendor = join(mkdtempSync(join(os.tmpdir(), 'portal-guard-cost-')), 'vendor');
for (const pkg of ['common', 'chacha20poly1305']) {
  const from = join(ROOT, 'node_modules/@hpke', pkg, 'esm');
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) { walk(path); continue; }
      if (!name.endsWith('.js')) continue;
      const target = join(vendor, '@hpke', pkg, 'esm', relative(from, path));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, readFileSync(path, 'utf8').replace(/from "@hpke\/([a-z0-9-]+)"/g, 'from "/vendor/@hpke/$1/esm/mod.js"'));
    }
  };
  walk(from);
}
const servers = [];
for (const dir of [dirA, dirB]) {
  servers.push(await startEmulator({ host: '127.0.0.1', port: 0, quiet: true, mounts: [
    { prefix: '/bench', dir: join(ROOT, 'bench/pages') }, { prefix: '/bench-wasm', dir },
    { prefix: '/vendor', dir: vendor },
    { prefix: '/vectors', dir: join(ROOT, 'tests/vectors') }] }));
}
const browser = await launch(ENGINE);
const results = [[], []];
const aead = [];  // µs per 1 KiB libsodium seal, in build A's pages
try {
  for (let p = 0; p < PAGES; p += 1) {
    for (const k of p % 2 ? [1, 0] : [0, 1]) {
      const context = await browser.newContext();
      const page = await context.newPage();
      page.timeout = 300_000;
      await page.goto(`${servers[k].url}/bench/guard.html`);
      await page.waitForFunction(() => window.probeReady === true);
      results[k].push(await page.evaluate((a) => window.timePairs(a), {}));
      if (k === 0) aead.push(await page.evaluate((a) => window.aeadUs(a), {}));
      await context.close();
    }
  }
} finally {
  await browser.close();
}
const median = (v) => { const s = [...v].sort((a, b) => a - b); return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
console.log(JSON.stringify({ engine: ENGINE, a: dirA, b: dirB, usPerPairA: median(results[0]), usPerPairB: median(results[1]), aeadSeal1KiBUs: median(aead), samplesA: results[0], samplesB: results[1] }));
process.exit(0);
