// A thin W3C WebDriver (classic, HTTP+JSON) client on fetch: just what tests/browser/engines.mjs
// needs to drive WebKitGTK's MiniBrowser through WebKitWebDriver.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

const freePort = () => new Promise((resolve, reject) => {
  const server = createServer();
  server.unref();
  server.on('error', reject);
  server.listen(0, '127.0.0.1', () => { const { port } = server.address(); server.close(() => resolve(port)); });
});

export class WebDriverError extends Error {}

// A test process that ends abruptly takes its drivers (and so their browsers) with it.
const running = new Set();
process.once('exit', () => { for (const proc of running) proc.kill(); });

/** Starts `binary --port=N` and resolves once its /status answers ready. */
export async function startDriver(binary, { timeout = 20_000 } = {}) {
  const port = await freePort();
  const proc = spawn(binary, [`--port=${port}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  running.add(proc);
  proc.once('exit', () => running.delete(proc));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeout;
  for (;;) {
    if (proc.exitCode !== null) throw new WebDriverError(`${binary} exited (${proc.exitCode}): ${stderr}`);
    try {
      const res = await fetch(url + '/status');
      if ((await res.json()).value?.ready !== false) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) { proc.kill(); throw new WebDriverError(`${binary} did not start: ${stderr}`); }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    async newSession(capabilities) {
      const value = await command(url, 'POST', '/session', { capabilities });
      return new Session(url, value.sessionId, value.capabilities);
    },
    async close() {
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill();
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    },
  };
}

// A command the driver has not answered in COMMAND_TIMEOUT_MS fails (a stalled WebKitWebDriver
// would otherwise hold the test file for fetch's 300 s header timeout per command).
const COMMAND_TIMEOUT_MS = 60_000;

async function command(base, method, path, body) {
  const res = await fetch(base + path, {
    method,
    signal: AbortSignal.timeout(COMMAND_TIMEOUT_MS),
    headers: body !== undefined ? { 'content-type': 'application/json; charset=utf-8' } : {},
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : {};
  if (!res.ok || json.value?.error) {
    const v = json.value ?? {};
    throw new WebDriverError(`WebDriver ${method} ${path}: ${v.error ?? res.status}: ${v.message ?? text}`);
  }
  return json.value;
}

/**
 * One WebDriver session. Commands are serialized (classic WebDriver runs one at a time per
 * session) and each names the window it is meant for: the session switches to it first.
 */
export class Session {
  constructor(base, id, capabilities) {
    this.base = base; this.id = id; this.capabilities = capabilities;
    this.current = null;
    this.queue = Promise.resolve();
  }

  raw(method, path, body) { return command(this.base, method, `/session/${this.id}${path}`, body); }

  /** Runs fn() with the session switched to `handle` (null: any), after every earlier command. */
  run(handle, fn) {
    const next = this.queue.then(async () => {
      if (handle && handle !== this.current) {
        await this.raw('POST', '/window', { handle });
        this.current = handle;
      }
      return fn();
    });
    this.queue = next.catch(() => {});
    return next;
  }

  async windowHandle() { return this.run(null, async () => (this.current = await this.raw('GET', '/window'))); }
  newWindow() { return this.run(null, async () => (await this.raw('POST', '/window/new', { type: 'tab' })).handle); }
  navigate(handle, url) { return this.run(handle, () => this.raw('POST', '/url', { url })); }
  refresh(handle) { return this.run(handle, () => this.raw('POST', '/refresh', {})); }
  executeSync(handle, script, args = []) { return this.run(handle, () => this.raw('POST', '/execute/sync', { script, args })); }
  screenshot(handle) { return this.run(handle, () => this.raw('GET', '/screenshot')); }
  actions(handle, actions) {
    return this.run(handle, async () => {
      await this.raw('POST', '/actions', { actions });
      await this.raw('DELETE', '/actions');
    });
  }
  setWindowRect(handle, rect) { return this.run(handle, () => this.raw('POST', '/window/rect', rect)); }
  closeWindow(handle) {
    return this.run(handle, async () => { await this.raw('DELETE', '/window'); this.current = null; });
  }
  async delete() { await this.queue; await command(this.base, 'DELETE', `/session/${this.id}`).catch(() => {}); }
}
