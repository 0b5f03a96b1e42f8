// Static files for the shell and the built module, same origin as the API (docs/api.md §10).

import fs from 'node:fs';
import path from 'node:path';

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

/** Serves GET/HEAD `urlPath` from the first mount whose prefix matches. */
export function serveStatic(req, res, urlPath, mounts) {
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
  const headers = { 'Content-Type': type, 'Content-Length': stat.size, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' };
  if (type.startsWith('text/html')) Object.assign(headers, { 'Content-Security-Policy': CSP, 'X-Frame-Options': 'DENY', 'Referrer-Policy': 'no-referrer' });
  res.writeHead(200, headers);
  if (req.method === 'HEAD') return res.end();
  fs.createReadStream(file).on('error', () => res.destroy()).pipe(res);
}
