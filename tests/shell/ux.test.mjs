// What users expect beyond the journeys: keyboard-only use, no double submission, a loading
// indicator on network waits, and layouts that work at 375 px and 1280 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openShell, shellPage, screen, seeText, signInWithEmail, checkA11y, shot, noPageErrors, account, PASSWORD } from './support.mjs';

let h;
before(async () => { h = await openShell(); });
after(async () => { await h?.close(); });

const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  return { tag: el?.tagName, name: el?.getAttribute('name'), text: el?.textContent?.trim(), visible: el?.matches(':focus-visible') };
});

test('keyboard only: sign in, verify, navigate, sign out', async () => {
  const page = await shellPage(h);
  await screen(page, 'Sign in');
  // The page opens with the email field focused (in its first frame after the screen is ready);
  // backwards from it, the skip link is the first stop.
  await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'email');
  // Shift+Tab is one chord: focus moves backwards, to an element before the email field.
  await page.keyboard.press('Shift+Tab');
  assert.equal(await page.evaluate(() => !!(document.activeElement.compareDocumentPosition(document.querySelector('input[name=email]'))
    & Node.DOCUMENT_POSITION_FOLLOWING)), true, 'Shift+Tab moved focus backwards');
  let back = 0;
  while ((await focused(page)).text !== 'Skip to content' && back++ < 12) await page.keyboard.press('Shift+Tab');
  assert.equal((await focused(page)).text, 'Skip to content');
  await page.keyboard.press('Enter');
  assert.equal((await focused(page)).tag, 'H1');
  let guard = 0;
  while ((await focused(page)).name !== 'email' && guard++ < 10) await page.keyboard.press('Tab');
  const email = await focused(page);
  assert.equal(email.name, 'email');
  assert.equal(email.visible, true, 'keyboard focus is visible');
  await page.keyboard.type(account('noworkspace'));
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await screen(page, 'Verify it’s you');
  // Focus moved to the new screen's heading; Tab reaches the send button.
  assert.equal((await focused(page)).tag, 'H1');
  guard = 0;
  while ((await focused(page)).text !== 'Email me a code' && guard++ < 10) await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await seeText(page, /We sent a code to/);
  assert.equal((await focused(page)).name, 'code', 'after sending, focus is on the code field');
  await page.keyboard.type(await h.mailCode(account('noworkspace')));
  await page.keyboard.press('Enter');
  await screen(page, 'Create your first workspace');
  // The navigation is reachable and usable by keyboard.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Workspaces' }).focus();
  await page.keyboard.press('Enter');
  await screen(page, 'Workspaces');
  await checkA11y(page, 'workspaces');
  await page.getByRole('button', { name: 'Sign out' }).focus();
  await page.keyboard.press('Enter');
  await screen(page, 'Sign in');
  noPageErrors(page);
});

test('a slow call shows a loading indicator and its button cannot submit twice', async () => {
  const page = await shellPage(h);
  await h.dev('POST', 'stats/reset');
  await h.dev('POST', 'faults', { path: '/web/v1/system/auth/login/initiate', kind: 'delay', delayMs: 1500 });
  await page.getByLabel('Email address').fill(account('admin'));
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  const submit = page.getByRole('button', { name: 'Sign in' });
  await submit.click();
  await page.waitForFunction(() => document.querySelector('form button[type=submit]').disabled);
  assert.equal(await submit.getAttribute('aria-busy'), '');
  assert.equal(await page.locator('form button[type=submit] .spinner').count(), 1);
  assert.equal(await page.evaluate(() => document.body.classList.contains('is-loading')), true);
  await page.keyboard.press('Enter');  // a second submit while the first is in flight
  await shot(page, 'ux-busy-button');
  await screen(page, 'Verify it’s you');
  const stats = await h.dev('GET', 'stats');
  assert.equal(stats.requests['POST /web/v1/system/auth/login/initiate'], 1);

  // A screen waiting for its data shows a loading status.
  await page.getByRole('button', { name: 'Email me a code' }).click();
  await page.getByLabel('Code from the email').fill(await h.mailCode(account('admin')));
  await page.getByRole('button', { name: 'Verify and continue' }).click();
  await screen(page, 'Home');
  await h.dev('POST', 'faults', { path: '/web/v1/system/profile', kind: 'delay', delayMs: 4000, times: 3 });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Profile' }).click();
  await page.getByRole('status').filter({ hasText: 'Loading…' }).waitFor();
  await page.getByRole('heading', { name: 'Edit profile' }).waitFor();
  noPageErrors(page);
});

for (const [width, height] of [[375, 812], [1280, 800]]) {
  test(`layout at ${width} px: no horizontal scrolling on the main screens`, async () => {
    const page = await shellPage(h, { portal: 'consumer', viewport: { width, height } });
    const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    await screen(page, 'Sign in');
    assert.ok(await fits(), 'sign-in fits');
    await shot(page, `layout-${width}-sign-in`);
    await signInWithEmail(h, page, account('invitations', 'consumer'));
    await screen(page, 'Invitations');
    assert.ok(await fits(), 'invitations fit');
    await shot(page, `layout-${width}-invitations`);
    for (const [link, title, ready] of [['Home', 'Home', '.hero-name'], ['Profile', 'Profile', '.profile-name'], ['Security', 'Security', '[data-session]']]) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link }).click();
      await screen(page, title);
      await page.locator(ready).first().waitFor();
      assert.ok(await fits(), `${title} fits at ${width} px`);
      await shot(page, `layout-${width}-${link.toLowerCase()}`);
    }
    if (width === 375) await checkA11y(page, 'security at 375 px');
    noPageErrors(page);
  });
}
