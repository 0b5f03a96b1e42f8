// Static files for the shell and the built module, same origin as the API (docs/api.md §10).

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8', '.webmanifest': 'application/manifest+json',
};

/** Parses "--mount /prefix=dir" values into [{prefix, dir}], longest prefix first. */
export function normalizeMounts(mounts, baseDir) {
  return mounts.map(({ prefix, dir }) => {
    const p = `/${prefix.replace(/^\/+|\/+$/g, '')}`;
    return { prefix: p === '/' ? '/' : `${p}/`, dir: path.resolve(baseDir, dir) };
  }).sort((a, b) => b.prefix.length - a.prefix.length);
}

function plain(res, status, text, extra = {}) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store', ...extra });
  res.end(text);
}

// Compression (issue 14): text, JSON, SVG and wasm go out as brotli or gzip by Accept-Encoding,
// the compressed bytes cached per file, size and mtime (a changed file is compressed afresh).
// Brotli at its best quality costs ~1 s of CPU on the 160 KiB wasm, once: files over 64 KiB get
// quality 5 (within 10% of the size, 30× faster). Files under MIN_COMPRESS bytes go out as they are.
const COMPRESSIBLE = /^(text\/|application\/(json|wasm|manifest\+json)|image\/svg\+xml)/;
const MIN_COMPRESS = 512;
const MAX_CACHED = 8 * 1024 * 1024;
const BIG = 64 * 1024;
const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);
const cache = new Map();  // file → { key, etag, body, encoded: Map(coding → Promise<Buffer>) }

function entryOf(file, stat) {
  const key = `${stat.size}:${stat.mtimeMs}`;
  let entry = cache.get(file);
  if (entry?.key !== key) {
    const body = fs.readFileSync(file);
    // Weak: one validator for every content coding of the same bytes (RFC 9110 §8.8.3).
    const etag = `W/"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    entry = { key, etag, body, encoded: new Map() };
    cache.set(file, entry);
  }
  return entry;
}

function encode(entry, coding, type) {
  let promise = entry.encoded.get(coding);
  if (!promise) {
    const { body } = entry;
    promise = coding === 'br'
      ? brotli(body, { params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: body.length > BIG ? 5 : zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_MODE]: type.startsWith('text/') ? zlib.constants.BROTLI_MODE_TEXT : zlib.constants.BROTLI_MODE_GENERIC,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } })
      : gzip(body, { level: 9 });
    entry.encoded.set(coding, promise);
    promise.catch(() => entry.encoded.delete(coding));
  }
  return promise;
}

/** The content coding to send for an Accept-Encoding value: 'br', 'gzip' or null (identity). */
export function negotiateEncoding(header) {
  if (typeof header !== 'string' || !header.trim()) return null;
  const q = new Map();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';').map((x) => x.trim());
    if (!name) continue;
    const qParam = params.find((p) => p.startsWith('q='));
    const value = qParam ? Number(qParam.slice(2)) : 1;
    q.set(name, Number.isFinite(value) ? value : 0);
  }
  const weight = (coding) => q.get(coding) ?? (coding === 'gzip' && q.has('x-gzip') ? q.get('x-gzip') : q.get('*')) ?? 0;
  const best = ['br', 'gzip'].filter((c) => weight(c) > 0).sort((a, b) => weight(b) - weight(a));
  return best[0] ?? null;
}

// RFC 9110 §13.1.2: If-None-Match (weak comparison) wins over If-Modified-Since.
function notModified(req, etag, mtimeMs) {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) {
    const bare = (tag) => tag.trim().replace(/^W\//, '');
    return inm.trim() === '*' || inm.split(',').some((tag) => bare(tag) === bare(etag));
  }
  const ims = Date.parse(req.headers['if-modified-since'] ?? '');
  return Number.isFinite(ims) && Math.floor(mtimeMs / 1000) * 1000 <= ims;
}

/**
 * Serves GET/HEAD `urlPath` from the first mount whose prefix matches. Static files are
 * revalidated (`Cache-Control: no-cache` with an ETag and Last-Modified: 304 when unchanged) and
 * compressed by Accept-Encoding (`Vary: Accept-Encoding`); the API's own answers stay no-store.
 */
export async function serveStatic(req, res, urlPath, mounts) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'Method not allowed\n', { Allow: 'GET, HEAD' });
  const mount = mounts.find((m) => urlPath === m.prefix.slice(0, -1) || urlPath.startsWith(m.prefix));
  if (!mount) return plain(res, 404, `Not found: ${urlPath}\n`);
  if (urlPath === mount.prefix.slice(0, -1) && mount.prefix !== '/') {
    res.writeHead(301, { Location: mount.prefix }); return res.end();
  }
  let rel;
  try { rel = decodeURIComponent(urlPath.slice(mount.prefix.length)); } catch { return plain(res, 400, 'Bad path\n'); }
  if (rel.includes('\0') || rel.split(/[\\/]/).includes('..')) return plain(res, 400, 'Bad path\n');
  if (!fs.existsSync(mount.dir)) {
    return plain(res, 404, `Not found: ${urlPath}\nThe directory ${mount.dir} served at ${mount.prefix} does not exist (not built yet?).\n`);
  }
  let file = path.join(mount.dir, rel);
  if (!file.startsWith(mount.dir)) return plain(res, 400, 'Bad path\n');
  let stat = fs.statSync(file, { throwIfNoEntry: false });
  if (stat?.isDirectory()) {
    if (!urlPath.endsWith('/')) { res.writeHead(301, { Location: `${urlPath}/` }); return res.end(); }
    file = path.join(file, 'index.html');
    stat = fs.statSync(file, { throwIfNoEntry: false });
  }
  if (!stat?.isFile()) return plain(res, 404, `Not found: ${urlPath}\n`);
  const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
  const headers = { 'Content-Type': type, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache', 'Last-Modified': stat.mtime.toUTCString() };
  if (type.startsWith('text/html')) Object.assign(headers, { 'Content-Security-Policy': CSP, 'X-Frame-Options': 'DENY', 'Referrer-Policy': 'no-referrer' });
  if (stat.size > MAX_CACHED) {  // too big to hold in memory: streamed as it is, validated by mtime
    headers['Content-Length'] = stat.size;
    if (req.headers['if-none-match'] === undefined && notModified(req, null, stat.mtimeMs)) return notModifiedReply(res, headers);
    res.writeHead(200, headers);
    if (req.method === 'HEAD') return res.end();
    return fs.createReadStream(file).on('error', () => res.destroy()).pipe(res);
  }
  const entry = entryOf(file, stat);
  headers.ETag = entry.etag;
  const compressible = COMPRESSIBLE.test(type) && entry.body.length >= MIN_COMPRESS;
  if (compressible) headers.Vary = 'Accept-Encoding';
  if (notModified(req, entry.etag, stat.mtimeMs)) return notModifiedReply(res, headers);
  let body = entry.body;
  const coding = compressible ? negotiateEncoding(req.headers['accept-encoding']) : null;
  if (coding) {
    const encoded = await encode(entry, coding, type);
    if (encoded.length < body.length) {
      body = encoded;
      headers['Content-Encoding'] = coding;
    }
  }
  headers['Content-Length'] = body.length;
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

function notModifiedReply(res, headers) {
  const { 'Content-Type': _type, 'Content-Length': _length, ...rest } = headers;
  res.writeHead(304, rest);
  res.end();
}
