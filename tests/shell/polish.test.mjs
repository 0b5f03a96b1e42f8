// Polish of issue 13 §4: what a refused sign-in says (attempts left, the selected portal, the
// pause), why a session ended, layouts that hold at 390 px with long names and Japanese labels,
// the authenticator link on a phone, one name for the factor and the product, first focus and
// the fatal page's Reload button.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  openShell, shellPage, screen, seeText, signInWithEmail, checkA11y, shot, noPageErrors, account, PASSWORD,
} from './support.mjs';

let h;
before(async () => { h = await openShell(); });
after(async () => { await h?.close(); });

const PHONE = { width: 390, height: 844 };

async function failSignIn(page, email, password = 'Wrong-Horse-1') {
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').waitFor();
}

test('sign-in: attempts left before the pause, then the button stays disabled until the countdown ends', async () => {
  const ctx = await h.newContext();
  await ctx.clock.install();
  const page = await shellPage(h, { context: ctx });
  await screen(page, 'Sign in');
  const email = 'nobody@example.com';  // unknown or wrong password: the same answer
  const alert = page.getByRole('alert');
  for (const left of ['4 attempts left before sign-in is paused.', '3 attempts left before sign-in is paused.',
    '2 attempts left before sign-in is paused.', '1 attempt left before sign-in is paused.']) {
    await failSignIn(page, email);
    await alert.getByText(left).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Sign in' }).isDisabled(), false);
  }
  await failSignIn(page, email);
  await alert.getByText('Sign-in is now paused after too many failed attempts.').waitFor();
  await shot(page, 'polish-attempts-left');

  // The next attempt meets the pause: the button is off while the countdown runs.
  await page.getByRole('button', { name: 'Sign in' }).click();
  await alert.getByText('Too many requests, try again later').waitFor();
  const submit = page.locator('form button[type=submit]');
  await page.waitForFunction(() => document.querySelector('form button[type=submit]').disabled);
  await seeText(page, /You can try again in 1[45] min/);
  assert.equal(await page.locator('.countdown').filter({ hasText: /try again/ }).count(), 1, 'one countdown, not two');
  await page.keyboard.press('Enter');  // no submission while paused
  await checkA11y(page, 'sign-in paused');
  await shot(page, 'polish-sign-in-paused');
  assert.equal(await submit.isDisabled(), true);

  await ctx.clock.fastForward(15 * 60 * 1000 + 2000);
  await page.waitForFunction(() => !document.querySelector('form button[type=submit]').disabled);
  assert.equal(await page.getByText(/You can try again in/).count(), 0);
  noPageErrors(page);
  await ctx.close();
});

test('wrong portal: a refused sign-in names the selected portal, the same words for any email', async () => {
  const page = await shellPage(h, { portal: 'tenant' });
  await screen(page, 'Sign in');
  // The system portal's admin on the tenant portal: no hint that the account exists elsewhere.
  await failSignIn(page, account('admin', 'system'), PASSWORD);
  const alert = page.getByRole('alert');
  await alert.getByText('Email or password is incorrect').waitFor();
  await alert.getByText('You are signing in to the Tenant portal.').waitFor();
  const known = (await alert.textContent()).replace(/\d+ attempts?/, 'N attempts');
  await failSignIn(page, 'ghost@tenant.example.com', PASSWORD);
  await alert.getByText('4 attempts left before sign-in is paused.').waitFor();
  const unknown = (await alert.textContent()).replace(/\d+ attempts?/, 'N attempts');
  assert.equal(known, unknown, 'an account of another portal and an unknown email read the same');
  await shot(page, 'polish-wrong-portal');
  noPageErrors(page);
});

test('a session ended from another device says so, not "could not be renewed"', async () => {
  const email = account('admin', 'consumer');
  const phone = await shellPage(h, { portal: 'consumer' });
  await signInWithEmail(h, phone, email);
  await screen(phone, 'Home');
  const laptop = await shellPage(h, { portal: 'consumer' });
  await signInWithEmail(h, laptop, email);
  await screen(laptop, 'Home');
  await laptop.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Security' }).click();
  await screen(laptop, 'Security');
  await laptop.getByRole('button', { name: 'Sign out all other sessions' }).click();
  await seeText(laptop, 'All other sessions have been signed out.');

  await phone.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Profile' }).click();
  await screen(phone, 'Sign in');
  await seeText(phone, 'This session was ended from another device. Please sign in again.');
  assert.equal(await phone.getByText(/could not be renewed/).count(), 0);
  noPageErrors(phone);
});

