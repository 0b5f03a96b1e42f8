// Tabs and sessions in the shell: a second tab opened on a deep link, `?portal=` values that are
// not portals, and what stays in storage after sign-out.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { openShell, shellPage, screen, signInWithEmail, account } from './support.mjs';

let h;
before(async () => { h = await openShell(); });
after(async () => { await h?.close(); });
beforeEach(async () => { await h.dev('POST', 'reset'); });

/** Never both: a sign-in form and a signed-in header at once. */
const mixed = (page) => page.evaluate(() => !!document.querySelector('#sign-out')
  && [...document.querySelectorAll('main h1')].some((e) => e.textContent === 'Sign in'));

test('a second tab opened on #/security comes up signed in on Security', async () => {
  const context = await h.newContext();
  const first = await shellPage(h, { context });
  await signInWithEmail(h, first, account('admin'));
  await screen(first, 'Home');
  const second = await h.newPage('/?portal=system#/security', context);
  await second.waitForFunction(() => document.documentElement.dataset.ready === 'true');
  await second.waitForFunction(() => document.querySelector('main h1')?.textContent === 'Security', null, { timeout: 5_000 });
  assert.equal(await second.evaluate(() => location.hash), '#/security');
  assert.equal(await mixed(second), false);
  assert.equal(await second.evaluate(() => !!document.querySelector('#sign-out')), true);
});

test('a second tab of a signed-out browser comes up signed out cleanly', async () => {
  const context = await h.newContext();
  await shellPage(h, { context });
  const second = await h.newPage('/?portal=system#/security', context);
  await second.waitForFunction(() => document.documentElement.dataset.ready === 'true');
  await screen(second, 'Sign in');
  assert.equal(await second.getByRole('button', { name: 'Sign out' }).count(), 0);
  assert.equal(await mixed(second), false);
});

test('a tab on the sign-in screen follows a sign-in in another tab to the screen it was opened for', async () => {
  const context = await h.newContext();
  const waiting = await h.newPage('/?portal=system#/profile', context);
  await waiting.waitForFunction(() => document.documentElement.dataset.ready === 'true');
  await screen(waiting, 'Sign in');
  const first = await shellPage(h, { context });
  await signInWithEmail(h, first, account('admin'));
  await screen(first, 'Home');
  await waiting.waitForFunction(() => location.hash === '#/profile'
    && document.querySelector('main h1')?.textContent === 'Profile', null, { timeout: 5_000 });
  assert.equal(await mixed(waiting), false);
});

test('?portal=toString (or any Object.prototype name) falls back to the default portal, also afterwards', async () => {
  const context = await h.newContext();
  let previous = null;
  for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
    // A fresh tab each time; the previous one is closed once this one is open (in WebKit a
    // context's last window closed ends its WebDriver session).
    const page = await h.newPage(`/?portal=${name}`, context);
    await previous?.close();
    await page.waitForFunction(() => document.documentElement.dataset.ready === 'true');
    await screen(page, 'Sign in');
    assert.equal(await page.locator('.portal-badge').textContent(), 'System');
    // The rest of the tab session: a load without the parameter works too.
    await page.goto(`${h.url}/`);
    await page.waitForFunction(() => document.documentElement.dataset.ready === 'true');
    await screen(page, 'Sign in');
    assert.equal(await page.locator('.portal-badge').textContent(), 'System');
    previous = page;
  }
});

test('after sign-out no session state stays in storage (the install id and shell preferences may)', async () => {
  const page = await shellPage(h);
  await signInWithEmail(h, page, account('admin'));
  await screen(page, 'Home');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await screen(page, 'Sign in');
  const keys = await page.evaluate(() => [...Object.keys(localStorage), ...Object.keys(sessionStorage)].sort());
  assert.deepEqual(keys.filter((k) => k.startsWith('portal-client:')), ['portal-client:system:install-id']);
  const flow = await page.evaluate(() => sessionStorage.getItem('portal-shell:flow'));
  assert.ok(flow === null || flow === '{}', flow);
});
