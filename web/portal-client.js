// portal-client — the ES-module API over the WebAssembly core.
//
// This file is the I/O driver of a sans-IO core (src/flows/client.hpp): it runs `fetch`,
// timers, storage, Web Locks and BroadcastChannel, and hands every answer back to the core.
// It makes no protocol decision: which endpoint, which headers, whether to encrypt, refresh,
// retry or route is decided in C++. What lives here is argument checking (bad arguments throw
// TypeError before touching wasm memory), Promise plumbing, events, and browser plumbing.
//
//   import { createPortalClient } from 'portal-client';
//   const client = await createPortalClient({ baseUrl, portal: 'system', portalAccessCode });
//   let next = await client.signIn({ email, password });   // { step: 'MFA_REQUIRED', methods } | { step: 'DONE', route }
//   await client.sendMfaCode('EMAIL');
//   next = await client.confirmSignIn({ method: 'EMAIL', code });
//
// Failures reject with PortalError (.code, .status, .message, .fieldErrors, .retryAfter,
// .remainingAttempts, .kind).
// A literal `new URL(…, import.meta.url)` lets bundlers find and emit the wasm file.
//
// Under Node 20+ the same file works (docs in README.md, "Node"): the wasm is read from disk when
// its URL is a file: URL, storage falls back to memory, refreshes are serialized by an in-process
// mutex instead of Web Locks, and BroadcastChannel (Node has one: it links the worker threads of
// a process) is used when present without keeping the process alive. Importing this file touches
// no browser global; only calls do.
const WASM_URL = new URL('./portal-core.wasm', import.meta.url);

const REQUEST_TIMEOUT_MS = 30_000;
const LOCK_TIMEOUT_MS = 10_000;
const HANDOVER_MS = 50;
// How long a new client waits for a signed-in tab to answer its hello before it starts signed out.
// Only a tab that could answer makes it wait: none with persist 'memory' (the core neither answers
// nor adopts then), and none where Web Locks show no signed-in tab (PortalClient's #signedIn).
const HELLO_WAIT_MS = 250;
const settle = Symbol('settle');

/** The one error class of the API. `kind` says whose fault it is (see src/common/error.hpp). */
export class PortalError extends Error {
  constructor({ code, message, status = 0, retryAfter = null, remainingAttempts = null, fieldErrors = [], kind = 'server' }) {
    super(message || code);
    this.name = 'PortalError';
    this.code = code;
    this.status = status;
    this.retryAfter = retryAfter;
    this.remainingAttempts = remainingAttempts;
    this.fieldErrors = fieldErrors;
    this.kind = kind;
  }
}

const clientError = (code, message) => new PortalError({ code, message, kind: ERROR_KINDS[code] });
const disposedError = () => clientError('CLIENT.DISPOSED', 'the client was disposed');

