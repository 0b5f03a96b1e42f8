// Errors a developer can act on, in Chromium against the emulator: a wrong portal access code is
// PORTAL.ACCESS_CODE_INVALID (and signs nothing out); a cross-origin baseUrl warns once at
// creation and a request the browser blocks is CLIENT.CORS_BLOCKED; offline is CLIENT.NETWORK.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { startEmulator } from '../../emulator/server.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const DIST = resolve(ROOT, process.env.PORTAL_DIST ?? 'dist');
let app, other, browser;

before(async () => {
  const mounts = [{ prefix: '/', dir: resolve(import.meta.dirname, 'pages') }, { prefix: '/dist', dir: DIST }];
  app = await startEmulator({ host: '127.0.0.1', port: 0, quiet: true, mounts });
  other = await startEmulator({ host: '127.0.0.1', port: 0, quiet: true, mounts: [] });  // another origin, no CORS
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
});
after(async () => { await browser?.close(); await app?.close(); await other?.close(); });

async function openPage() {
  const context = await browser.newContext();
  const page = await context.newPage();
  const warnings = [];
  page.on('console', (message) => { if (message.type() === 'warning') warnings.push(message.text()); });
  await page.goto(app.url + '/');
  await page.locator('body[data-ready="true"]').waitFor({ state: 'attached', timeout: 20_000 });
  return { context, page, warnings };
}

test('a wrong portal access code rejects with PORTAL.ACCESS_CODE_INVALID and signs nothing out', { timeout: 120_000 }, async () => {
  const { context, page } = await openPage();
  try {
    for (const code of ['wrong-code', 'dev-tenant-code']) {  // unknown; another portal's
      const out = await page.evaluate((portalAccessCode) => window.trySignIn({ portalAccessCode }), code);
      assert.deepEqual(out.rejected && [out.rejected.code, out.rejected.status, out.rejected.isPortalError],
        ['PORTAL.ACCESS_CODE_INVALID', 401, true], JSON.stringify(out));
      assert.equal(out.authState.state, 'SIGNED_OUT');
      assert.deepEqual(out.events, []);
    }
  } finally { await context.close(); }
});

test('a cross-origin baseUrl warns once, and the blocked request is CLIENT.CORS_BLOCKED', { timeout: 120_000 }, async () => {
  const { context, page, warnings } = await openPage();
  try {
    for (let i = 0; i < 2; i++) {
      const out = await page.evaluate((baseUrl) => window.trySignIn({ portalAccessCode: 'dev-system-code', baseUrl }), other.url);
      assert.deepEqual(out.rejected && [out.rejected.code, out.rejected.kind, out.rejected.status], ['CLIENT.CORS_BLOCKED', 'transport', 0], JSON.stringify(out));
      assert.match(out.rejected.message, /integration\.md/);
    }
    const crossOrigin = warnings.filter((w) => w.includes('portal-client') && w.includes('integration.md'));
    assert.equal(crossOrigin.length, 1, `one warning per page: ${JSON.stringify(warnings)}`);
    assert.ok(crossOrigin[0].includes(other.url), crossOrigin[0]);
  } finally { await context.close(); }
});

test('offline, same origin or cross-origin: CLIENT.OFFLINE, never CORS_BLOCKED', { timeout: 120_000 }, async () => {
  const { context, page, warnings } = await openPage();
  try {
    await page.evaluate(() => window.load());  // the module, before the network goes away
    await context.setOffline(true);
    for (const baseUrl of [app.url, other.url]) {
      const out = await page.evaluate((url) => window.trySignIn({ portalAccessCode: 'dev-system-code', baseUrl: url }), baseUrl);
      assert.deepEqual(out.rejected && [out.rejected.code, out.rejected.kind], ['CLIENT.OFFLINE', 'transport'], JSON.stringify(out));
    }
    assert.equal(warnings.filter((w) => w.includes('portal-client')).length, 1, 'only the cross-origin client warned');
  } finally { await context.close(); }
});
