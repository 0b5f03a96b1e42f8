// Shared helpers of the shell's end-to-end tests: the shell page on the harness's emulator,
// sign-in steps, a TOTP generator, axe-core checks and screenshots.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openHarness, PASSWORD, DOMAINS } from '../browser/harness.mjs';

export { PASSWORD, DOMAINS };
const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const SHOTS = resolve(ROOT, 'test-results/shell');
const AXE_SOURCE = readFileSync(resolve(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
export const TIMEOUT = 15_000;

export const account = (local, portal = 'system') => `${local}@${DOMAINS[portal]}`;

export async function openShell(options) {
  mkdirSync(SHOTS, { recursive: true });
  return openHarness(options);
}

/** A fresh browser context (or the given one) with the shell loaded and started. */
export async function shellPage(h, { portal = 'system', context = null, viewport } = {}) {
  const ctx = context ?? await h.newContext();
  // page.consoleErrors: what the page logged as an error. HTTP error statuses are the API's
  // normal answers (the engine's "Failed to load resource" lines are left out); anything else
  // logged as an error is a bug.
  const page = await h.newPage(`/?portal=${portal}`, ctx);
  page.setDefaultTimeout(TIMEOUT);
  if (viewport) await page.setViewportSize(viewport);
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'true');
  return page;
}

/** Waits for the screen whose <h1> reads `name` (string or RegExp). */
export async function screen(page, name) {
  const heading = page.getByRole('heading', { level: 1, name });
  await heading.waitFor();
  return heading;
}

/** Waits until `text` is visible somewhere on the page. */
export async function seeText(page, text) {
  await page.getByText(text).first().waitFor();
}

export async function signIn(page, email, password = PASSWORD) {
  await screen(page, 'Sign in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs in with the emailed code (every seeded account has EMAIL MFA except mfa-required). */
export async function signInWithEmail(h, page, email, password = PASSWORD) {
  await signIn(page, email, password);
  await screen(page, 'Verify it’s you');
  const methods = page.getByRole('radio', { name: /Email code/ });
  if (await methods.count()) await methods.check();
  await page.getByRole('button', { name: 'Email me a code' }).click();
  await seeText(page, /We sent a code to/);
  const code = await h.mailCode(email);
  assert.match(code, /^\d{6}$/);
  await page.getByLabel('Code from the email').fill(code);
  await page.getByRole('button', { name: 'Verify and continue' }).click();
}

// RFC 6238 TOTP, shared with the API suites.
export { totp } from '../browser/totp.mjs';

/** The emulator's clock (it may be moved by tests), in ms. */
export async function emulatorNow(h) {
  const clock = await h.dev('GET', 'clock');
  return Date.parse(clock.now);
}

/**
 * Runs axe-core on the page and fails on serious or critical violations. The page's CSP
 * forbids injected <script> elements, so the source is evaluated through the automation
 * protocol (page.evaluate), which the CSP does not govern.
 */
export async function checkA11y(page, label) {
  const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!hasAxe) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
  assert.deepEqual(violations, [], `axe on ${label}: ${JSON.stringify(violations, null, 2)}`);
}

export async function shot(page, name) {
  await page.screenshot({ path: resolve(SHOTS, `${name}.png`), fullPage: true });
}

/** Asserts the page raised no uncaught errors and logged none. */
export function noPageErrors(page) {
  assert.deepEqual(page.pageErrors.map(String), []);
  assert.deepEqual(page.consoleErrors, []);
}

/** Opens the security centre from the main navigation and waits for its last card. */
export async function openSecurity(page) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Security' }).click();
  await screen(page, 'Security');
  await page.getByRole('button', { name: 'Sign out all other sessions' }).waitFor();
}
