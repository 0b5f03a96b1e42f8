// Runs node:test suites once per browser engine and prints a summary line per engine:
//
//   node tests/run-engines.mjs tests/browser/        (PORTAL_ENGINES=chromium,firefox,webkit by default)
//
//   == tests/browser/ in firefox
//   … the spec reporter's output …
//   firefox: 61 passed, 0 failed
//   == firefox took 312 s
//
// Each test file runs in its own process with PORTAL_ENGINE set. Exits non-zero if any test
// failed in any engine (an engine that cannot start fails its tests: it is not skipped). WebKit
// needs a display: without one the runner restarts itself under `xvfb-run -a`.
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { readdirSync, statSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { ENGINES, ensureDisplay, exitWith } from './browser/engines.mjs';

const targets = process.argv.slice(2);
if (!targets.length) { console.error('usage: node tests/run-engines.mjs DIR|FILE…'); process.exit(2); }

ensureDisplay();

const files = targets.flatMap((t) => (statSync(t).isDirectory()
  ? readdirSync(t).filter((f) => f.endsWith('.test.mjs')).sort().map((f) => resolve(join(t, f)))
  : [resolve(t)]));

let failedAny = false;
for (const engine of ENGINES) {
  console.log(`== ${targets.join(' ')} in ${engine}`);
  process.env.PORTAL_ENGINE = engine;
  const started = Date.now();
  // node:test's own totals (its closing diagnostics): a file that crashed or whose hooks failed
  // is among the failures; cancelled tests count as failed.
  const totals = {};
  const stream = run({ files, concurrency: 1 });
  stream.on('test:diagnostic', (e) => {
    const m = /^(tests|pass|fail|cancelled|skipped|todo) (\d+)$/.exec(e.message);
    if (m && e.nesting === 0) totals[m[1]] = Number(m[2]);
  });
  await new Promise((resolveDone, reject) => {
    const out = stream.compose(spec);
    out.on('data', (chunk) => process.stdout.write(chunk));
    out.on('end', resolveDone);
    out.on('error', reject);
  });
  const passed = totals.pass ?? 0;
  const failed = (totals.fail ?? 0) + (totals.cancelled ?? 0);
  const seconds = Math.round((Date.now() - started) / 1000);
  console.log(`${engine}: ${passed} passed, ${failed} failed`);
  console.log(`== ${engine} took ${seconds} s`);
  if (failed > 0 || passed === 0) failedAny = true;
}
exitWith(failedAny ? 1 : 0);
