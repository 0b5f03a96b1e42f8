// Sizes of a dist directory: every file raw and gzip (level 9), then what a page downloads
// (portal-client.js + portal-core.wasm) against the budget in size-budget.json. Run by the build
// (prints only) and by tests/size/ (which fails past the budget).
//   node scripts/sizes.mjs <dist> [--check]   --check: exit 1 when a budget is exceeded
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const ROOT = resolve(import.meta.dirname, '..');
/** The files a page downloads from dist/ (the .d.ts, README and licences are never fetched). */
export const DOWNLOADED = ['portal-client.js', 'portal-core.wasm'];

export const gzipBytes = (path) => gzipSync(readFileSync(path), { level: 9 }).length;

/** {'portal-client.js': gzip bytes, 'portal-core.wasm': …, total} of `dir`. */
export function downloadedSizes(dir) {
  const sizes = Object.fromEntries(DOWNLOADED.map((name) => [name, gzipBytes(join(dir, name))]));
  sizes.total = DOWNLOADED.reduce((sum, name) => sum + sizes[name], 0);
  return sizes;
}

/** The budget (gzip bytes per file and in total) recorded in size-budget.json. */
export function readBudget() {
  return JSON.parse(readFileSync(join(ROOT, 'size-budget.json'), 'utf8')).gzipBytes;
}

/** Lines of "name: N over the budget of M", empty when within budget. */
export function overBudget(sizes, budget) {
  return Object.keys(budget).filter((name) => sizes[name] > budget[name])
    .map((name) => `${name}: ${sizes[name]} B gzip, over the budget of ${budget[name]} B (size-budget.json)`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  let raw = 0, gz = 0;
  const kib = (n) => (n / 1024).toFixed(1).padStart(7) + ' KiB';
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (!statSync(path).isFile()) continue;
    const bytes = readFileSync(path);
    const zipped = gzipSync(bytes, { level: 9 }).length;
    raw += bytes.length; gz += zipped;
    console.log(`${name.padEnd(24)} ${kib(bytes.length)} raw ${kib(zipped)} gzip`);
  }
  console.log(`${'total'.padEnd(24)} ${kib(raw)} raw ${kib(gz)} gzip`);
  const sizes = downloadedSizes(dir);
  const budget = readBudget();
  console.log(`${'downloaded (gzip)'.padEnd(24)} ${sizes.total} B of a ${budget.total} B budget (size-budget.json)`);
  const over = overBudget(sizes, budget);
  for (const line of over) console.log(`OVER BUDGET: ${line}`);
  if (over.length && process.argv.includes('--check')) process.exit(1);
}
