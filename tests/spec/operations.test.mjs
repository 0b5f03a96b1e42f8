// The public surface (spec/operations.json): the generated files match it, and the hand-written
// TypeScript declarations (web/portal-client.d.ts, which carries the API's documentation) declare
// exactly its operations, with its argument names, and exactly its events.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { outputs } from '../../scripts/generate.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const { operations, events } = JSON.parse(readFileSync(join(ROOT, 'spec/operations.json'), 'utf8'));
const dts = readFileSync(join(ROOT, 'web/portal-client.d.ts'), 'utf8');

/** The members of `export class|interface <name> { … }` in the .d.ts: name → its declaration text. */
function members(name) {
  const start = dts.search(new RegExp(`export (?:declare )?(?:class|interface) ${name}\\b[^{]*\\{`));
  assert.ok(start >= 0, `${name} is not declared in the .d.ts`);
  const body = dts.slice(dts.indexOf('{', start) + 1, dts.indexOf('\n}', start));
  const out = new Map();
  // Doc comments are dropped first; then each member starts a line at two spaces of indentation.
  for (const [, member, rest] of body.replace(/\/\*\*[\s\S]*?\*\//g, '').matchAll(/^ {2}(?:readonly |get )?(\w+)(.*)$/gm)) out.set(member, rest);
  return out;
}

test('generated from spec/operations.json: the op table and the JS tables are up to date', () => {
  for (const path of ['src/flows/op_table.inc', 'web/portal-client.js']) {
    assert.equal(readFileSync(join(ROOT, path), 'utf8'), outputs()[path], `${path} is stale: run node scripts/generate.mjs`);
  }
});

test('the declaration is well formed', () => {
  const names = operations.map((op) => op.name);
  assert.equal(new Set(names).size, names.length, 'duplicate operation');
  for (const op of operations) {
    assert.match(op.name, /^[a-z][A-Za-z]*$/);
    assert.ok(['Any', 'NotSignedIn', 'SignInPending', 'RegistrationPending', 'ResetPending', 'SignedIn'].includes(op.needs), `${op.name}: needs ${op.needs}`);
    for (const [arg, type] of Object.entries(op.args)) {
      assert.match(type, /^(string|boolean|null|string\[\])(\|(string|boolean|null))*\??$/, `${op.name}.${arg}: type ${type}`);
    }
    if (op.positional) assert.ok(op.positional.arg in op.args, `${op.name}: positional argument is not an argument`);
  }
});

test('the .d.ts declares every operation with its argument names, and no other method', () => {
  const declared = members('PortalClient');
  const NOT_OPERATIONS = ['portal', 'clientHash', 'authState', 'route', 'on', 'onAuthStateChange', 'setLocale', 'dispose'];
  for (const op of operations) {
    assert.ok(declared.has(op.name), `.d.ts lacks ${op.name}`);
    let signature = declared.get(op.name);
    const named = signature.match(/\bargs\??: ([A-Z]\w*)/);  // arguments declared as a named type
    if (named) signature = [...members(named[1])].map(([name, rest]) => name + rest).join('\n');
    for (const arg of Object.keys(op.args)) assert.match(signature, new RegExp(`\\b${arg}\\??:`), `.d.ts ${op.name} lacks argument ${arg}`);
  }
  const extra = [...declared.keys()].filter((m) => !operations.some((op) => op.name === m) && !NOT_OPERATIONS.includes(m));
  assert.deepEqual(extra, [], 'methods the declaration does not know');
});

test('the .d.ts declares exactly the events', () => {
  assert.deepEqual([...members('PortalClientEvents').keys()].sort(), events.map((e) => e.name).sort());
});
