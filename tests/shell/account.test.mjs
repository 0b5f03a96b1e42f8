// Account journeys: registration, forgotten password, password
// initialization for an invited account, profile edit, and server strings rendered as text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  openShell, shellPage, screen, seeText, signIn, signInWithEmail, checkA11y, shot, noPageErrors, account,
} from './support.mjs';

let h;
before(async () => { h = await openShell(); });
after(async () => { await h?.close(); });

test('registration: email, verify, details with field errors, pending approval', async () => {
  const page = await shellPage(h);
  await page.getByRole('link', { name: 'Create an account' }).click();
  await screen(page, 'Create your account');
  await checkA11y(page, 'register (email)');
  const email = 'new.person@example.com';
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Send code' }).click();
  await screen(page, 'Check your email');
  await seeText(page, `Enter the 6-digit code we sent to ${email}.`);
  await checkA11y(page, 'register (verify)');
  await page.getByLabel('Verification code').fill(await h.mailCode(email, 'REGISTRATION'));
  await page.getByRole('button', { name: 'Verify email' }).click();
  await screen(page, 'Finish your account');
  await checkA11y(page, 'register (details)');
  assert.equal(await page.getByLabel('Email address').getAttribute('autocomplete'), 'username');
  assert.equal(await page.getByLabel('New password').getAttribute('autocomplete'), 'new-password');
  await page.getByLabel('Full name').fill('New Person');
  await page.getByLabel('New password').fill('short');
  await page.getByRole('button', { name: 'Create account' }).click();
  // Field errors from the server next to the password field; the input is kept.
  const passwordError = page.locator('.field[data-field="password"] .field-error');
  await passwordError.waitFor();
  assert.match(await passwordError.textContent(), /\S/);
  assert.equal(await page.getByLabel('New password').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByLabel('Full name').inputValue(), 'New Person');
  await page.getByLabel('New password').fill('Sturdy-Password-42');
  await page.getByRole('button', { name: 'Create account' }).click();
  await screen(page, 'Waiting for approval');
  await shot(page, 'register-done');
  noPageErrors(page);
});

test('registration: a reload at either step shows that step (the client keeps it), and it goes on', async () => {
  const page = await shellPage(h);
  await page.getByRole('link', { name: 'Create an account' }).click();
  await screen(page, 'Create your account');
  const email = 'reload.person@example.com';
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Send code' }).click();
  await screen(page, 'Check your email');
  // The shell keeps no step of its own: only the client's exported state knows it.
  const shellState = await page.evaluate(() => Object.keys(sessionStorage).filter((k) => !k.startsWith('portal-client:'))
    .map((k) => sessionStorage.getItem(k)).join('\n'));
  assert.doesNotMatch(shellState, /verify|VERIFY_EMAIL|registrationSessionId/);
  await page.reload();
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'true');
  await screen(page, 'Check your email');
  await seeText(page, `Enter the 6-digit code we sent to ${email}.`);
  await page.getByLabel('Verification code').fill(await h.mailCode(email, 'REGISTRATION'));
  await page.getByRole('button', { name: 'Verify email' }).click();
  await screen(page, 'Finish your account');
  await page.reload();
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'true');
  await screen(page, 'Finish your account');
  assert.equal(await page.getByLabel('Email address').inputValue(), email);
  await page.getByLabel('Full name').fill('Reload Person');
  await page.getByLabel('New password').fill('Sturdy-Password-42');
  await page.getByRole('button', { name: 'Create account' }).click();
  await screen(page, 'Waiting for approval');
  noPageErrors(page);
});

test('forgot and reset password, then sign in with the new one', async () => {
  const page = await shellPage(h);
  const email = account('noworkspace');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await screen(page, 'Reset your password');
  await checkA11y(page, 'forgot');
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Send reset code' }).click();
  await screen(page, 'Choose a new password');
  await checkA11y(page, 'reset');
  // The reset under way is the client's: a reload comes back to it.
  await page.reload();
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'true');
  await screen(page, 'Choose a new password');
  assert.equal(await page.getByLabel('Email address').inputValue(), email);
  await page.getByLabel('Reset code').fill('000000');
  await page.getByLabel('New password').fill('Another-Pass-77');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await page.getByRole('alert').getByText('The email code is incorrect').waitFor();
  await page.getByLabel('Reset code').fill(await h.mailCode(email, 'PASSWORD_RESET'));
  await page.getByRole('button', { name: 'Set new password' }).click();
  await screen(page, 'Sign in');
  await seeText(page, 'Your password has been reset. Sign in with your new password.');
  await shot(page, 'reset-done');
  await signInWithEmail(h, page, email, 'Another-Pass-77');
  await screen(page, 'Create your first workspace');
  noPageErrors(page);
});

test('password init: an invited account sets its password first', async () => {
  const page = await shellPage(h);
  await signInWithEmail(h, page, account('invited'));
  await screen(page, 'Set your password');
  await checkA11y(page, 'password init');
  // The onboarding gate shows no main navigation.
  assert.equal(await page.getByRole('navigation', { name: 'Main' }).count(), 0);
  await page.getByLabel('New password').fill('Invited-Person-2026');
  await page.getByRole('button', { name: 'Save password' }).click();
  // The invited account has a pending invitation: the core routes to the inbox.
  await screen(page, 'Invitations');
  await seeText(page, 'Your password is set.');
  await shot(page, 'password-init');
  noPageErrors(page);
});

test('profile: edit the editable fields, field errors inline, names rendered as text', async () => {
  const page = await shellPage(h, { portal: 'consumer' });
  await signInWithEmail(h, page, account('admin', 'consumer'));
  await screen(page, 'Home');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Profile' }).click();
  await screen(page, 'Profile');
  await page.getByRole('heading', { name: 'Edit profile' }).waitFor();
  await checkA11y(page, 'profile');
  // Only editable fields are inputs; the administrator's note is read-only.
  assert.equal(await page.getByRole('textbox', { name: 'Email address' }).count(), 0);
  await seeText(page, 'Only an administrator can change this.');
  const hostile = '<img src=x onerror="window.__xss=1">';
  await page.getByLabel('Full name').fill(hostile);
  await page.getByLabel('Phone').fill('12ab');
  await page.getByRole('button', { name: 'Save changes' }).click();
  const phoneError = page.locator('.field[data-field="accountPhone"] .field-error');
  await phoneError.waitFor();
  assert.equal(await page.getByLabel('Full name').inputValue(), hostile);
  await page.getByLabel('Phone').fill('+14155550123');
  await page.getByLabel('Country').fill('ca');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await seeText(page, 'Your profile has been saved.');
  await page.reload();
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'true');
  await screen(page, 'Profile');
  await page.locator('.profile-name').getByText(hostile, { exact: true }).waitFor();
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.equal(await page.locator('main img').count(), 0);
  assert.equal(await page.getByLabel('Country').inputValue(), 'CA');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click();
  await page.locator('.hero-name').getByText(hostile, { exact: true }).waitFor();
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  await shot(page, 'profile');
  noPageErrors(page);
});
