// Engine-fault guard probe driver: fresh bench-module instances in one engine (bench/pages/guard.js).
//
//   node bench/guard.mjs [--engine webkit] [--runs 300] [--batch 50] [--mode probe|plain] [--warm N] [--pairs 80]
//
// WebKit needs a display (xvfb-run -a). Prints, per run with an event, what went wrong at which seal
// and whether each candidate check flagged it, then the totals as JSON. Needs a wasm-release build
// (build/wasm-release/bench).
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../emulator/server.mjs';
import { vendorHpke } from './vendor.mjs';
import { launch } from '../tests/browser/engines.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const ENGINE = arg('engine', 'webkit');
const RUNS = Number(arg('runs', 300));
const BATCH = Number(arg('batch', 50));
const MODE = arg('mode', 'probe');
const WARM = Number(arg('warm', 0));
const PAIRS = Number(arg('pairs', 80));


const tmp = mkdtempSync(join(os.tmpdir(), 'portal-guard-'));
vendorHpke(join(tmp, 'vendor'));
const emulator = await startEmulator({
  host: '127.0.0.1', port: 0, quiet: true,
  mounts: [
    { prefix: '/bench', dir: join(ROOT, 'bench/pages') },
    { prefix: '/bench-wasm', dir: resolve(ROOT, process.env.PORTAL_BENCH_WASM ?? 'build/wasm-release/bench') },
    { prefix: '/vendor', dir: join(tmp, 'vendor') },
    { prefix: '/vectors', dir: join(ROOT, 'tests/vectors') },
  ],
});
const browser = await launch(ENGINE);
const totals = { engine: ENGINE, version: browser.version, mode: MODE, warm: WARM, pairs: PAIRS, runs: 0, runsWithEvent: 0, events: {}, sealWrong: 0, caughtA: 0, caughtB: 0, caughtAny: 0, escapedA: 0, escapedB: 0, falseAlarmA: 0, falseAlarmB: 0 };
try {
  for (let done = 0; done < RUNS; done += BATCH) {
    const runs = Math.min(BATCH, RUNS - done);
    const context = await browser.newContext();
    const page = await context.newPage();
    page.timeout = 600_000;
    await page.goto(`${emulator.url}/bench/guard.html`);
    await page.waitForFunction(() => window.probeReady === true);
    const out = await page.evaluate((a) => window.probe(a), { runs, mode: MODE, pairs: PAIRS, warm: WARM });
    await context.close();
    totals.runs += runs;
    for (const { run, events } of out) {
      totals.runsWithEvent += 1;
      for (const e of events) {
        console.log(`run ${done + run}: ${e.what} at ${e.at} (${e.ms} ms) ${e.flags ?? ''}`);
        totals.events[e.what] = (totals.events[e.what] ?? 0) + 1;
        if (e.what === 'seal wrong') {
          totals.sealWrong += 1;
          const a = e.flags?.[0] === 'A'; const b = e.flags?.[1] === 'B';
          totals.caughtA += a; totals.caughtB += b; totals.caughtAny += a || b;
          totals.escapedA += !a; totals.escapedB += !b;
        }
        if (e.what === 'false alarm') { totals.falseAlarmA += e.flags[0] === 'A'; totals.falseAlarmB += e.flags[1] === 'B'; }
        if (e.what === 'open failed' || e.what === 'open wrong') totals.openWrongOrFailed = (totals.openWrongOrFailed ?? 0) + 1;
      }
    }
    process.stderr.write(`${totals.runs}/${RUNS} runs, ${totals.runsWithEvent} with an event\n`);
  }
} finally {
  await browser.close();
  await emulator.close?.();
}
console.log(JSON.stringify(totals));
process.exit(0);
