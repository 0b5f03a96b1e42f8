// One way to drive a browser test in Chromium, Firefox and WebKit. A test is written once against
// this small interface; each engine is reached through its own automation client:
//
//   chromium  playwright-core (CDP), Debian's /usr/bin/chromium, headless
//   firefox   puppeteer-core over WebDriver BiDi, /usr/bin/firefox-esr, headless
//   webkit    classic W3C WebDriver (tests/browser/webdriver.mjs) to WebKitWebDriver + MiniBrowser
//             (WebKitGTK); needs a display: run under `xvfb-run -a`
//
//   const browser = await launch('firefox');
//   const context = await browser.newContext();      // fresh, isolated storage
//   const page = await context.newPage();            // another page of a context: another tab
//   await page.goto(url);
//   await page.evaluate((a) => …, arg);              // awaits promises; undefined survives
//   await page.waitForFunction(() => …);             // polls in the page
//   await page.getByRole('button', { name: 'Sign in' }).click();
//   page.pageErrors, page.consoleErrors              // uncaught errors, console.error calls
//   await browser.close();
//
// Element access (getByRole / getByLabel / getByText / locator, and the actions on them) runs in
// the page through tests/browser/inpage.mjs in every engine, so a locator means the same thing
// everywhere; it follows the Playwright calls the tests used before (strict: an action on a
// locator matching several elements throws). Keyboard input is real (native key events of each
// automation protocol). PORTAL_ENGINES (comma-separated, default all three) selects engines.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { startDriver } from './webdriver.mjs';
import { installHelper, installErrorHooks } from './inpage.mjs';

export const ALL_ENGINES = ['chromium', 'firefox', 'webkit'];
export const ENGINES = (process.env.PORTAL_ENGINES ?? ALL_ENGINES.join(',')).split(',').map((e) => e.trim()).filter(Boolean);
for (const e of ENGINES) if (!ALL_ENGINES.includes(e)) throw new Error(`PORTAL_ENGINES: unknown engine ${e}`);
/** The engine of this process (the suite runner sets PORTAL_ENGINE per run; default chromium). */
export const ENGINE = process.env.PORTAL_ENGINE ?? 'chromium';

/**
 * WebKit needs a display. When it is among ENGINES and there is none, runs this script again
 * under `xvfb-run -a` and exits with the script's own status; otherwise returns at once. The
 * script reports that status with `exitWith`. xvfb-run's clean-up (xauth remove, killing Xvfb)
 * runs under `set -e` after the script has ended and turns a failure of its own (an xauth lock
 * that timed out, say) into exit status 1 with nothing printed; a CI run whose every test had
 * passed ended that way. Its status counts only when the script did not report one.
 */
export function ensureDisplay() {
  if (!ENGINES.includes('webkit') || process.env.DISPLAY || process.env.WAYLAND_DISPLAY || process.env.PORTAL_VERDICT) return;
  const dir = mkdtempSync(join(os.tmpdir(), 'portal-display-'));
  const verdict = join(dir, 'status');
  const r = spawnSync('xvfb-run', ['-a', process.execPath, ...process.execArgv, ...process.argv.slice(1)],
    { stdio: 'inherit', env: { ...process.env, PORTAL_VERDICT: verdict } });
  const status = existsSync(verdict) ? Number(readFileSync(verdict, 'utf8')) : (r.status ?? 1);
  rmSync(dir, { recursive: true, force: true });
  if (status !== r.status) console.error(`xvfb-run exited ${r.status ?? r.signal} after the script, which ended with ${status}`);
  process.exit(status);
}

