// The error catalogue (spec/errors.json) is the one list of codes: the generated files match it,
// every code the project's sources raise, handle or translate is in it, every entry is used, the
// shell has a sentence in every language for the codes it words itself, and the emulator has a
// localized message for every code it sends.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { outputs, constantName } from '../../scripts/generate.mjs';
import { message } from '../../emulator/i18n.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const { codes } = JSON.parse(readFileSync(join(ROOT, 'spec/errors.json'), 'utf8'));
const known = new Set(codes.map((c) => c.code));
const { locales: LOCALES } = JSON.parse(readFileSync(join(ROOT, 'spec/operations.json'), 'utf8'));

// Source files that raise, handle or word error codes (generated files excluded: they are
// checked against the catalogue by construction).
const SOURCES = ['src', 'wasm', 'emulator', 'web'];
const GENERATED = new Set(['src/common/error_codes.hpp', 'web/portal-client.d.ts']);
function files(dir) {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    if (statSync(join(ROOT, path)).isDirectory()) return files(path);
    return /\.(cpp|hpp|js|mjs)$/.test(name) && !GENERATED.has(path) ? [path] : [];
  });
}
const CODE = /["'`](?:error\.)?((?:CLIENT|SECURE_CHANNEL|AUTH|WORKSPACE|SECURITY|PORTAL)\.[A-Z][A-Z0-9_]*)["'`]/g;
const used = new Map();  // code → first file naming it
for (const path of SOURCES.flatMap(files)) {
  const text = readFileSync(join(ROOT, path), 'utf8');
  for (const [, code] of text.matchAll(CODE)) if (!used.has(code)) used.set(code, path);
  // C++ names a code through its generated constant (src/common/error_codes.hpp) too.
  for (const { code } of codes) if (!used.has(code) && new RegExp(`\\b${constantName(code)}\\b`).test(text)) used.set(code, path);
}

test('the generated files are up to date with spec/errors.json', () => {
  for (const [path, text] of Object.entries(outputs())) {
    assert.equal(readFileSync(join(ROOT, path), 'utf8'), text, `${path} is stale: run node scripts/generate.mjs`);
  }
});

test('the catalogue is well formed: unique codes, known kinds and origins, statuses only for server codes', () => {
  assert.equal(known.size, codes.length, 'duplicate codes');
  for (const c of codes) {
    assert.ok(['caller', 'order', 'protocol', 'auth', 'server', 'transport'].includes(c.kind), `${c.code}: kind ${c.kind}`);
    assert.ok(['server', 'client', 'both'].includes(c.origin), `${c.code}: origin ${c.origin}`);
    assert.equal(Number.isInteger(c.status), c.origin !== 'client', `${c.code}: status ${c.status}`);
    assert.equal(typeof c.meaning, 'string');
    assert.equal(typeof c.shell, 'boolean');
  }
});

test('every code named in src/, wasm/, web/ and emulator/ is in the catalogue', () => {
  const unknown = [...used].filter(([code]) => !known.has(code)).map(([code, path]) => `${code} (${path})`);
  assert.deepEqual(unknown, []);
});

test('every dotted code of the catalogue is used somewhere', () => {
  const dead = codes.map((c) => c.code).filter((code) => code.includes('.') && !used.has(code));
  assert.deepEqual(dead, []);
});

test('the shell words every code marked shell, in every language, and words no unknown code', async () => {
  for (const locale of LOCALES) {
    const catalogue = (await import(`../../web/shell/i18n/${locale}.js`)).default;
    const missing = codes.filter((c) => c.shell && !(`error.${c.code}` in catalogue)).map((c) => c.code);
    assert.deepEqual(missing, [], `${locale} lacks error.<code> for these`);
    const extra = Object.keys(catalogue).filter((k) => /^error\.[A-Z0-9]/.test(k) && !known.has(k.slice(6)));
    assert.deepEqual(extra, [], `${locale} words codes the catalogue does not know`);
  }
});

test('the emulator has its own localized message for every code it sends', () => {
  const fallback = message('5000', 'en');
  const generic = codes.filter((c) => c.origin !== 'client' && c.code !== '5000' && message(c.code, 'en') === fallback);
  assert.deepEqual(generic.map((c) => c.code), []);
});

test('the JS API raises its own codes with the catalogue kind (every clientError code is in ERROR_KINDS)', () => {
  const js = readFileSync(join(ROOT, 'web/portal-client.js'), 'utf8');
  const kinds = Object.fromEntries([...js.match(/const ERROR_KINDS = \{([^}]*)\}/)[1].matchAll(/'([^']+)': '([^']+)'/g)].map((m) => [m[1], m[2]]));
  const raised = [...js.matchAll(/clientError\('([^']+)'/g)].map((m) => m[1]);
  assert.ok(raised.length >= 4);
  for (const code of raised) assert.equal(kinds[code], codes.find((c) => c.code === code)?.kind, code);
  assert.doesNotMatch(js, /clientError\([^)]*,[^)]*,/, 'a kind passed by hand');
});

test('the core and its bindings spell no code of their own as a string: they name the generated constants', () => {
  const spelled = ['src', 'wasm'].flatMap(files).flatMap((path) =>
    readFileSync(join(ROOT, path), 'utf8').split('\n').flatMap((line, i) => {
      const code = line.split('//')[0];
      return [...code.matchAll(/"((?:CLIENT|SECURE_CHANNEL)\.[A-Z][A-Z0-9_]*)"/g)].map(([, c]) => `${path}:${i + 1} ${c}`);
    }));
  assert.deepEqual(spelled, []);
});
