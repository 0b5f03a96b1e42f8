// Browser test harness: an in-process portal emulator serving the module under test and the test
// pages from one origin, and one browser engine (PORTAL_ENGINE: chromium, firefox or webkit;
// default chromium) driven through tests/browser/engines.mjs.
//
//   const h = await openHarness();          // emulator + browser
//   const page = await h.newPage();         // a fresh context on /test-pages/api.html, `window.portal` loaded
//   …
//   await h.close();
//
// PORTAL_DIST selects the build under test (default: dist/, the release build), PORTAL_TESTKIT
// the directory of its test-only wasm module, PORTAL_SHELL the shell served at / (default:
// build/shell, as scripts/build writes it; openHarness({ shell }) for one suite's own).
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { launch, ENGINE, CHROMIUM_ARGS } from './engines.mjs';
import { startEmulator, SHELL_DIR } from '../../emulator/server.mjs';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const DIST = resolve(ROOT, process.env.PORTAL_DIST ?? 'dist');
// The test-only wasm module of the same build (tests/wasm/testkit.cpp).
export const TESTKIT = resolve(ROOT, process.env.PORTAL_TESTKIT ?? 'build/wasm-release/tests/wasm');
export const SHELL = resolve(ROOT, process.env.PORTAL_SHELL ?? SHELL_DIR);

export { CHROMIUM_ARGS, ENGINE };

export const ACCESS_CODES = { system: 'dev-system-code', tenant: 'dev-tenant-code', consumer: 'dev-consumer-code' };
export const PASSWORD = 'Correct-Horse-9';
export const DOMAINS = { system: 'example.com', tenant: 'tenant.example.com', consumer: 'consumer.example.com' };
export const PORTALS = Object.keys(ACCESS_CODES);

/** Chromium through playwright-core itself (the consumer-app test, which stays Chromium-only). */
export function launchChromium() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}

export async function openHarness({ shell = SHELL, ...emulatorOptions } = {}) {
  const emulator = await startEmulator({
    host: '127.0.0.1',
    port: 0,
    mounts: [
      { prefix: '/', dir: resolve(ROOT, shell) },
      { prefix: '/dist', dir: DIST },
      { prefix: '/testkit', dir: TESTKIT },
      { prefix: '/test-pages', dir: resolve(ROOT, 'tests/browser/pages') },
      { prefix: '/vendor/lean-qr', dir: resolve(ROOT, 'node_modules/lean-qr') },
    ],
    quiet: true,
    ...emulatorOptions,
  });
  let browser;
  try {
    browser = await launch(ENGINE);
  } catch (e) {
    await emulator.close();
    throw new Error(`${ENGINE} did not start: ${e.message}`, { cause: e });
  }
  const contexts = [];
  return {
    url: emulator.url,
    emulator,
    browser,
    engine: ENGINE,
    // A fresh browser context (fresh storage) with the API page loaded.
    async newPage(path = '/test-pages/api.html', context = null) {
      const ctx = context ?? await browser.newContext();
      if (!context) contexts.push(ctx);
      const page = await ctx.newPage();
      await page.goto(emulator.url + path);
      if (path.startsWith('/test-pages/')) await page.waitForFunction(() => window.portal !== undefined || window.portalLoadError);
      return page;
    },
    async newContext() {
      const ctx = await browser.newContext();
      contexts.push(ctx);
      return ctx;
    },
    // Dev endpoints of the emulator (see docs/api.md §10.1).
    async dev(method, path, body) {
      const res = await fetch(emulator.url + '/__dev/' + path, {
        method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      return text ? JSON.parse(text).data : null;  // dev endpoints answer in the API envelope
    },
    // The latest code of `kind` mailed to `email`, waiting (up to 5 s) for one to arrive.
    async mailCode(email, kind = 'LOGIN_MFA') {
      for (let tries = 0; tries < 50; ++tries) {
        const box = await this.dev('GET', `mailbox?email=${encodeURIComponent(email)}`);
        if (box.latest?.[kind]) return box.latest[kind];
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`no ${kind} code was mailed to ${email}`);
    },
    async close() {
      for (const ctx of contexts) await ctx.close().catch(() => {});
      await browser.close().catch(() => {});
      await emulator.close();
    },
  };
}
