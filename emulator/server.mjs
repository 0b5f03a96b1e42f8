#!/usr/bin/env node
// Portal emulator: a dev server that speaks the portal API of all three portals (docs/api.md),
// secure channel included, and serves the shell and the built module from the same origin.
//
//   node emulator/server.mjs [--port 8080] [--secure-channel=off] [--mount /prefix=dir] …
//   import { startEmulator } from './emulator/server.mjs';
//   const emu = await startEmulator({ port: 0 });   // → { url, close(), state, … }
//
// Request pipeline for /web/v1/… (the order is part of the contract, docs/api.md §4):
//   size → route (404/405) → [dev fault] → channel (when X-Secure-Channel-Session-Id is sent)
//   → access code → X-Client-Hash → SECURE_CHANNEL.REQUIRED → JWT → IP whitelist → body
//   validation → rate limit → handler. Once an encrypted body opened, every answer is sealed.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Clock } from './clock.mjs';
import { ApiError } from './errors.mjs';
import { fieldMessage, message, negotiateLanguage } from './i18n.mjs';
import { matchRoute } from './routes.mjs';
import { RateLimiter, LIMITS } from './ratelimit.mjs';
import { BREAKS, SecureChannelServer } from './secure-channel.mjs';
import { TokenService } from './sessions.mjs';
import { PORTAL_DOMAIN, PORTALS, SEED_OTP_SECRET, SEED_PASSWORD, State } from './state.mjs';
import { normalizeMounts, serveStatic } from './static.mjs';
import { Faults, Stats, handleDev } from './dev.mjs';
import { assertIpAllowed } from './api/auth.mjs';
import { NO_CONTENT } from './api/shared.mjs';
import { parseBody, parseIp } from './validate.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BODY_LIMIT = 64 * 1024;
const DRAIN_LIMIT = 16 * 1024 * 1024;
const CLIENT_HASH = /^[0-9a-f]{64}$/;
// The shell as scripts/build writes it, the built module, and the shell's QR library (an npm ES
// module, kept out of dist/). `--mount /=web/shell` serves the shell's source instead.
export const SHELL_DIR = 'build/shell';  // where scripts/build-shell.mjs writes the shell
const DEFAULT_MOUNTS = [
  { prefix: '/', dir: SHELL_DIR }, { prefix: '/dist', dir: 'dist' }, { prefix: '/vendor/lean-qr', dir: 'node_modules/lean-qr' },
];

export const DEFAULTS = Object.freeze({
  host: '127.0.0.1', port: 8080, secureChannel: 'required',
  accessTokenTtl: 900, refreshTokenTtl: 1209600, loginSessionTtl: 300, channelSessionTtl: 1800, keyGrace: 300,
  devEndpoints: true, importFile: null, exportFile: null, mounts: null, quiet: true, breaks: [],
});

class Reply {
  constructor(status, body, headers = {}) { Object.assign(this, { status, body, headers }); }
}

function envelopeOf(err, lang) {
  const body = { success: false, code: err.code, message: message(err.code, lang), data: err.data ?? null };
  if (err.fieldErrors) body.fieldErrors = err.fieldErrors.map((f) => ({ ...f, message: fieldMessage(f.code, lang) }));
  return new Reply(err.status, body, err.retryAfter ? { 'Retry-After': String(err.retryAfter) } : {});
}

function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    let total = 0;
    req.on('data', (c) => {
      total += c.length;
      if (total <= BODY_LIMIT) chunks.push(c);
      else if (total > DRAIN_LIMIT) req.destroy();
    });
    req.on('end', () => resolve({ text: Buffer.concat(chunks).toString('utf8'), tooLarge: total > BODY_LIMIT }));
    req.on('error', () => resolve({ text: '', tooLarge: total > BODY_LIMIT, broken: true }));
  });
}

/**
 * Starts the emulator. Options (all optional): host, port (0 = any), accessCodes
 * {system, tenant, consumer}, secureChannel 'required'|'off', accessTokenTtl, refreshTokenTtl,
 * loginSessionTtl, channelSessionTtl, keyGrace (seconds), devEndpoints, mounts
 * [{prefix, dir}], importFile, exportFile, randomBytes (secure-channel randomness), quiet,
 * breaks (test only: names of secure-channel.mjs BREAKS, spec violations for the conformance tests).
 * Resolves to {url, close(), state, channel, clock, stats, faults, config}.
 */
