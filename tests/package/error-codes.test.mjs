// The PortalErrorCode union of the declarations lists every code the module can reject with,
// and nothing else: the codes the C++ core and the JS module write as literals, plus every code
// the API answers (the emulator's table, docs/api.md §8). A new code anywhere fails this test
// until it is added to web/portal-client.d.ts (and the README's error table).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { HTTP_STATUS } from '../../emulator/errors.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const read = (path) => readFileSync(join(ROOT, path), 'utf8');

function sourceFiles(dir) {
  return readdirSync(join(ROOT, dir), { recursive: true }).map(String)
    .filter((file) => /\.(cpp|hpp)$/.test(file)).map((file) => join(dir, file));
}

// Literals like "CLIENT.NETWORK" or 'CLIENT.DISPOSED' (a bare "CLIENT." prefix is a check, not a code).
const CODE = /["']((?:CLIENT|SECURE_CHANNEL|AUTH|PORTAL|WORKSPACE|SECURITY)\.[A-Z0-9_]+)["']/g;
const literals = (text) => [...text.matchAll(CODE)].map((m) => m[1]);

function knownCodes() {
  const codes = new Set(Object.keys(HTTP_STATUS));                       // what the API answers
  for (const file of [...sourceFiles('src'), 'wasm/bindings.cpp']) for (const c of literals(read(file))) codes.add(c);
  for (const c of literals(read('web/portal-client.js'))) codes.add(c);
  return codes;
}

// The string literals of a `export type Name = | '…' | Other` union, following named unions.
function unionCodes(dts, name, seen = new Set()) {
  const m = new RegExp(`export type ${name} =([^;]*);`).exec(dts);
  assert.ok(m, `web/portal-client.d.ts declares no ${name}`);
  const out = new Set([...m[1].matchAll(/'([^']+)'/g)].map((x) => x[1]));
  for (const [, ref] of m[1].matchAll(/\|\s*([A-Z]\w+)/g)) {
    if (seen.has(ref)) continue;
    seen.add(ref);
    for (const c of unionCodes(dts, ref, seen)) out.add(c);
  }
  return out;
}

test('PortalErrorCode lists exactly the codes the core, the JS module and the API know', () => {
  const dts = read('web/portal-client.d.ts');
  const declared = unionCodes(dts, 'PortalErrorCode');
  const known = knownCodes();
  const missing = [...known].filter((c) => !declared.has(c)).sort();
  const unknown = [...declared].filter((c) => !known.has(c)).sort();
  assert.deepEqual({ missing, unknown }, { missing: [], unknown: [] },
    'add the missing codes to PortalErrorCode in web/portal-client.d.ts; drop the ones nothing produces');
  assert.match(dts, /readonly code: PortalErrorCode;/, 'PortalError.code is typed with the union');
});

test('the README error tables name the codes a developer must act on', () => {
  for (const file of ['README.md', 'web/README.md']) {
    const text = read(file);
    for (const code of ['PORTAL.ACCESS_CODE_INVALID', 'CLIENT.CORS_BLOCKED', 'CLIENT.NETWORK', '4010', 'CLIENT.LOAD_FAILED']) {
      assert.ok(text.includes(`\`${code}\``), `${file} does not mention ${code}`);
    }
  }
});
