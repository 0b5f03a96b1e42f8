// µs per 1 KiB seal + open pair of two bench-module builds in one engine, interleaved page by page:
//   node bench/guard-cost.mjs <bench-wasm dir A> <bench-wasm dir B> [--engine chromium] [--pages 6]
import { resolve, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../emulator/server.mjs';
import { launch } from '../tests/browser/engines.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const [dirA, dirB] = process.argv.slice(2, 4).map((d) => resolve(d));
const arg = (name, fallback) => { const i = process.argv.indexOf(`--${name}`); return i >= 0 ? process.argv[i + 1] : fallback; };
const ENGINE = arg('engine', 'chromium');
const PAGES = Number(arg('pages', 6));
const servers = [];
for (const dir of [dirA, dirB]) {
  servers.push(await startEmulator({ host: '127.0.0.1', port: 0, quiet: true, mounts: [
    { prefix: '/bench', dir: join(ROOT, 'bench/pages') }, { prefix: '/bench-wasm', dir },
    { prefix: '/vendor/@hpke/chacha20poly1305/esm', dir: join(ROOT, 'node_modules/@hpke/chacha20poly1305/esm') },
    { prefix: '/vectors', dir: join(ROOT, 'tests/vectors') }] }));
}
const browser = await launch(ENGINE);
const results = [[], []];
try {
  for (let p = 0; p < PAGES; p += 1) {
    for (const k of p % 2 ? [1, 0] : [0, 1]) {
      const context = await browser.newContext();
      const page = await context.newPage();
      page.timeout = 300_000;
      await page.goto(`${servers[k].url}/bench/guard.html`);
      await page.waitForFunction(() => window.probeReady === true);
      results[k].push(await page.evaluate((a) => window.timePairs(a), {}));
      await context.close();
    }
  }
} finally {
  await browser.close();
}
const median = (v) => { const s = [...v].sort((a, b) => a - b); return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
console.log(JSON.stringify({ engine: ENGINE, a: dirA, b: dirB, usPerPairA: median(results[0]), usPerPairB: median(results[1]), samplesA: results[0], samplesB: results[1] }));
process.exit(0);