export async function startEmulator(options = {}) {
  const config = { ...DEFAULTS, ...options };
  const breaks = new Set(config.breaks);
  for (const b of breaks) if (!(b in BREAKS)) throw new Error(`unknown break ${b}`);
  config.accessCodes = {
    system: process.env.PORTAL_CODE_SYSTEM || 'dev-system-code',
    tenant: process.env.PORTAL_CODE_TENANT || 'dev-tenant-code',
    consumer: process.env.PORTAL_CODE_CONSUMER || 'dev-consumer-code',
    ...options.accessCodes,
  };
  config.loginSessionTtlMs = config.loginSessionTtl * 1000;
  const mounts = normalizeMounts(config.mounts ?? DEFAULT_MOUNTS, ROOT);

  const clock = new Clock();
  const state = new State(clock);
  if (config.importFile) state.load(JSON.parse(fs.readFileSync(config.importFile, 'utf8')));
  const tokens = new TokenService(state, { accessTtlMs: config.accessTokenTtl * 1000, refreshTtlMs: config.refreshTokenTtl * 1000 });
  const limiter = new RateLimiter(state);
  const channel = new SecureChannelServer({ now: () => clock.now(), sessionTtlMs: config.channelSessionTtl * 1000, keyGraceMs: config.keyGrace * 1000, breaks, ...(options.randomBytes ? { randomBytes: options.randomBytes } : {}) });
  channel.addKey();
  const stats = new Stats();
  const faults = new Faults();
  const emu = { state, channel, clock, stats, faults, config, tokens };
  const portalOfCode = (code) => PORTALS.find((p) => config.accessCodes[p] === code) ?? null;

  function clientIpOf(req) {
    const forced = req.headers['x-emulator-client-ip'];
    if (config.devEndpoints && typeof forced === 'string' && parseIp(forced)) return forced;
    const addr = req.socket.remoteAddress ?? '';
    return addr.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');
  }

  function send(res, reply, { lang, sealWith, truncated } = {}) {
    const body = reply.body;
    stats.code(body?.code ?? (body?.status === 204 ? '2000' : String(reply.status)));
    const wire = sealWith ? sealWith(reply.status, JSON.stringify(body)) : body;
    const text = JSON.stringify(wire);
    res.writeHead(reply.status, {
      'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text),
      'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...(lang ? { 'Content-Language': lang } : {}),
      // The emulator's own clock (moved by /__dev/clock), as a real server's Date would be.
      Date: new Date(clock.now()).toUTCString(), ...reply.headers,
    });
    if (truncated) {
      res.write(text.slice(0, Math.floor(text.length / 2)));
      setImmediate(() => res.socket?.destroy());
      return;
    }
    res.end(text);
  }

  /** Checks shared by every API call after the channel: access code, then client hash. */
  function portalHeaders(req, portal) {
    const codePortal = portalOfCode(req.headers['x-portal-access-code']);
    if (!codePortal || (portal && codePortal !== portal)) throw new ApiError('PORTAL.ACCESS_CODE_INVALID');
    const hash = req.headers['x-client-hash'];
    if (hash === undefined) throw new ApiError('4000', { fieldErrors: [{ field: 'X-Client-Hash', code: 'HEADER_REQUIRED' }] });
    if (!CLIENT_HASH.test(hash)) throw new ApiError('4000', { fieldErrors: [{ field: 'X-Client-Hash', code: 'HEADER_INVALID' }] });
    return { portal: codePortal, clientHash: hash };
  }

  /** Runs a matched API route; returns a Reply or throws ApiError. */
  async function dispatch(req, match, bodyText, opened, lang) {
    const { route } = match;
    if (route.channel === 'close') {
      portalHeaders(req, opened?.session.portal);
      if (!opened) throw new ApiError('SECURE_CHANNEL.REQUIRED');
      parseBody(bodyText, {});
      // The answer is sealed with the session's keys, so they are dropped only after sending.
      return Object.assign(ok(null), { afterSend: () => breaks.has('close') || channel.dropSession(opened.session.sessionId) });
    }
    const { portal, clientHash } = portalHeaders(req, match.portal);
    if (route.encrypted && !opened && config.secureChannel === 'required' && !breaks.has('downgrade')) throw new ApiError('SECURE_CHANNEL.REQUIRED');
    if (route.channel === 'publicKey') return ok(channel.publicKeyData());
    if (route.channel === 'open') {
      let body;
      try { body = JSON.parse(bodyText); } catch { throw new ApiError('4000', { fieldErrors: [{ field: '$', code: 'MALFORMED_JSON' }] }); }
      const r = channel.openSession({ portal, clientHash, body });
      if (r.error) throw new ApiError(r.error, { fieldErrors: r.fieldErrors });
      return ok(r.data);
    }

    const ctx = {
      state, tokens, config, portal, clientHash, params: match.params, lang,
      clientIp: clientIpOf(req), userAgent: String(req.headers['user-agent'] ?? ''),
      account: null, authSession: null, body: {},
    };
    if (route.jwt) {
      const m = /^Bearer\s+(\S+)$/.exec(req.headers.authorization ?? '');
      const auth = m && tokens.verifyAccess(m[1], portal);
      if (!auth) throw new ApiError('4010');
      ctx.account = auth.account;
      ctx.authSession = auth.session;
      assertIpAllowed(auth.account, ctx.clientIp);
      tokens.touch(auth.session, ctx.clientIp);
    }
    if (route.method === 'POST') ctx.body = parseBody(bodyText, route.schema ?? {}, { notEditable: route.notEditable });
    if (route.rateLimit) limiter.check(route.rateLimit, ctx);
    let result;
    try {
      result = await route.handler(ctx);
    } catch (err) {
      if (route.rateLimit && err instanceof ApiError) {
        const remaining = limiter.record(route.rateLimit, ctx, err.code);
        if (remaining !== null && LIMITS[route.rateLimit].tellsRemaining) err.data = { ...err.data, remainingAttempts: remaining };
      }
      throw err;
    }
    if (route.rateLimit) limiter.record(route.rateLimit, ctx, '2000');
    return result === NO_CONTENT ? new Reply(200, { status: 204, body: null }) : ok(result);
  }

  const ok = (data) => new Reply(200, { success: true, code: '2000', message: 'SUCCESS', data });

  async function handleApi(req, res, urlPath) {
    const lang = negotiateLanguage(req.headers['accept-language']);
    stats.request(req.method, urlPath);
    const { text, tooLarge, broken } = await readBody(req);
    if (broken) return res.destroy();
    const match = matchRoute(req.method, urlPath);
    const plainError = (code, headers = {}) => {
      const reply = envelopeOf(new ApiError(code), lang);
      Object.assign(reply.headers, headers);
      send(res, reply, { lang });
    };
    if (match.error === 'NOT_FOUND') return plainError('NOT_FOUND');
    if (match.error) return plainError('METHOD_NOT_ALLOWED', { Allow: match.allow.join(', ') });
    if (tooLarge) return plainError('PAYLOAD_TOO_LARGE', { Connection: 'close' });

    const fault = faults.take(urlPath);
    if (fault?.kind === 'drop') return res.socket.destroy();
    if (fault?.kind === 'http500') return plainError('5000');
    if (fault?.kind === 'malformed') {
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
      return res.end('{"success":true,"code":"2000","data":');
    }
    if (fault?.kind === 'oversized') {
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
      return res.end(`{"success":true,"code":"2000","message":"SUCCESS","data":{"pad":"${'a'.repeat(2 << 20)}"}}`);
    }
    if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.delayMs));

    let opened = null;
    const sessionId = req.headers['x-secure-channel-session-id'];
    if (match.route.method === 'POST' && sessionId !== undefined && match.route.channel !== 'open') {
      opened = channel.openRequest({ sessionId, portal: match.portal, clientHash: req.headers['x-client-hash'], method: req.method, path: urlPath, bodyText: text });
      if (opened.error) return send(res, envelopeOf(new ApiError(opened.error), lang), { lang });
    }
    if (fault?.kind === 'plaintext-success') return send(res, ok(null), { lang });
    const sealWith = opened && ((status, plaintext) => channel.sealFor(opened.session, { method: req.method, path: urlPath, seq: opened.seq, status, plaintext }));

    let reply;
    try {
      reply = await dispatch(req, match, opened ? opened.plaintext : text, opened, lang);
    } catch (err) {
      if (!(err instanceof ApiError)) {
        console.error(`[emulator] ${req.method} ${urlPath}: ${err?.stack ?? err}`);
        err = new ApiError('5000');
      }
      reply = envelopeOf(err, lang);
    }
    send(res, reply, { lang, sealWith, truncated: fault?.kind === 'truncated' });
    reply.afterSend?.();
  }

  async function handleDevRequest(req, res, url) {
    const { text, tooLarge } = await readBody(req);
    let body = null;
    if (text.trim()) { try { body = JSON.parse(text); } catch { body = undefined; } }
    const reply = tooLarge ? null : handleDev(emu, req.method, url.pathname, url.searchParams, body);
    if (!reply) return send(res, envelopeOf(new ApiError(tooLarge ? 'PAYLOAD_TOO_LARGE' : 'NOT_FOUND'), 'en'));
    send(res, new Reply(reply.status, reply.body));
  }

  const server = http.createServer(async (req, res) => {
    let url;
    try {
      url = new URL(req.url, 'http://emulator');
      if (url.pathname.startsWith('/web/v1/')) await handleApi(req, res, url.pathname);
      else if (url.pathname.startsWith('/__dev/') && config.devEndpoints) await handleDevRequest(req, res, url);
      else if (faults.take(url.pathname)?.kind === 'drop') res.socket.destroy();  // a static file lost (tests)
      else {
        // Logged once answered, as the browser saw it: its validator, the status and coding
        // (serveStatic passes its headers to writeHead, where they are read on the way).
        let sent = {};
        const writeHead = res.writeHead;
        res.writeHead = function logged(status, headers) { sent = headers ?? {}; return writeHead.apply(this, arguments); };
        res.once('finish', () => stats.staticRequest({
          method: req.method, path: url.pathname, ifNoneMatch: req.headers['if-none-match'] ?? null,
          status: res.statusCode, contentEncoding: sent['Content-Encoding'] ?? null,
          etag: sent.ETag ?? null, bytes: Number(sent['Content-Length'] ?? 0),
        }));
        await serveStatic(req, res, url.pathname, mounts);
      }
    } catch (err) {
      console.error(`[emulator] ${req.method} ${req.url}: ${err?.stack ?? err}`);
      if (!res.headersSent) send(res, envelopeOf(new ApiError('5000'), 'en'));
      else res.destroy();
    }
  });
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;
  server.keepAliveTimeout = 5_000;

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const { port } = server.address();
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  return {
    ...emu, url,
    close: () => new Promise((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}

// ---------- CLI ----------

const USAGE = `Usage: node emulator/server.mjs [options]
  --host H / --port N            listen address (env HOST, PORT; default 127.0.0.1:8080)
  --secure-channel=off|required  accept plain bodies too (default: required)
  --access-token-ttl S           default 900
  --refresh-token-ttl S          default 1209600
  --login-session-ttl S          login / registration / reset sessions, default 300
  --channel-session-ttl S        default 1800
  --key-grace S                  retired secure-channel key grace, default 300
  --import FILE / --export FILE  load a snapshot at start / write one on exit
  --mount /prefix=dir            static mount (repeatable; replaces a default of the same prefix: / → ${SHELL_DIR},
                                 /dist → dist, /vendor/lean-qr → node_modules/lean-qr)
  --no-dev-mailbox               turn off /__dev/ endpoints
  --break=NAME[,NAME]            TEST ONLY: violate the secure channel on purpose (conformance
                                 kit tests): ${Object.keys(BREAKS).join(', ')}
Env: PORTAL_CODE_SYSTEM, PORTAL_CODE_TENANT, PORTAL_CODE_CONSUMER (defaults dev-<portal>-code)`;

export function parseArgs(argv, env = process.env) {
  const opts = { host: env.HOST || DEFAULTS.host, port: env.PORT ? Number(env.PORT) : DEFAULTS.port };
  const numeric = { '--port': 'port', '--access-token-ttl': 'accessTokenTtl', '--refresh-token-ttl': 'refreshTokenTtl', '--login-session-ttl': 'loginSessionTtl', '--channel-session-ttl': 'channelSessionTtl', '--key-grace': 'keyGrace' };
  const mounts = [];
  for (let i = 0; i < argv.length; i++) {
    let [flag, value] = argv[i].split(/=(.*)/s, 2);
    const takeValue = () => {
      if (value === undefined) value = argv[++i];
      if (value === undefined) throw new Error(`${flag} needs a value`);
      return value;
    };
    if (flag in numeric) {
      const n = Number(takeValue());
      if (!Number.isFinite(n) || n < 0 || (flag !== '--port' && n === 0)) throw new Error(`${flag}: not a valid number of seconds: ${value}`);
      opts[numeric[flag]] = n;
    } else if (flag === '--host') opts.host = takeValue();
    else if (flag === '--secure-channel') {
      const v = takeValue();
      if (v !== 'off' && v !== 'required') throw new Error('--secure-channel must be off or required');
      opts.secureChannel = v;
    } else if (flag === '--import') opts.importFile = takeValue();
    else if (flag === '--export') opts.exportFile = takeValue();
    else if (flag === '--mount') {
      const m = /^(\/[^=]*)=(.+)$/.exec(takeValue());
      if (!m) throw new Error('--mount expects /prefix=dir');
      mounts.push({ prefix: m[1], dir: m[2] });
    } else if (flag === '--no-dev-mailbox') opts.devEndpoints = false;
    else if (flag === '--break') {
      opts.breaks = takeValue().split(',').filter(Boolean);
      for (const b of opts.breaks) if (!(b in BREAKS)) throw new Error(`--break: unknown ${b} (one of ${Object.keys(BREAKS).join(', ')})`);
    }
    else if (flag === '--help' || flag === '-h') opts.help = true;
    else throw new Error(`unknown option ${argv[i]}`);
  }
  const prefixKey = (prefix) => prefix.replace(/\/+$/, '') || '/';
  const given = new Set(mounts.map((m) => prefixKey(m.prefix)));
  if (mounts.length) opts.mounts = [...mounts, ...DEFAULT_MOUNTS.filter((m) => !given.has(prefixKey(m.prefix)))];
  return opts;
}

function banner(emu) {
  const c = emu.config;
  const rows = ['admin', 'invited', 'mfa-required', 'noworkspace', 'invitations', 'pending', 'otp', 'multi'];
  return [
    `Portal emulator listening on ${emu.url}`,
    `  shell:          ${emu.url}/`,
    `  API:            ${emu.url}/web/v1/{system|tenant|consumer}/…  (secure channel ${c.secureChannel})`,
    `  access codes:   system=${c.accessCodes.system} tenant=${c.accessCodes.tenant} consumer=${c.accessCodes.consumer}`,
    ...(c.breaks.length ? [`  BROKEN ON PURPOSE (test only): ${c.breaks.map((b) => `${b} = ${BREAKS[b]}`).join('; ')}`] : []),
    c.devEndpoints ? `  dev mailbox:    ${emu.url}/__dev/mailbox?email=admin@example.com` : '  dev endpoints:  off',
    `  demo accounts (password ${SEED_PASSWORD}; OTP secret ${SEED_OTP_SECRET}; backup codes abcd-0001…abcd-0005):`,
    ...rows.map((r) => `    ${r.padEnd(13)} ${PORTALS.map((p) => `${r}@${PORTAL_DOMAIN[p]}`).join('  ')}`),
  ].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let opts;
  try { opts = parseArgs(process.argv.slice(2)); } catch (err) { console.error(`${err.message}\n${USAGE}`); process.exit(2); }
  if (opts.help) { console.log(USAGE); process.exit(0); }
  startEmulator(opts).then((emu) => {
    console.log(banner(emu));
    const stop = async () => {
      if (emu.config.exportFile) {
        fs.writeFileSync(emu.config.exportFile, JSON.stringify(emu.state.snapshot(), null, 2));
        console.log(`snapshot written to ${emu.config.exportFile}`);
      }
      await emu.close();
      process.exit(0);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  }, (err) => { console.error(`emulator failed to start: ${err.message}`); process.exit(1); });
}