/** Ends the script with `status`, reported to ensureDisplay's parent when there is one. */
export function exitWith(status) {
  if (process.env.PORTAL_VERDICT) writeFileSync(process.env.PORTAL_VERDICT, String(status));
  process.exitCode = status;
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const WEBKIT_MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const DEFAULT_TIMEOUT = 15_000;

const HELPER = `(${installHelper})()`;
const ERROR_HOOKS = `(${installErrorHooks})()`;
const argJson = (arg) => (arg === undefined ? 'undefined' : JSON.stringify(arg));
const decode = (v) => {
  if (Array.isArray(v)) return v.map(decode);
  if (v && typeof v === 'object') {
    if ('\u0000u' in v) return undefined;
    if ('\u0000n' in v) return Number(v['\u0000n']);
    const out = {};
    for (const [k, x] of Object.entries(v)) out[k] = decode(x);
    return out;
  }
  return v;
};
// An expression whose value is {ok: encoded result} or {err, message}: the one shape every
// engine's evaluation returns, whatever the code does.
const wrap = (body) => `(async () => { const __eh = ${HELPER}; try { return { ok: __eh.enc(await (async () => { ${body} })()) }; }
  catch (e) { return { err: String(e && e.stack || e), message: String(e && e.message || e) }; } })()`;
const call = (fn, ...args) => (typeof fn === 'function' ? `return (${fn})(${args.join(', ')});` : `${fn}\n;return undefined;`);
// 'Shift+Tab' → { modifiers: ['Shift'], key: 'Tab' } (Playwright's chord syntax).
const MODIFIERS = ['Shift', 'Control', 'Alt', 'Meta'];
export function parseChord(chord) {
  const parts = chord.length > 1 ? chord.split('+') : [chord];
  const key = parts.pop() || '+';
  for (const m of parts) if (!MODIFIERS.includes(m)) throw new Error(`keyboard.press: unknown modifier ${m} in ${chord}`);
  return { modifiers: parts, key };
}
const isNavigationError = (message) => /context was destroyed|Execution context|navigat|Cannot find context|no such frame|document unloaded|JavaScript execution context|__ev is gone/i.test(message);

class EvaluationError extends Error {}

/** What a test drives: one tab. Engine specifics live in the subclasses' raw* methods. */
class Page {
  constructor(context) {
    this.context = context;
    this.engine = context.browser.engine;
    this.pageErrors = [];
    this.consoleErrors = [];
    this.timeout = DEFAULT_TIMEOUT;
    const page = this;
    this.keyboard = { press: (key) => page.rawPress(key), type: (text) => page.rawType(text) };
    // The clock, engine-neutral: moves Date.now() (what the shell's countdowns read) ahead of
    // real time; timers keep running in real time.
    this.clock = {
      install: () => page.evaluate(() => {
        if (window.__clockOffset !== undefined) return;
        window.__clockOffset = 0;
        const real = Date.now.bind(Date);
        Date.now = () => real() + window.__clockOffset;
      }),
      fastForward: (ms) => page.evaluate((d) => { window.__clockOffset += d; }, ms),
    };
  }

  setDefaultTimeout(ms) { this.timeout = ms; }

  async evaluate(fn, arg) {
    const result = await this.rawEval(wrap(call(fn, argJson(arg))));
    if (!result || typeof result !== 'object') throw new EvaluationError(`evaluate: unexpected result ${JSON.stringify(result)}`);
    if ('err' in result) { const e = new EvaluationError(result.message); e.stack = `Error: ${result.message}\n${result.err}\n    (in the page, ${this.engine})`; throw e; }
    return decode(result.ok);
  }

  /** Polls fn(arg) in the page until it returns a truthy value, which it returns. */
  async waitForFunction(fn, arg, { timeout = this.timeout, polling = 50 } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const left = Math.max(0, deadline - Date.now());
      try {
        return await this.evaluate(`return (async () => {
          const f = (${fn}), end = __eh.now() + ${left};
          for (;;) {
            try { const v = await f(${argJson(arg)}); if (v) return v; } catch {}
            if (__eh.now() > end) throw new Error('Timeout ${timeout} ms waiting for function');
            await __eh.sleep(${polling});
          }
        })();`);
      } catch (e) {
        if (!isNavigationError(e.message) || Date.now() > deadline) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  async goto(url) { await this.rawGoto(url); await this.afterNavigation(); }
  async reload() { await this.rawReload(); await this.afterNavigation(); }
  async afterNavigation() {}

  async screenshot({ path, fullPage = false } = {}) {
    const png = await this.rawScreenshot(fullPage);
    if (path) writeFileSync(path, png);
    return png;
  }

  /** Resolves with {suggestedFilename()} once the page starts a download (an <a download> click). */
  waitForEvent(name, { timeout = this.timeout } = {}) {
    if (name !== 'download') throw new Error(`waitForEvent: only 'download' is supported, not ${name}`);
    // The hook is installed before any later call reaches the page (calls reach it in order);
    // it records the file name and cancels the download itself (nothing is written anywhere).
    const installed = this.evaluate(() => {
      if (__eh.downloadHook) return;
      __eh.downloadHook = true;
      document.addEventListener('click', (e) => {
        const a = e.target instanceof Element ? e.target.closest('a[download]') : null;
        if (a) { __eh.downloads.push(a.download); e.preventDefault(); }
      }, true);
      __eh.downloads.length = 0;
    });
    return installed.then(() => this.waitForFunction(() => window.__eh.downloads[0], undefined, { timeout }))
      .then((filename) => ({ suggestedFilename: () => filename }));
  }

  getByRole(role, options) { return new Locator(this, []).getByRole(role, options); }
  getByLabel(text, options) { return new Locator(this, []).getByLabel(text, options); }
  getByText(text, options) { return new Locator(this, []).getByText(text, options); }
  locator(selector, options) { return new Locator(this, []).locator(selector, options); }
}

const matcher = (m, exact) => (m instanceof RegExp ? { re: m.source, flags: m.flags } : m == null ? null : { s: String(m), exact: !!exact });
const show = (m) => (m instanceof RegExp ? String(m) : JSON.stringify(m));

/** A lazy description of elements (a chain of steps), resolved in the page at each action. */
export class Locator {
  constructor(page, steps, desc = 'page') { this.page = page; this.steps = steps; this.desc = desc; }
  chain(step, desc) { return new Locator(this.page, [...this.steps, step], this.steps.length ? `${this.desc}.${desc}` : desc); }
  getByRole(role, { name, exact, level, checked } = {}) {
    return this.chain({ t: 'role', role, name: matcher(name, exact), level, checked }, `getByRole(${role}${name != null ? `, ${show(name)}` : ''})`);
  }
  getByLabel(text, { exact } = {}) { return this.chain({ t: 'label', text: matcher(text, exact) }, `getByLabel(${show(text)})`); }
  getByText(text, { exact } = {}) { return this.chain({ t: 'text', text: matcher(text, exact) }, `getByText(${show(text)})`); }
  locator(sel, options = {}) {
    const l = this.chain({ t: 'css', sel }, `locator(${sel})`);
    return options.hasText != null || options.has ? l.filter(options) : l;
  }
  filter({ hasText, has } = {}) {
    return new Locator(this.page, [...this.steps, { t: 'filter', hasText: matcher(hasText, false), has: has?.steps }],
      `${this.desc}.filter(${hasText != null ? show(hasText) : has.desc})`);
  }
  nth(n) { return this.chain({ t: 'nth', n }, `nth(${n})`); }
  first() { return this.nth(0); }
  last() { return this.nth(-1); }

  op(name, arg, timeout = this.page.timeout) {
    return this.page.evaluate(([steps, desc, n, a, t]) => __eh.op(steps, desc, n, a, t), [this.steps, this.desc, name, arg, timeout]);
  }
  waitFor({ state, timeout } = {}) { return this.op('waitFor', { state }, timeout); }
  click({ timeout } = {}) { return this.op('click', null, timeout); }
  check({ timeout } = {}) { return this.op('check', null, timeout); }
  fill(value, { timeout } = {}) { return this.op('fill', String(value), timeout); }
  selectOption(value, { timeout } = {}) { return this.op('selectOption', value, timeout); }
  focus({ timeout } = {}) { return this.op('focus', null, timeout); }
  count() { return this.op('count'); }
  isVisible() { return this.op('isVisible'); }
  isDisabled() { return this.op('isDisabled'); }
  isChecked() { return this.op('isChecked'); }
  inputValue() { return this.op('inputValue'); }
  getAttribute(name) { return this.op('getAttribute', name); }
  textContent() { return this.op('textContent'); }
  allTextContents() { return this.op('allTextContents'); }
  /** fn(element, arg) in the page, on the one element this locator matches. */
  evaluate(fn, arg) {
    return this.page.evaluate(`const el = await __eh.one(${JSON.stringify(this.steps)}, ${JSON.stringify(this.desc)}, ${this.page.timeout});
      return (${fn})(el, ${argJson(arg)});`);
  }
  /** fn(elements, arg) in the page, on every element this locator matches (now). */
  evaluateAll(fn, arg) {
    return this.page.evaluate(`return (${fn})(__eh.resolve(${JSON.stringify(this.steps)}), ${argJson(arg)});`);
  }
}

// ---------------------------------------------------------------- chromium (playwright-core)
class ChromiumPage extends Page {
  constructor(context, pw) {
    super(context);
    this.pw = pw;
    pw.on('pageerror', (e) => this.pageErrors.push(e));
    pw.on('console', (m) => {
      // HTTP error statuses are an API's normal answers, not errors of the page.
      if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) this.consoleErrors.push(m.text());
    });
  }
  rawEval(expr) { return this.pw.evaluate(expr); }
  /** Runs fn() in every new document of this page before its own scripts (Chromium and Firefox only). */
  async addInitScript(fn) { await this.pw.addInitScript(`(${fn})()`); return true; }
  rawGoto(url) { return this.pw.goto(url); }
  rawReload() { return this.pw.reload(); }
  rawPress(key) { return this.pw.keyboard.press(key); }
  rawType(text) { return this.pw.keyboard.type(text); }
  rawScreenshot(fullPage) { return this.pw.screenshot({ fullPage }); }
  setViewportSize(size) { return this.pw.setViewportSize(size); }
  close() { return this.pw.close(); }
}

async function launchChromium() {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  return {
    version: browser.version(),
    async newContext() {
      const ctx = await browser.newContext();
      return { newPage: async (context) => new ChromiumPage(context, await ctx.newPage()), close: () => ctx.close() };
    },
    close: () => browser.close(),
  };
}

// ---------------------------------------------------------------- firefox (puppeteer-core, BiDi)
class FirefoxPage extends Page {
  constructor(context, pp) {
    super(context);
    this.pp = pp;
    pp.on('pageerror', (e) => this.pageErrors.push(e));
    pp.on('console', (m) => { if (m.type() === 'error') this.consoleErrors.push(m.text()); });
  }
  rawEval(expr) { return this.pp.evaluate(expr); }
  async addInitScript(fn) { await this.pp.evaluateOnNewDocument(`(${fn})()`); return true; }
  rawGoto(url) { return this.pp.goto(url); }
  rawReload() { return this.pp.reload(); }
  // A chord: the modifiers held down (BiDi keeps them pressed between actions) around the key.
  async rawPress(chord) {
    const { modifiers, key } = parseChord(chord);
    for (const m of modifiers) await this.pp.keyboard.down(m);
    try { await this.pp.keyboard.press(key); } finally { for (const m of [...modifiers].reverse()) await this.pp.keyboard.up(m); }
  }
  rawType(text) { return this.pp.keyboard.type(text); }
  rawScreenshot(fullPage) { return this.pp.screenshot({ fullPage }); }
  setViewportSize(size) { return this.pp.setViewport(size); }
  close() { return this.pp.close(); }
}

async function launchFirefox() {
  const browser = await puppeteer.launch({
    browser: 'firefox', executablePath: '/usr/bin/firefox-esr', headless: true,
    // No update checks, telemetry or first-run pages while testing.
    extraPrefsFirefox: { 'app.update.enabled': false, 'datareporting.policy.dataSubmissionEnabled': false, 'browser.shell.checkDefaultBrowser': false },
  });
  return {
    version: await browser.version(),
    async newContext() {
      const ctx = await browser.createBrowserContext();
      return {
        newPage: async (context) => { const p = await ctx.newPage(); await p.setViewport({ width: 1280, height: 720 }); return new FirefoxPage(context, p); },
        close: () => ctx.close(),
      };
    },
    close: () => browser.close(),
  };
}

// ---------------------------------------------------------------- webkit (classic WebDriver)
const WD_KEYS = { Tab: '\uE004', Enter: '\uE007', Escape: '\uE00C', Backspace: '\uE003', Space: ' ', ArrowDown: '\uE015',
  ArrowUp: '\uE013', ArrowLeft: '\uE012', ArrowRight: '\uE014', Shift: '\uE008', Home: '\uE011', End: '\uE010' };
const WD_MODIFIERS = { Shift: '\uE008', Control: '\uE009', Alt: '\uE00A', Meta: '\uE03D' };

class WebKitPage extends Page {
  constructor(context, session, handle) {
    super(context);
    this.session = session;
    this.handle = handle;
    this.seq = 0;
  }
  // Classic WebDriver runs one script at a time per session, and a session is a context here:
  // so a script is started (its promise parked in the page) and its result polled, which lets
  // the tabs of one context run concurrently, as they do in the other engines.
  async rawEval(expr) {
    if (this.context.pages.length === 1) {
      // The only tab of its session: one command that returns once the promise settles.
      const r = await this.session.executeSync(this.handle, `${ERROR_HOOKS};
        const drain = () => { const errs = window.__ehErrors; return { page: errs.page.splice(0), console: errs.console.splice(0) }; };
        return Promise.resolve().then(() => ${expr}).then((v) => ({ v, drained: drain() }),
          (e) => ({ v: { err: String(e), message: String(e && e.message || e) }, drained: drain() }));`);
      this.pageErrors.push(...r.drained.page);
      this.consoleErrors.push(...r.drained.console);
      return r.v;
    }
    const id = `e${++this.seq}`;
    await this.session.executeSync(this.handle, `${ERROR_HOOKS};
      const ev = window.__ev || (window.__ev = {});
      Promise.resolve().then(() => ${expr}).then((v) => { ev['${id}'] = { v }; }, (e) => { ev['${id}'] = { v: { err: String(e), message: String(e && e.message || e) } }; });
      return true;`);
    for (let i = 0; ; ++i) {
      const r = await this.session.executeSync(this.handle, `const ev = window.__ev, errs = window.__ehErrors;
        const drained = errs ? { page: errs.page.splice(0), console: errs.console.splice(0) } : null;
        if (!ev) return { gone: true, drained };
        const r = ev['${id}']; if (r) delete ev['${id}'];
        return { r: r || null, drained };`);
      if (r.drained) { this.pageErrors.push(...r.drained.page); this.consoleErrors.push(...r.drained.console); }
      if (r.gone) return { err: 'window.__ev is gone: the page navigated', message: 'the page navigated (execution context was destroyed)' };
      if (r.r) return r.r.v;
      await new Promise((res) => setTimeout(res, i < 10 ? 10 : 40));
    }
  }
  /** Classic WebDriver has no scripts that run before a document's own: answers false. */
  async addInitScript() { return false; }
  async afterNavigation() { await this.session.executeSync(this.handle, `${ERROR_HOOKS}; return true;`); }
  rawGoto(url) { return this.session.navigate(this.handle, url); }
  rawReload() { return this.session.refresh(this.handle); }
  // A chord is one key action sequence: the modifiers down, the key down and up, the modifiers up.
  rawPress(chord) {
    const { modifiers, key } = parseChord(chord);
    const value = WD_KEYS[key] ?? key;
    const held = modifiers.map((m) => WD_KEYS[m] ?? WD_MODIFIERS[m]);
    const actions = [...held.map((v) => ({ type: 'keyDown', value: v })), { type: 'keyDown', value }, { type: 'keyUp', value },
      ...held.reverse().map((v) => ({ type: 'keyUp', value: v }))];
    return this.session.actions(this.handle, [{ type: 'key', id: 'keyboard', actions }]);
  }
  rawType(text) {
    const actions = [...text].flatMap((c) => [{ type: 'keyDown', value: c }, { type: 'keyUp', value: c }]);
    return this.session.actions(this.handle, [{ type: 'key', id: 'keyboard', actions }]);
  }
  async rawScreenshot() { return Buffer.from(await this.session.screenshot(this.handle), 'base64'); }
  /**
   * Sizes the window so that the page's viewport (innerWidth × innerHeight) is `size`. MiniBrowser's
   * window has a minimum width (its toolbar: 447 CSS px here); a narrower width gives that minimum,
   * noted in page.viewportNote (tests measure window.innerWidth, not the asked width).
   */
  async setViewportSize({ width, height }) {
    let inner;
    for (let i = 0; i < 3; ++i) {
      inner = await this.evaluate(() => [window.innerWidth, window.innerHeight, window.outerWidth, window.outerHeight]);
      if (inner[0] === width && inner[1] === height) return;
      await this.session.setWindowRect(this.handle, { width: width + (inner[2] - inner[0]), height: height + (inner[3] - inner[1]) });
    }
    const [w, h] = await this.evaluate(() => [window.innerWidth, window.innerHeight]);
    if (w !== width) this.viewportNote = `webkit: viewport ${w}×${h} instead of ${width}×${height} (MiniBrowser's minimum window width)`;
    if (w > width + 100 || h !== height) throw new Error(`webkit: could not size the viewport to ${width}×${height} (got ${w}×${h})`);
  }
  close() { return this.session.closeWindow(this.handle); }
}

async function launchWebKit() {
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) throw new Error('webkit: no display (run under xvfb-run -a)');
  const capabilities = { alwaysMatch: { browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { binary: WEBKIT_MINIBROWSER, args: ['--automation'] } } };
  const open = new Set();
  // A context is a WebDriver session, which drives its own MiniBrowser process with its own
  // (ephemeral) storage. WebKitWebDriver serves one session at a time: one driver per context.
  async function newContext(attempt = 1) {
    const driver = await startDriver('/usr/bin/WebKitWebDriver');
    let session;
    try {
      session = await driver.newSession(capabilities);
      await session.raw('POST', '/timeouts', { script: 600_000, pageLoad: 60_000 });
    } catch (e) {
      await driver.close();
      // Now and then the driver never answers a new session (seen once in a bench run of about
      // 80 sessions): one more try, with a fresh driver and browser.
      if (attempt === 1 && e?.name === 'TimeoutError') return newContext(2);
      throw e;
    }
    const entry = { driver, session };
    open.add(entry);
    let first = await session.windowHandle();
    return {
      session,
      async newPage(context) {
        const handle = first ?? await session.newWindow();
        first = null;
        return new WebKitPage(context, session, handle);
      },
      async close() { open.delete(entry); await session.delete(); await driver.close(); },
    };
  }
  // Started once up front, so that a WebKit that cannot start fails at launch.
  const spare = await newContext();
  const version = `${spare.session.capabilities.browserName} ${spare.session.capabilities.browserVersion}`;
  let reuse = spare;
  return {
    version,
    async newContext() { const c = reuse ?? await newContext(); reuse = null; return c; },
    async close() { for (const { driver, session } of [...open]) { await session.delete(); await driver.close(); } },
  };
}

const LAUNCHERS = { chromium: launchChromium, firefox: launchFirefox, webkit: launchWebKit };

/** Starts `engine`; a browser that cannot start rejects (a test run must fail, not skip). */
export async function launch(engine = ENGINE) {
  const impl = await LAUNCHERS[engine]();
  const contexts = new Set();
  const browser = {
    engine,
    get version() { return impl.version; },
    async newContext() {
      const ctxImpl = await impl.newContext();
      const context = {
        browser,
        pages: [],
        async newPage() { const p = await ctxImpl.newPage(context); context.pages.push(p); return p; },
        async close() { contexts.delete(context); await ctxImpl.close(); },
      };
      contexts.add(context);
      return context;
    },
    async close() {
      for (const c of [...contexts]) await c.close().catch(() => {});
      await impl.close();
    },
  };
  return browser;
}
