// Static files, issue 14: compression by Accept-Encoding (brotli, gzip), validators (ETag,
// Last-Modified → 304) and Cache-Control: no-cache, while the API stays no-store.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { negotiateEncoding } from '../../emulator/static.mjs';
import { start } from './helpers.mjs';

let emu;
let tmp;
// Compressible and big enough to compress: 20 KiB of text with some variety.
const SCRIPT = Array.from({ length: 400 }, (_, i) => `export const value${i} = ${JSON.stringify(`text number ${i * 7919 % 1000}`)};`).join('\n');
const WASM = Buffer.concat([Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), Buffer.alloc(4096, 0x2a)]);
const PNG = Buffer.alloc(4096, 7);  // not a compressible type: sent as it is

before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'emu-static-'));
  fs.writeFileSync(path.join(tmp, 'index.html'), `<!doctype html><title>shell</title>${'<p>paragraph</p>'.repeat(100)}`);
  fs.writeFileSync(path.join(tmp, 'big.js'), SCRIPT);
  fs.writeFileSync(path.join(tmp, 'tiny.js'), 'export {};');
  fs.writeFileSync(path.join(tmp, 'mod.wasm'), WASM);
  fs.writeFileSync(path.join(tmp, 'image.png'), PNG);
  emu = await start({ mounts: [{ prefix: '/', dir: tmp }] });
});
after(async () => { await emu.close(); fs.rmSync(tmp, { recursive: true, force: true }); });