// ---------------------------------------------------------------------------------------------
// The core: portal-core.wasm, instantiated here (it needs no generated runtime). Its C exports
// and their calling convention are in wasm/bindings.cpp: strings go in as UTF-8 through one input
// buffer, answers come back as UTF-8 in one output buffer, numbers as f64.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// The compiled wasm: fetched and compiled while it streams in — or, for a file: URL under Node,
// where fetch() cannot load one, read from disk.
async function compileCore(url) {
  if (String(url).startsWith('file:') && globalThis.process?.versions?.node) {
    return WebAssembly.compile(await readLocalFile(url));
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.headers.get('content-type')?.startsWith('application/wasm')
    ? WebAssembly.compileStreaming(response)
    : WebAssembly.compile(await response.arrayBuffer());
}

// Node only. process.getBuiltinModule (Node 20.16+) needs no import at all; before it, a dynamic
// import whose specifier is a variable (and which carries the bundlers' ignore comments), so that
// a browser build neither bundles node:fs nor warns about it.
const NODE_FS = 'node:fs/promises';
async function readLocalFile(url) {
  const fs = globalThis.process.getBuiltinModule?.(NODE_FS)
    ?? await import(/* webpackIgnore: true */ /* @vite-ignore */ NODE_FS);
  return fs.readFile(new URL(url));
}

async function instantiateCore(source) {
  let exports;
  // Captured once, at load (loadCore checked it exists). A throw (a realm torn down, a patched
  // crypto) must not unwind through wasm: it becomes 1, which the core reports as CLIENT.NO_CRYPTO.
  const getRandomValues = crypto.getRandomValues.bind(crypto);
  const imports = {
    env: {
      portal_random: (pointer, size) => {
        try {
          getRandomValues(new Uint8Array(exports.memory.buffer, pointer, size));
          return 0;
        } catch {
          return 1;
        }
      },
      // The core's strtod (src/common/js_strtod.cpp): Number() of a decimal number's ASCII bytes.
      portal_parse_number: (pointer, length) => Number(decoder.decode(new Uint8Array(exports.memory.buffer, pointer, length))),
      emscripten_notify_memory_growth: () => {},  // views are renewed on use (heap())
    },
  };
  const module = await (typeof source === 'string' ? compileCore(source) : source);
  if (!(module instanceof WebAssembly.Module)) throw new TypeError('wasmModule did not give a WebAssembly.Module');
  // A debug build also imports WASI's stdio for its assertion messages: calling one aborts.
  for (const { module: from, name } of WebAssembly.Module.imports(module)) {
    (imports[from] ??= {})[name] ??= () => { throw new Error(`the core aborted (${from}.${name})`); };
  }
  exports = (await WebAssembly.instantiate(module, imports)).exports;
  exports._initialize();
  return new Core(exports);
}

/** The module's realm-wide functions and the marshalling every CoreClient shares. */
class Core {
  #heap = new Uint8Array(0);
  constructor(exports) {
    this.exports = exports;
    this.maxResponseBytes = exports.portal_max_response_bytes();  // the core's limit, read once
  }

  heap() {
    const { buffer } = this.exports.memory;
    if (this.#heap.buffer !== buffer) this.#heap = new Uint8Array(buffer);  // memory grew
    return this.#heap;
  }

  /** Copies the arguments of one call (strings as UTF-8, Uint8Arrays as they are) into the
   *  module's input buffer; returns [pointer, length, …] to spread into the export. */
  put(...values) {
    let size = 0;
    for (const value of values) size += typeof value === 'string' ? value.length * 3 : value.length;
    let at = this.exports.portal_input(size);
    const heap = this.heap();
    const out = [];
    for (const value of values) {
      const length = typeof value === 'string'
        ? encoder.encodeInto(value, heap.subarray(at, at + value.length * 3)).written
        : (heap.set(value, at), value.length);
      out.push(at, length);
      at += length;
    }
    return out;
  }

  /** The answer of the call that returned `length` as text ('' for -1, "nothing"). */
  text(length) {
    if (length < 0) return '';
    const at = this.exports.portal_output();
    return decoder.decode(this.heap().subarray(at, at + length));
  }

  /** The answer of a call that can fail, decoded: the one reading of the boundary's answers
   *  (wasm/bindings.cpp). -1 → null; {"error":{…}} → throws that PortalError; any other object
   *  → itself. */
  answer(length) {
    const text = this.text(length);
    if (!text) return null;
    const answer = JSON.parse(text);
    if (answer.error) throw new PortalError(answer.error);
    return answer;
  }

  /** The answer of the call that returned `length` as a byte copy (a request body for fetch). */
  bytes(length) {
    const at = this.exports.portal_output();
    return this.heap().slice(at, at + length);
  }

  version() { return this.text(this.exports.portal_version()); }
  selfTest() { return this.exports.portal_self_test() === 1; }
  clientHash(portal, signals, installId) {
    return this.answer(this.exports.portal_client_hash(...this.put(portal, signals, installId))).hash;
  }
}

/** A response's body, never read further than `limit` + 1 bytes: past the core's limit only the
 *  length matters. A declared length within the limit is read whole (arrayBuffer, which lets the
 *  browser finish the load as usual); a larger one is refused unread (one byte over stands for
 *  it); without a declared length the stream is read up to the limit and then cancelled. */
async function readBody(response, limit) {
  // A compressed body's declared length is not its decoded length: stream those.
  const declared = response.headers.get('content-encoding') ? NaN : Number(response.headers.get('content-length') ?? NaN);
  if (Number.isInteger(declared) && declared > limit) {
    response.body?.cancel().catch(() => {});
    return new Uint8Array(limit + 1);
  }
  if (!response.body || Number.isInteger(declared)) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    if (size > limit) {
      reader.cancel().catch(() => {});
      break;
    }
  }
  const body = new Uint8Array(Math.min(size, limit + 1));
  let at = 0;
  for (const chunk of chunks) {
    const take = Math.min(chunk.length, body.length - at);
    body.set(take === chunk.length ? chunk : chunk.subarray(0, take), at);
    at += take;
    if (at === body.length) break;
  }
  return body;
}

/** One core client (src/facade/text_facade.hpp): the methods of the C++ TextFacade. */
class CoreClient {
  #core;
  #e;
  #handle;
  constructor(core) {
    this.#core = core;
    this.#e = core.exports;
    this.#handle = this.#e.portal_client_new();
  }

  // Each method that can fail throws the core's PortalError (Core.answer).
  init(config) { this.#core.answer(this.#e.portal_init(this.#handle, ...this.#core.put(config))); }
  /** The new operation's id. */
  start(op, args, now) { return this.#core.answer(this.#e.portal_start(this.#handle, ...this.#core.put(op, args), now)).op; }
  handleResponse(id, status, headers, body, now) {
    // Past the core's limit only the length matters: one byte over it is refused the same.
    const limit = this.#core.maxResponseBytes;
    if (body.length > limit) body = body.subarray(0, limit + 1);
    this.#core.answer(this.#e.portal_handle_response(this.#handle, id, status, ...this.#core.put(headers, body), now));
  }
  /** The longest response body the core reads (one byte more is refused the same). */
  get maxResponseBytes() { return this.#core.maxResponseBytes; }
  handleTransportError(id, reason, facts, now) {
    this.#core.answer(this.#e.portal_handle_transport_error(this.#handle, id, ...this.#core.put(reason), facts, now));
  }
  handleTimeout(now) { this.#core.answer(this.#e.portal_handle_timeout(this.#handle, now)); }
  cancel(op, now) { this.#core.answer(this.#e.portal_cancel(this.#handle, op, now)); }
  confirmSend(id, now) { return this.#e.portal_confirm_send(this.#handle, id, now) === 1; }
  handlePeerTokens(tokens, now) { this.#core.answer(this.#e.portal_handle_peer_tokens(this.#handle, ...this.#core.put(tokens), now)); }
  handlePeerSignedOut(now) { this.#core.answer(this.#e.portal_handle_peer_signed_out(this.#handle, now)); }
  handlePeerHello(now) { this.#core.answer(this.#e.portal_handle_peer_hello(this.#handle, now)); }
  wantsPeerSession() { return this.#e.portal_wants_peer_session(this.#handle) === 1; }
  setOnline(online, now) { this.#core.answer(this.#e.portal_set_online(this.#handle, online ? 1 : 0, now)); }
  setLocale(locale) { this.#e.portal_set_locale(this.#handle, ...this.#core.put(locale)); }
  /** The next request {id, method, path, headers, exclusive, body: Uint8Array}, or null. */
  pollRequest() {
    const head = this.#core.text(this.#e.portal_poll_request(this.#handle));
    if (!head) return null;
    const request = JSON.parse(head);
    request.body = this.#core.bytes(this.#e.portal_request_body(this.#handle));
    return request;
  }
  pollEvent() { return this.#core.text(this.#e.portal_poll_event(this.#handle)); }
  pollTimeout() { return this.#e.portal_poll_timeout(this.#handle); }
  exportState() { return this.#core.text(this.#e.portal_export_state(this.#handle)); }
  importState(state, now) { this.#core.answer(this.#e.portal_import_state(this.#handle, ...this.#core.put(state), now)); }
  /** Ends the client and frees it; nothing may be called afterwards. */
  dispose() {
    this.#e.portal_dispose(this.#handle);
    this.#e.portal_client_delete(this.#handle);
  }
}

// ---------------------------------------------------------------------------------------------
// Module loading: one cached promise per realm; fails fast without Web Crypto; self-tests once.

let modulePromise = null;

// `source` is where the wasm is fetched from (a URL: the default beside this file, or a bundler's
// `?url` import) or a WebAssembly.Module (or a promise of one) the page compiled itself. Only the
// first load in this realm uses it, since the module is loaded once.
function loadCore(source = WASM_URL.href) {
  if (!globalThis.crypto?.getRandomValues) {
    return Promise.reject(clientError('CLIENT.NO_CRYPTO', 'crypto.getRandomValues is not available'));
  }
  modulePromise ??= instantiateCore(source).then(
    (core) => {
      // A wrong known answer refuses the module. One that is right twice in a row right after is
      // an engine's passing fault, not a miscompiled module: WebKitGTK 2.50 computes a fresh
      // instance's answer wrong about once in 600 runs and right when asked again (README).
      if (!core.selfTest() && !(core.selfTest() && core.selfTest())) {
        throw clientError('CLIENT.SELF_TEST_FAILED', 'cryptographic self-test failed');
      }
      return core;
    },
    (error) => {
      throw clientError('CLIENT.LOAD_FAILED', `the WebAssembly module did not load: ${error?.message ?? error}`);
    });
  modulePromise.catch(() => { modulePromise = null; });  // a failed load may be retried
  return modulePromise;
}

/** The core's version string (loads the module). */
export async function version() {
  return (await loadCore()).version();
}

// ---------------------------------------------------------------------------------------------
// Argument checks: one table for every operation. A spec maps a field to its type; a trailing
// '?' marks it optional. Checked in JS so bad arguments never reach wasm memory.

// generated:operations (scripts/generate.mjs, from spec/operations.json)
// The portals and locales a client accepts.
export const PORTALS = ['system', 'tenant', 'consumer'];
export const LOCALES = ['en', 'zh', 'zh-Hant', 'ja', 'vi'];
// Each operation's arguments and their types (refused ones pass as 'any?': the core names them).
const OPERATIONS = {
  signIn: { email: 'string', password: 'string' },
  sendMfaCode: { method: 'string' },
  confirmSignIn: { method: 'string', code: 'string' },
  signOut: {},
  refreshSession: {},
  register: { email: 'string' },
  verifyRegistrationEmail: { code: 'string' },
  completeRegistration: { accountName: 'string', password: 'string' },
  forgotPassword: { email: 'string' },
  resetPassword: { code: 'string', newPassword: 'string' },
  initPassword: { newPassword: 'string' },
  changePassword: { currentPassword: 'string', newPassword: 'string' },
  getProfile: {},
  updateProfile: { accountName: 'string?', accountPhone: 'string|null?', defaultLanguage: 'string?', defaultTimezone: 'string?', defaultCountry: 'string?', accountRemark: 'any?', accountEmail: 'any?', bizId: 'any?', institutionBizId: 'any?', accountPortal: 'any?', accountStatus: 'any?', createdAt: 'any?', updatedAt: 'any?' },
  getMfaState: {},
  setupOtp: {},
  verifyOtp: { code: 'string' },
  revokeOtp: { password: 'string' },
  generateBackupCodes: {},
  getIpWhitelist: {},
  saveIpWhitelist: { entries: 'string[]', confirmLockout: 'boolean?' },
  setIpWhitelistEnabled: { enabled: 'boolean', confirmLockout: 'boolean?' },
  listSessions: {},
  terminateSession: { sessionId: 'string' },
  terminateOtherSessions: {},
  listInvitations: {},
  acceptInvitation: { invitationBizId: 'string' },
  declineInvitation: { invitationBizId: 'string' },
  listWorkspaces: {},
  createWorkspace: { workspaceName: 'string' },
  selectWorkspace: { workspaceBizId: 'string' },
  bootstrap: {},
  checkRoute: { name: 'string' },
};
export const EVENTS = ['authStateChange', 'tokenRefreshed', 'signedOut', 'routeChange'];
// The kind of each code this file raises itself (spec/errors.json).
const ERROR_KINDS = { 'CLIENT.ABORTED': 'transport', 'CLIENT.DISPOSED': 'order', 'CLIENT.LOAD_FAILED': 'transport', 'CLIENT.NO_CRYPTO': 'caller', 'CLIENT.SELF_TEST_FAILED': 'protocol' };
// /generated:operations (scripts/generate.mjs, from spec/operations.json)

function matches(value, type) {
  if (type === 'any') return true;
  if (type === 'string[]') return Array.isArray(value) && value.every((v) => typeof v === 'string');
  return type.split('|').some((t) => (t === 'null' ? value === null : typeof value === t));
}

function checkArgs(op, args) {
  if (args === undefined) args = {};
  if (args === null || typeof args !== 'object' || Array.isArray(args)) {
    throw new TypeError(`${op}: expected an object of arguments`);
  }
  const spec = OPERATIONS[op];
  const out = {};
  for (const [field, rawType] of Object.entries(spec)) {
    const optional = rawType.endsWith('?');
    const type = optional ? rawType.slice(0, -1) : rawType;
    if (args[field] === undefined) {
      if (!optional) throw new TypeError(`${op}: '${field}' is required`);
      continue;
    }
    if (!matches(args[field], type)) throw new TypeError(`${op}: '${field}' must be ${type}`);
    out[field] = args[field];
  }
  for (const field of Object.keys(args)) {
    if (!(field in spec)) throw new TypeError(`${op}: unknown argument '${field}'`);
  }
  return out;
}

function checkSignal(signal) {
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw new TypeError('signal must be an AbortSignal');
}

// ---------------------------------------------------------------------------------------------
// Client hash inputs: JS only gathers the signals and keeps the install id (docs/api.md §1.1).

function browserFamily(navigator) {
  const brands = navigator.userAgentData?.brands?.map((b) => b.brand) ?? [];
  const named = brands.find((b) => !/not.?a.?brand|chromium/i.test(b));
  if (named) return named;
  if (brands.length) return 'Chromium';
  const ua = navigator.userAgent ?? '';
  for (const [pattern, name] of [[/Edg\//, 'Microsoft Edge'], [/OPR\//, 'Opera'], [/Firefox\//, 'Firefox'],
    [/Chrome\//, 'Chrome'], [/Safari\//, 'Safari']]) {
    if (pattern.test(ua)) return name;
  }
  return null;
}

// Under Node 20 there is no navigator: every signal is then null.
function gatherSignals(navigator = globalThis.navigator ?? {}) {
  return {
    browserFamily: browserFamily(navigator),
    platform: navigator.userAgentData?.platform || navigator.platform || null,
    hardwareConcurrency: navigator.hardwareConcurrency ?? null,
    deviceMemory: navigator.deviceMemory ?? null,
    maxTouchPoints: navigator.maxTouchPoints ?? null,
  };
}

function base64url(bytes) {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const memoryInstallIds = new Map();

// localStorage, else sessionStorage, else memory (stable for the page's — or process's — life).
function installId(portal) {
  const key = `portal-client:${portal}:install-id`;
  for (const storage of [() => globalThis.localStorage, () => globalThis.sessionStorage]) {
    try {
      const store = storage();
      if (!store) continue;  // Node: no Web Storage
      let id = store.getItem(key);
      if (!id) {
        id = base64url(crypto.getRandomValues(new Uint8Array(16)));
        store.setItem(key, id);
      }
      return id;
    } catch { /* storage refused: try the next one */ }
  }
  if (!memoryInstallIds.has(key)) memoryInstallIds.set(key, base64url(crypto.getRandomValues(new Uint8Array(16))));
  return memoryInstallIds.get(key);
}

// Without Web Locks (Node; a browser too old for them): one mutex per lock name in this realm,
// so that two clients of one portal and origin in a process still refresh one at a time. Like
// the Web Lock, a holder that has not finished in LOCK_TIMEOUT_MS is not waited for any longer.
const localLocks = new Map();  // lock name → the promise the last waiter resolves when done

async function withLocalLock(name, task) {
  const previous = localLocks.get(name) ?? Promise.resolve();
  let release;
  const done = new Promise((resolve) => { release = resolve; });
  const tail = previous.then(() => done);
  localLocks.set(name, tail);
  let timer;
  const timeout = new Promise((resolve) => { timer = setTimeout(resolve, LOCK_TIMEOUT_MS); });
  try {
    await Promise.race([previous, timeout]);
    clearTimeout(timer);
    return await task();
  } finally {
    clearTimeout(timer);
    release();
    if (localLocks.get(name) === tail) localLocks.delete(name);
  }
}

// ---------------------------------------------------------------------------------------------
// Cross-origin APIs: the browser refuses them unless the API sends CORS headers, and a refused
// fetch looks exactly like being offline. Said once per realm at creation; a rejected fetch then
// reports the facts (cross-origin, online) and the core picks CLIENT.CORS_BLOCKED or CLIENT.NETWORK.

let warnedCrossOrigin = false;

function isCrossOrigin(baseUrl) {
  const here = globalThis.location;
  if (!here?.origin || here.origin === 'null') return false;  // Node, or an opaque origin
  const cross = new URL(baseUrl, here.href).origin !== here.origin;
  if (cross && !warnedCrossOrigin) {
    warnedCrossOrigin = true;
    console.warn(`portal-client: baseUrl ${baseUrl} is another origin than this page (${here.origin}); the browser blocks it `
      + 'unless the API answers CORS. Serve the API from the page\'s origin or behind a reverse proxy: see docs/integration.md in the package.');
  }
  return cross;
}

// The bit flags of portal_handle_transport_error (src/flows/client.hpp, PortalClient::kFetchRejected…).
const FETCH_REJECTED = 1, CROSS_ORIGIN = 2, ONLINE = 4;

// ---------------------------------------------------------------------------------------------

/**
 * Creates a client. Options: baseUrl (default: this page's origin), portal, portalAccessCode,
 * locale ('en'), secureChannel ('required' | 'off'), pinnedKeys ([]), persist ('memory' |
 * 'session' | 'local'), fetch (defaults to globalThis.fetch), requestTimeoutMs, refreshLeewayMs,
 * wasmUrl (where to fetch portal-core.wasm; default: beside this file — set it when a dev
 * server pre-bundles the package, e.g. `import wasmUrl from 'portal-client/portal-core.wasm?url'`),
 * wasmModule (portal-core.wasm already compiled, or a promise of it: a page that starts the
 * compile itself, ahead of its own modules; instead of wasmUrl), lockSnapshot (a promise of
 * navigator.locks.query() the page asked for ahead of its modules, instead of the client's own).
 */
export async function createPortalClient(options) {
  if (options === null || typeof options !== 'object') throw new TypeError('createPortalClient: options object required');
  const {
    baseUrl = globalThis.location?.origin, portal, portalAccessCode, locale = 'en',
    secureChannel = 'required', pinnedKeys = [], persist = 'memory', fetch: fetchImpl = globalThis.fetch,
    requestTimeoutMs = REQUEST_TIMEOUT_MS, refreshLeewayMs, wasmUrl, wasmModule, lockSnapshot,
  } = options;
  if (typeof baseUrl !== 'string' || !/^https?:\/\//.test(baseUrl)) throw new TypeError('baseUrl must be an http(s) URL');
  if (!PORTALS.includes(portal)) throw new TypeError(`portal must be one of ${PORTALS.join(', ')}`);
  if (typeof portalAccessCode !== 'string' || !portalAccessCode) throw new TypeError('portalAccessCode must be a non-empty string');
  if (!LOCALES.includes(locale)) throw new TypeError(`locale must be one of ${LOCALES.join(', ')}`);
  if (!['required', 'off'].includes(secureChannel)) throw new TypeError("secureChannel must be 'required' or 'off'");
  if (!Array.isArray(pinnedKeys) || !pinnedKeys.every((k) => typeof k === 'string')) throw new TypeError('pinnedKeys must be an array of strings');
  if (!['memory', 'session', 'local'].includes(persist)) throw new TypeError("persist must be 'memory', 'session' or 'local'");
  if (typeof fetchImpl !== 'function') throw new TypeError('fetch must be a function');
  if (wasmUrl !== undefined && typeof wasmUrl !== 'string') throw new TypeError('wasmUrl must be a string');
  if (wasmModule !== undefined && (wasmUrl !== undefined || !(wasmModule instanceof WebAssembly.Module || typeof wasmModule?.then === 'function'))) {
    throw new TypeError('wasmModule must be a WebAssembly.Module or a promise of one, without wasmUrl');
  }
  if (lockSnapshot !== undefined && typeof lockSnapshot?.then !== 'function') {
    throw new TypeError('lockSnapshot must be a promise of navigator.locks.query()');
  }
  if (refreshLeewayMs !== undefined && !(Number.isInteger(refreshLeewayMs) && refreshLeewayMs >= 0)) {
    throw new TypeError('refreshLeewayMs must be a non-negative integer');
  }

  const crossOrigin = isCrossOrigin(baseUrl);
  // Asked while the module loads (or earlier, by the page): whether a tab holds a signed-in lock,
  // which settle reads when the core wants another tab's session. Under load a browser took
  // 10–50 ms to answer (issue 14).
  const locks = Promise.resolve(lockSnapshot ?? globalThis.navigator?.locks?.query()).catch(() => {});

  const core = await loadCore(wasmModule ?? wasmUrl);
  const hash = core.clientHash(portal, JSON.stringify(gatherSignals()), installId(portal));
  const coreClient = new CoreClient(core);
  try {
    coreClient.init(JSON.stringify({
      portal, accessCode: portalAccessCode, clientHash: hash, locale, secureChannel, pinnedKeys, refreshLeewayMs, persist,
    }));
  } catch (error) {
    coreClient.dispose();
    throw error;
  }
  const client = new PortalClient({
    coreClient, portal, baseUrl: baseUrl.replace(/\/+$/, ''), clientHash: hash, persist, fetchImpl, requestTimeoutMs,
    crossOrigin,
  });
  await client[settle](locks);
  return client;
}


export class PortalClient {
  #core;
  #baseUrl;
  #fetch;
  #requestTimeoutMs;
  #crossOrigin;
  #storage = null;
  #storageKey;
  #lockName;
  #peers = null;
  #signedIn = null;  // the name of the Web Lock held while signed in; null with persist 'memory'
  #release = null;   // ends this tab's hold on it
  #pending = new Map();   // op id → { resolve, reject, detach }
  #inflight = new Map();  // request id → AbortController
  #listeners = new Map(EVENTS.map((name) => [name, new Set()]));
  #timer = null;
  #pumping = false;
  #pumpAgain = false;
  #disposed = false;
  #authState = { state: 'SIGNED_OUT' };
  #route = null;
  #helloAnswered = null;  // resolves when a peer's session arrives after our hello
  #onNetwork = null;

  /** @internal Use createPortalClient(). */
  constructor({ coreClient, portal, baseUrl, clientHash, persist, fetchImpl, requestTimeoutMs, crossOrigin = false }) {
    this.#core = coreClient;
    this.#crossOrigin = crossOrigin;
    this.#baseUrl = baseUrl;
    this.#fetch = (...args) => fetchImpl(...args);
    this.#requestTimeoutMs = requestTimeoutMs;
    this.clientHash = clientHash;
    this.portal = portal;
    const scope = `portal-client:${portal}:${baseUrl}`;
    this.#storageKey = `${scope}:state`;
    this.#lockName = `${scope}:refresh`;
    if (persist !== 'memory') {
      this.#signedIn = `${scope}:signed-in`;
      // Absent (Node) or refused (privacy mode): the state lives in memory only.
      try { this.#storage = (persist === 'local' ? globalThis.localStorage : globalThis.sessionStorage) ?? null; } catch { this.#storage = null; }
    }
    if (typeof BroadcastChannel === 'function') {
      this.#peers = new BroadcastChannel(scope);
      this.#peers.unref?.();  // Node: an open channel must not keep the process alive
      this.#peers.onmessage = ({ data }) => this.#onPeerMessage(data);
    }
    const saved = this.#storage?.getItem(this.#storageKey);
    if (saved) {
      try { this.#core.importState(saved, Date.now()); } catch { this.#storage.removeItem(this.#storageKey); }  // unusable: drop it
    }
    // The device's network state is an input of the core: offline, it refreshes nothing and
    // fails calls at once (CLIENT.OFFLINE).
    if (typeof globalThis.addEventListener === 'function') {
      this.#onNetwork = () => { if (!this.#disposed) { this.#core.setOnline(navigator.onLine !== false, Date.now()); this.#pump(); } };
      globalThis.addEventListener('online', this.#onNetwork);
      globalThis.addEventListener('offline', this.#onNetwork);
    }
    if (globalThis.navigator?.onLine === false) this.#core.setOnline(false, Date.now());
    this.#pump();
  }

  /** @internal A signed-out client (a new tab) asks the other tabs for their session and waits
   *  briefly for it, so that it comes up signed in or signed out — not one, then the other. The
   *  core decides whether to ask (never with persist: 'memory'), and whether to answer or adopt.
   *  Where Web Locks (`pendingLocks`: navigator.locks.query(), asked while the module loaded or by
   *  the page) show no tab holding the signed-in lock, no tab can answer: nothing is asked. Without
   *  such an answer (no Web Locks, a failed query, a snapshot of another shape) the tabs are asked. */
  async [settle](pendingLocks) {
    if (!this.#peers || !this.#core.wantsPeerSession()) return;
    const locks = await pendingLocks;
    const held = [locks?.held, locks?.pending].every(Array.isArray) ? [...locks.held, ...locks.pending] : null;
    if (held && !held.some((lock) => lock?.name === this.#signedIn)) return;
    const answered = new Promise((resolve) => { this.#helloAnswered = resolve; });
    this.#peers.postMessage({ type: 'hello' });
    let timer;
    await Promise.race([answered, new Promise((resolve) => { timer = setTimeout(resolve, HELLO_WAIT_MS); })]);
    clearTimeout(timer);
    this.#helloAnswered = null;
  }

  // generated:methods (scripts/generate.mjs, from spec/operations.json)
  // --- auth ------------------------------------------------------------------------------------
  signIn(args, options) { return this.#run('signIn', args, options); }
  /** Sends (or resends) the email code. Rejects with RATE_LIMITED and .retryAfter when too soon. */
  sendMfaCode(method = 'EMAIL', options) { return this.#run('sendMfaCode', { method }, options); }
  confirmSignIn(args, options) { return this.#run('confirmSignIn', args, options); }
  /** Always ends signed out locally, even when the server cannot be reached. */
  signOut(options) { return this.#run('signOut', {}, options); }
  refreshSession(options) { return this.#run('refreshSession', {}, options); }
  register(args, options) { return this.#run('register', args, options); }
  verifyRegistrationEmail(args, options) { return this.#run('verifyRegistrationEmail', args, options); }
  completeRegistration(args, options) { return this.#run('completeRegistration', args, options); }
  forgotPassword(args, options) { return this.#run('forgotPassword', args, options); }
  resetPassword(args, options) { return this.#run('resetPassword', args, options); }
  initPassword(args, options) { return this.#run('initPassword', args, options); }
  changePassword(args, options) { return this.#run('changePassword', args, options); }
  // --- profile ---------------------------------------------------------------------------------
  getProfile(options) { return this.#run('getProfile', {}, options); }
  /** Changes the editable profile fields; the others are refused by name (CLIENT.INVALID_ARGUMENT, FIELD_NOT_EDITABLE). */
  updateProfile(args, options) { return this.#run('updateProfile', args, options); }
  // --- security --------------------------------------------------------------------------------
  getMfaState(options) { return this.#run('getMfaState', {}, options); }
  setupOtp(options) { return this.#run('setupOtp', {}, options); }
  verifyOtp(args, options) { return this.#run('verifyOtp', args, options); }
  revokeOtp(args, options) { return this.#run('revokeOtp', args, options); }
  generateBackupCodes(options) { return this.#run('generateBackupCodes', {}, options); }
  getIpWhitelist(options) { return this.#run('getIpWhitelist', {}, options); }
  /** Refuses (CLIENT.IP_WHITELIST_LOCKOUT) a list that excludes this session's IP unless confirmLockout. */
  saveIpWhitelist(args, options) { return this.#run('saveIpWhitelist', args, options); }
  setIpWhitelistEnabled(args, options) { return this.#run('setIpWhitelistEnabled', args, options); }
  listSessions(options) { return this.#run('listSessions', {}, options); }
  terminateSession(args, options) { return this.#run('terminateSession', args, options); }
  terminateOtherSessions(options) { return this.#run('terminateOtherSessions', {}, options); }
  // --- workspaces ------------------------------------------------------------------------------
  listInvitations(options) { return this.#run('listInvitations', {}, options); }
  acceptInvitation(args, options) { return this.#run('acceptInvitation', args, options); }
  declineInvitation(args, options) { return this.#run('declineInvitation', args, options); }
  listWorkspaces(options) { return this.#run('listWorkspaces', {}, options); }
  createWorkspace(args, options) { return this.#run('createWorkspace', args, options); }
  selectWorkspace(args, options) { return this.#run('selectWorkspace', args, options); }
  /** Re-fetches profile, workspaces and invitations and decides the route again. */
  bootstrap(options) { return this.#run('bootstrap', {}, options); }
  /** May the account open a destination now ({name}: a route name, WORKSPACES, PROFILE or SECURITY)? → {allowed, route}. */
  checkRoute(args, options) { return this.#run('checkRoute', args, options); }
  // /generated:methods (scripts/generate.mjs, from spec/operations.json)

  // --- state and events ------------------------------------------------------------------------
  /** The last auth state: { state: 'SIGNED_OUT' | 'SIGNING_IN' | 'REGISTERING' | 'RESETTING_PASSWORD' | 'SIGNED_IN',
   *  step?, methods?, email?, reason? } — after a reload too, when persist keeps the flow. */
  get authState() { return this.#authState; }
  /** The last route the core decided, or null. */
  get route() { return this.#route; }

  /** Subscribes to 'authStateChange' | 'tokenRefreshed' | 'signedOut' | 'routeChange'; returns an unsubscribe function. */
  on(event, callback) {
    if (!this.#listeners.has(event)) throw new TypeError(`unknown event '${event}'; one of ${EVENTS.join(', ')}`);
    if (typeof callback !== 'function') throw new TypeError('callback must be a function');
    this.#listeners.get(event).add(callback);
    return () => this.#listeners.get(event).delete(callback);
  }

  /** Supabase-style: the callback gets every auth state, starting with the current one. */
  onAuthStateChange(callback) {
    const off = this.on('authStateChange', callback);
    queueMicrotask(() => { if (!this.#disposed) callback(this.#authState); });
    return off;
  }

  setLocale(locale) {
    if (!LOCALES.includes(locale)) throw new TypeError(`locale must be one of ${LOCALES.join(', ')}`);
    if (this.#disposed) throw disposedError();
    this.#core.setLocale(locale);
  }

  /** Frees the wasm side and wipes its secrets. Idempotent; afterwards every call rejects with CLIENT.DISPOSED. */
  dispose() {
    if (this.#disposed) return;
    this.#disposed = true;
    clearTimeout(this.#timer);
    for (const controller of this.#inflight.values()) controller.abort();
    this.#inflight.clear();
    const error = disposedError();
    for (const { reject, detach } of this.#pending.values()) { detach(); reject(error); }
    this.#pending.clear();
    this.#peers?.close();
    this.#release?.();
    if (this.#onNetwork) {
      globalThis.removeEventListener('online', this.#onNetwork);
      globalThis.removeEventListener('offline', this.#onNetwork);
    }
    this.#core.dispose();
  }

  // --- driver ----------------------------------------------------------------------------------

  #run(op, args, options = {}) {
    const checked = checkArgs(op, args);
    if (options === null || typeof options !== 'object') throw new TypeError(`${op}: options must be an object`);
    const { signal } = options;
    checkSignal(signal);
    if (this.#disposed) return Promise.reject(disposedError());
    if (signal?.aborted) return Promise.reject(clientError('CLIENT.ABORTED', 'the operation was aborted'));
    let id;
    try { id = this.#core.start(op, JSON.stringify(checked), Date.now()); } catch (error) { return Promise.reject(error); }
    return new Promise((resolve, reject) => {
      const onAbort = () => { this.#core.cancel(id, Date.now()); this.#pump(); };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#pending.set(id, { resolve, reject, detach: () => signal?.removeEventListener('abort', onAbort) });
      this.#pump();
    });
  }

  // Drains the core's outputs. Re-entrant calls (a listener calling the client) loop here once more.
  #pump() {
    if (this.#disposed) return;
    if (this.#pumping) { this.#pumpAgain = true; return; }
    this.#pumping = true;
    try {
      do {
        this.#pumpAgain = false;
        for (let text; !this.#disposed && (text = this.#core.pollEvent()) !== '';) this.#dispatch(JSON.parse(text));
        for (let request; !this.#disposed && (request = this.#core.pollRequest());) this.#send(request);
      } while (this.#pumpAgain && !this.#disposed);
    } finally {
      this.#pumping = false;
    }
    this.#armTimer();
  }

  #armTimer() {
    clearTimeout(this.#timer);
    if (this.#disposed) return;
    const at = this.#core.pollTimeout();
    if (at < 0) return;
    const delay = Math.min(Math.max(0, at - Date.now()), 2 ** 31 - 1);
    this.#timer = setTimeout(() => {
      if (this.#disposed) return;
      this.#core.handleTimeout(Date.now());
      this.#pump();
    }, delay);
    this.#timer.unref?.();  // Node: a scheduled refresh alone does not keep the process alive
  }

  async #send(request) {
    const controller = new AbortController();
    this.#inflight.set(request.id, controller);
    try {
      if (request.exclusive) {
        await this.#withLock(async () => {
          if (this.#disposed || !this.#core.confirmSend(request.id, Date.now())) return;
          await this.#exchange(request, controller);
          // Hand the rotated tokens to the other tabs while still holding the lock: a tab that
          // got the lock first and had not heard of them would present the spent refresh token,
          // and the server revokes the whole session on reuse. The short hold lets the
          // BroadcastChannel message land before the lock (a separate channel) passes on.
          this.#pump();
          await new Promise((resolve) => setTimeout(resolve, HANDOVER_MS));
        });
      } else {
        await this.#exchange(request, controller);
      }
    } finally {
      this.#inflight.delete(request.id);
      this.#pump();
    }
  }

  // One HTTP exchange: the response (any status) or the transport failure goes back to the core.
  async #exchange(request, controller) {
    const timeout = setTimeout(() => controller.abort(), this.#requestTimeoutMs);
    let status, headers, body;
    try {
      const response = await this.#fetch(this.#baseUrl + request.path, {
        method: request.method,
        headers: Object.fromEntries(request.headers),
        body: request.method === 'GET' ? undefined : request.body,
        signal: controller.signal,
        credentials: 'omit',
        cache: 'no-store',
        redirect: 'error',
      });
      status = response.status;
      // Date: the server's clock, against which the core reads the expiries it sends.
      headers = { 'retry-after': response.headers.get('retry-after') ?? undefined, date: response.headers.get('date') ?? undefined };
      body = await readBody(response, this.#core.maxResponseBytes);
    } catch (error) {
      if (!this.#disposed) {
        const reason = controller.signal.aborted ? 'timeout' : String(error?.message ?? error);
        // fetch itself rejected (no status yet): a TypeError is a network failure or a CORS refusal.
        const facts = controller.signal.aborted || status !== undefined || !(error instanceof TypeError) ? 0
          : FETCH_REJECTED | (this.#crossOrigin ? CROSS_ORIGIN : 0) | (globalThis.navigator?.onLine === true ? ONLINE : 0);
        this.#core.handleTransportError(request.id, reason, facts, Date.now());
      }
      return;
    } finally {
      clearTimeout(timeout);
    }
    if (!this.#disposed) this.#core.handleResponse(request.id, status, JSON.stringify(headers), body, Date.now());
  }

  // Cross-tab single flight for token refresh. A lock that cannot be had in LOCK_TIMEOUT_MS is
  // skipped rather than waited on forever; the core still refuses to send when a peer tab has
  // meanwhile delivered fresher tokens, so a skipped lock costs at most one extra refresh.
  async #withLock(task) {
    if (!globalThis.navigator?.locks) return withLocalLock(this.#lockName, task);
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), LOCK_TIMEOUT_MS);
    let ran = false;
    try {
      return await navigator.locks.request(this.#lockName, { signal: timeout.signal }, () => {
        clearTimeout(timer);
        ran = true;
        return task();
      });
    } catch (error) {
      if (ran || error?.name !== 'AbortError') throw error;
      return task();
    } finally {
      clearTimeout(timer);
    }
  }

  #dispatch({ kind, op, payload }) {
    switch (kind) {
      case 'resolved':
      case 'rejected': {
        const pending = this.#pending.get(op);
        if (!pending) return;
        this.#pending.delete(op);
        pending.detach();
        if (kind === 'resolved') pending.resolve(payload);
        else pending.reject(new PortalError(payload));
        return;
      }
      case 'authState':
        this.#authState = payload;
        this.#persist();
        if (payload?.state === 'SIGNED_IN') this.#answerer(); else this.#release?.();
        this.#emit('authStateChange', payload);
        return;
      case 'tokens':
        this.#persist();
        if (payload?.broadcast) this.#peers?.postMessage({ type: 'tokens', tokens: payload });
        if (payload?.reason === 'REFRESH') this.#emit('tokenRefreshed', {});
        return;
      case 'signedOut':
        this.#storage?.removeItem(this.#storageKey);
        if (payload?.broadcast) this.#peers?.postMessage({ type: 'signedOut' });
        this.#route = null;
        this.#emit('signedOut', { reason: payload?.reason });
        return;
      case 'route':
        this.#route = payload;
        this.#emit('routeChange', payload);
        return;
      default:
        return;
    }
  }

  // Signed in and able to answer a hello (sessions shared, a channel): a shared Web Lock, held
  // until sign-out or dispose, tells a new tab's [settle] that an answer may come.
  #answerer() {
    this.#helloAnswered?.();
    if (this.#release || !this.#peers || !this.#signedIn || !globalThis.navigator?.locks) return;
    const held = new Promise((resolve) => { this.#release = () => { this.#release = null; resolve(); }; });
    navigator.locks.request(this.#signedIn, { mode: 'shared' }, () => held).catch(() => {});
  }

  // Opt-in persistence: what the core exports (tokens or the pre-login flow under way). When it
  // exports nothing, the key is removed: nothing of an ended session stays in storage.
  #persist() {
    if (!this.#storage) return;
    try {
      const state = this.#core.exportState();
      if (state) this.#storage.setItem(this.#storageKey, state);
      else this.#storage.removeItem(this.#storageKey);
    } catch { /* quota or privacy mode */ }
  }

  #onPeerMessage(message) {
    if (this.#disposed || !message || typeof message !== 'object') return;
    if (message.type === 'hello') this.#core.handlePeerHello(Date.now());
    else if (message.type === 'tokens') this.#core.handlePeerTokens(JSON.stringify(message.tokens), Date.now());
    else if (message.type === 'signedOut') this.#core.handlePeerSignedOut(Date.now());
    else return;
    this.#pump();
  }

  #emit(event, payload) {
    for (const callback of [...this.#listeners.get(event)]) {
      try { callback(payload); } catch (error) { queueMicrotask(() => { throw error; }); }
    }
  }
}
