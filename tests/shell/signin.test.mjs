// Sign-in journeys: each MFA method (with the email resend countdown), the portal choice, and a
// rate-limited resend.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  openShell, shellPage, screen, seeText, signIn, signInWithEmail, totp, emulatorNow, checkA11y, shot, noPageErrors, account,
} from './support.mjs';

let h;
before(async () => { h = await openShell(); });
after(async () => { await h?.close(); });

test('EMAIL: sign-in screen, emailed code, lands on the app', async () => {
  const page = await shellPage(h);
  await screen(page, 'Sign in');
  await checkA11y(page, 'sign-in');
  const email = account('admin');
  await signIn(page, email);
  await screen(page, 'Verify it’s you');
  await checkA11y(page, 'mfa (email)');
  await page.getByRole('button', { name: 'Email me a code' }).click();
  await seeText(page, 'We sent a code to a***@example.com.');
  // The resend button counts down from the server's resendAfter.
  await seeText(page, /You can request a new code in \d+ s\./);
  assert.equal(await page.getByRole('button', { name: 'Send a new code' }).isDisabled(), true);
  // A wrong code: the server's message inline, the input kept.
  await page.getByLabel('Code from the email').fill('000000');
  await page.getByRole('button', { name: 'Verify and continue' }).click();
  await page.getByRole('alert').getByText('The verification code is incorrect').waitFor();
  assert.equal(await page.getByLabel('Code from the email').inputValue(), '000000');
  await page.getByLabel('Code from the email').fill(await h.mailCode(email));
  await page.getByRole('button', { name: 'Verify and continue' }).click();
  await screen(page, 'Home');
  await seeText(page, 'System Admin');
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  await checkA11y(page, 'app');
  await shot(page, 'signin-email');
  // Sign out returns to the sign-in screen.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await screen(page, 'Sign in');
  await seeText(page, 'You have signed out.');
  noPageErrors(page);
});

test('OTP: method choice, TOTP from the authenticator secret', async () => {
  const page = await shellPage(h);
  await signIn(page, account('otp'));
  await screen(page, 'Verify it’s you');
  const choices = page.getByRole('radio');
  assert.deepEqual(await choices.evaluateAll((els) => els.map((e) => e.value)), ['EMAIL', 'OTP', 'BACKUP_CODE']);
  await page.getByRole('radio', { name: /Authenticator app/ }).check();
  await checkA11y(page, 'mfa (otp)');
  await page.getByLabel('Authenticator code').fill(totp('JBSWY3DPEHPK3PXP', await emulatorNow(h)));
  await page.getByRole('button', { name: 'Verify and continue' }).click();
  await screen(page, 'Home');
  await shot(page, 'signin-otp');
  noPageErrors(page);
});

test('BACKUP_CODE: a saved backup code signs in once', async () => {
  const page = await shellPage(h, { portal: 'tenant' });
  await signIn(page, account('otp', 'tenant'));
  await screen(page, 'Verify it’s you');
  await page.getByRole('radio', { name: /Backup code/ }).check();
  await checkA11y(page, 'mfa (backup code)');
  await page.getByRole('textbox', { name: 'Backup code' }).fill('ABCD-0002');
  await page.getByRole('button', { name: 'Verify and continue' }).click();
  await screen(page, 'Home');
  await shot(page, 'signin-backup-code');
  noPageErrors(page);
});

test('portal choice on the sign-in screen and ?portal= select the portal', async () => {
  const page = await shellPage(h, { portal: 'consumer' });
  await screen(page, 'Sign in');
  assert.equal(await page.getByRole('radio', { name: 'Consumer' }).isChecked(), true);
  await page.getByRole('radio', { name: 'Tenant' }).check();
  await page.waitForFunction(() => new URL(location.href).searchParams.get('portal') === 'tenant');
  // A tenant account signs in on the tenant portal; the wrong portal's account does not.
  await signIn(page, account('admin', 'system'));
  await page.getByRole('alert').getByText('Email or password is incorrect').waitFor();
  assert.equal(await page.getByLabel('Email address').inputValue(), account('admin', 'system'));
  await signInWithEmail(h, page, account('admin', 'tenant'));
  await screen(page, 'Home');
  await seeText(page, 'TENANT');
  noPageErrors(page);
});

test('a rate-limited resend shows the countdown from Retry-After', async () => {
  const page = await shellPage(h);
  // The browser's clock runs ahead of the server's (as a skewed or slept device would): the
  // shell's own countdown from resendAfter ends early and the server still refuses.
  await page.clock.install();
  const email = account('multi');
  await signIn(page, email);
  await screen(page, 'Verify it’s you');
  await page.getByRole('button', { name: 'Email me a code' }).click();
  await seeText(page, /We sent a code to/);
  const resend = page.getByRole('button', { name: 'Send a new code' });
  assert.equal(await resend.isDisabled(), true);
  await page.clock.fastForward(31_000);
  await page.waitForFunction(() => !document.querySelector('.send-row button').disabled);
  await resend.click();
  await page.getByRole('alert').getByText('Too many requests, try again later').waitFor();
  const countdown = page.locator('.send-row .countdown');
  await countdown.getByText(/You can request a new code in \d+ s\./).waitFor();
  assert.equal(await resend.isDisabled(), true);
  const first = await countdown.textContent();
  await page.clock.fastForward(2_000);
  await page.waitForFunction((before) => document.querySelector('.send-row .countdown').textContent !== before, first);
  await checkA11y(page, 'mfa (rate limited)');
  await shot(page, 'signin-rate-limited');
  // The code mailed first still works.
  await page.getByLabel('Code from the email').fill(await h.mailCode(email));
  await page.getByRole('button', { name: 'Verify and continue' }).click();
  await screen(page, 'Choose a workspace');
  noPageErrors(page);
});