/** Raw HTTP: no automatic Accept-Encoding or decompression, the body as bytes. */
function get(pathname, headers = {}, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = http.request(`${emu.url}${pathname}`, { method, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

test('Accept-Encoding: br preferred, gzip next, identity otherwise; q-values honoured', () => {
  assert.equal(negotiateEncoding('gzip, deflate, br, zstd'), 'br');
  assert.equal(negotiateEncoding('gzip, deflate'), 'gzip');
  assert.equal(negotiateEncoding('br;q=0, gzip'), 'gzip');
  assert.equal(negotiateEncoding('gzip;q=0.9, br;q=0.5'), 'gzip');
  assert.equal(negotiateEncoding('*'), 'br');
  assert.equal(negotiateEncoding('*;q=0'), null);
  assert.equal(negotiateEncoding('identity'), null);
  assert.equal(negotiateEncoding('deflate'), null);
  assert.equal(negotiateEncoding(''), null);
  assert.equal(negotiateEncoding(undefined), null);
});

test('brotli and gzip bodies decompress to the file; Vary: Accept-Encoding; no-cache with validators', async () => {
  for (const [file, bytes] of [['big.js', Buffer.from(SCRIPT)], ['mod.wasm', WASM]]) {
    const br = await get(`/${file}`, { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(br.status, 200);
    assert.equal(br.headers['content-encoding'], 'br', file);
    assert.equal(br.headers.vary, 'Accept-Encoding');
    assert.equal(Number(br.headers['content-length']), br.body.length);
    assert.ok(br.body.length < bytes.length, `${file}: ${br.body.length} compressed bytes of ${bytes.length}`);
    assert.deepEqual(zlib.brotliDecompressSync(br.body), bytes);

    const gz = await get(`/${file}`, { 'accept-encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip', file);
    assert.equal(gz.headers.vary, 'Accept-Encoding');
    assert.deepEqual(zlib.gunzipSync(gz.body), bytes);

    const plain = await get(`/${file}`);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.headers.vary, 'Accept-Encoding');
    assert.deepEqual(plain.body, bytes);

    for (const r of [br, gz, plain]) {
      assert.equal(r.headers['cache-control'], 'no-cache');
      assert.match(r.headers.etag, /^W\/"[\w-]+"$/);
      assert.equal(r.headers['last-modified'], fs.statSync(path.join(tmp, file)).mtime.toUTCString());
      assert.equal(r.headers['x-content-type-options'], 'nosniff');
    }
    assert.equal(br.headers.etag, plain.headers.etag, 'one validator for every coding of the same bytes');
  }
  const html = await get('/', { 'accept-encoding': 'br' });
  assert.equal(html.headers['content-encoding'], 'br');
  assert.ok(html.headers['content-security-policy']);
  assert.match(zlib.brotliDecompressSync(html.body).toString(), /<title>shell<\/title>/);
  const head = await get('/big.js', { 'accept-encoding': 'gzip' }, 'HEAD');
  assert.equal(head.headers['content-encoding'], 'gzip');
  assert.equal(head.body.length, 0);
});

test('tiny files and incompressible types are sent as they are', async () => {
  const tiny = await get('/tiny.js', { 'accept-encoding': 'br, gzip' });
  assert.equal(tiny.headers['content-encoding'], undefined);
  assert.equal(tiny.body.toString(), 'export {};');
  const png = await get('/image.png', { 'accept-encoding': 'br, gzip' });
  assert.equal(png.headers['content-encoding'], undefined);
  assert.equal(png.headers.vary, undefined);
  assert.deepEqual(png.body, PNG);
  assert.equal(png.headers['cache-control'], 'no-cache');
  assert.ok(png.headers.etag);
});

test('ETag → 304 on If-None-Match; Last-Modified → 304 on If-Modified-Since; a changed file → 200', async () => {
  const first = await get('/big.js', { 'accept-encoding': 'br' });
  const { etag } = first.headers;
  const lastModified = first.headers['last-modified'];

  const again = await get('/big.js', { 'accept-encoding': 'br', 'if-none-match': etag });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
  assert.equal(again.headers.etag, etag);
  assert.equal(again.headers['cache-control'], 'no-cache');
  assert.equal(again.headers.vary, 'Accept-Encoding');
  // Weak comparison: the strong form of the same tag, and a list holding it, match too.
  assert.equal((await get('/big.js', { 'if-none-match': etag.replace(/^W\//, '') })).status, 304);
  assert.equal((await get('/big.js', { 'if-none-match': `"other", ${etag}` })).status, 304);
  assert.equal((await get('/big.js', { 'if-none-match': '"other"' })).status, 200);

  assert.equal((await get('/big.js', { 'if-modified-since': lastModified })).status, 304);
  const earlier = new Date(Date.parse(lastModified) - 60_000).toUTCString();
  assert.equal((await get('/big.js', { 'if-modified-since': earlier })).status, 200);
  // If-None-Match decides when both are sent.
  assert.equal((await get('/big.js', { 'if-none-match': '"other"', 'if-modified-since': lastModified })).status, 200);

  // A new version of the file: new validator, fresh compressed bytes.
  const changed = `${SCRIPT}\nexport const added = 'a change';\n`;
  fs.writeFileSync(path.join(tmp, 'big.js'), changed);
  const future = new Date(Date.now() + 120_000);
  fs.utimesSync(path.join(tmp, 'big.js'), future, future);
  const after = await get('/big.js', { 'accept-encoding': 'br', 'if-none-match': etag });
  assert.equal(after.status, 200);
  assert.notEqual(after.headers.etag, etag);
  assert.equal(zlib.brotliDecompressSync(after.body).toString(), changed);
});

test('API answers and static errors stay no-store and uncompressed', async () => {
  const api = await get('/web/v1/system/auth/login/initiate', { 'accept-encoding': 'br, gzip' });
  assert.equal(api.headers['cache-control'], 'no-store');
  assert.equal(api.headers['content-encoding'], undefined);
  assert.equal(api.headers.etag, undefined);
  const missing = await get('/nope.js', { 'accept-encoding': 'br' });
  assert.equal(missing.status, 404);
  assert.equal(missing.headers['cache-control'], 'no-store');
});

test('GET /__dev/static-log: each static file served with its validator, status and coding; stats/reset clears it', async () => {
  const log = async () => (await (await fetch(`${emu.url}/__dev/static-log`)).json()).data;
  await fetch(`${emu.url}/__dev/stats/reset`, { method: 'POST' });
  const first = await get('/big.js', { 'accept-encoding': 'br' });
  const again = await get('/big.js', { 'if-none-match': first.headers.etag });
  assert.equal(again.status, 304);
  await get('/image.png', { 'accept-encoding': 'br' });
  await get('/missing.js');
  await get('/web/v1/system/nothing');  // the API is not a static file
  const entries = await log();
  assert.deepEqual(entries.slice(0, 2), [
    { method: 'GET', path: '/big.js', ifNoneMatch: null, status: 200, contentEncoding: 'br', etag: first.headers.etag, bytes: first.body.length },
    { method: 'GET', path: '/big.js', ifNoneMatch: first.headers.etag, status: 304, contentEncoding: null, etag: first.headers.etag, bytes: 0 },
  ]);
  assert.deepEqual(entries.slice(2).map((e) => [e.path, e.status, e.contentEncoding, e.bytes > 0 || e.status !== 200]),
    [['/image.png', 200, null, true], ['/missing.js', 404, null, true]]);
  await fetch(`${emu.url}/__dev/stats/reset`, { method: 'POST' });
  assert.deepEqual(await log(), []);
});
