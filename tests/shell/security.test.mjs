// The security centre: authenticator enrolment and revoke, backup-code regeneration, the IP
// whitelist editor with its lockout guard, and sessions (terminate one, terminate all others).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  openShell, shellPage, screen, seeText, signInWithEmail, totp, emulatorNow, checkA11y, shot, noPageErrors, account, PASSWORD,
  openSecurity,
} from './support.mjs';

let h;
before(async () => { h = await openShell(); });
after(async () => { await h?.close(); });

test('two-step verification: enrol an authenticator, regenerate backup codes, revoke with the password', async () => {
  const page = await shellPage(h);
  await signInWithEmail(h, page, account('admin'));
  await screen(page, 'Home');
  await openSecurity(page);
  await checkA11y(page, 'security');
  const otpRow = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Authenticator app' }) });
  await otpRow.getByText('Off').waitFor();
  await otpRow.getByRole('button', { name: 'Set up' }).click();
  await page.getByRole('button', { name: 'Start setup' }).click();
  await page.getByRole('img', { name: /QR code/ }).waitFor();
  const secret = (await page.locator('.secret').textContent()).replace(/\s+/g, '');
  await checkA11y(page, 'security (otp enrol)');
  await page.getByLabel('Code from the app').fill(totp(secret, await emulatorNow(h)));
  await page.getByRole('button', { name: 'Verify and turn on' }).click();
  await seeText(page, 'The authenticator app is now on.');
  await otpRow.getByText('On', { exact: true }).waitFor();

  const backupRow = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Backup code' }) });
  await backupRow.getByRole('button', { name: 'Generate new codes' }).click();
  await page.getByRole('heading', { name: 'Generate new backup codes' }).waitFor();
  await page.locator('.inline-panel').getByRole('button', { name: 'Generate new codes' }).click();
  await page.getByRole('heading', { name: 'Your backup codes' }).waitFor();
  assert.equal(await page.locator('.code-grid code').count(), 10);
  await checkA11y(page, 'security (backup codes)');
  await shot(page, 'security-backup-codes');
  await page.getByRole('button', { name: 'Done' }).click();
  await backupRow.getByText('10 remaining').waitFor();
  assert.equal(await page.locator('.code-grid').count(), 0, 'codes are shown once');

  await otpRow.getByRole('button', { name: 'Turn off' }).click();
  await page.locator('.inline-panel').getByLabel('Current password').fill('Wrong-Password-1');
  await page.locator('.inline-panel').getByRole('button', { name: 'Turn off' }).click();
  await page.getByRole('alert').getByText('The password is incorrect').waitFor();
  assert.equal(await page.locator('.inline-panel').getByLabel('Current password').inputValue(), 'Wrong-Password-1');
  await page.locator('.inline-panel').getByLabel('Current password').fill(PASSWORD);
  await page.locator('.inline-panel').getByRole('button', { name: 'Turn off' }).click();
  await seeText(page, 'The authenticator app is now off.');
  await otpRow.getByText('Off').waitFor();
  noPageErrors(page);
});

test('IP whitelist: inline per-entry errors, the lockout guard blocks, a covering list saves', async () => {
  const page = await shellPage(h, { portal: 'consumer' });
  await signInWithEmail(h, page, account('admin', 'consumer'));
  await screen(page, 'Home');
  await openSecurity(page);
  const card = page.locator('section', { has: page.getByRole('heading', { name: 'IP whitelist' }) });
  await card.getByRole('button', { name: 'Add address' }).click();
  await page.keyboard.type('not-an-ip');
  await card.getByRole('button', { name: 'Add address' }).click();
  await page.keyboard.type('10.0.0.0/8');
  await card.getByRole('button', { name: 'Save list' }).click();
  const first = card.locator('.field[data-field="entries[0]"]');
  await first.locator('.field-error').getByText('Not an IPv4 or IPv6 address or CIDR range.').waitFor();
  assert.equal(await card.locator('.field[data-field="entries[1]"] .field-error').isVisible(), false);
  assert.equal(await card.getByLabel('Address 1', { exact: true }).inputValue(), 'not-an-ip');
  await checkA11y(page, 'ip whitelist (invalid entry)');

  await card.getByLabel('Address 1', { exact: true }).fill('127.0.0.1');
  await card.getByRole('button', { name: 'Save list' }).click();
  await card.getByText('The IP whitelist has been saved.').waitFor();
  await card.getByRole('button', { name: 'Turn on' }).click();
  await card.getByText('The IP whitelist is now on.').waitFor();

  // A list without this browser's address (127.0.0.1): blocked with an explicit warning.
  await card.getByRole('button', { name: 'Remove address 1' }).click();
  await card.getByRole('button', { name: 'Save list' }).click();
  const warning = card.getByRole('alert').filter({ hasText: 'This would lock you out' });
  await warning.waitFor();
  await warning.getByText('The address you are using now: 127.0.0.1').waitFor();
  const anyway = warning.getByRole('button', { name: 'Save anyway' });
  assert.equal(await anyway.isDisabled(), true);
  await warning.getByLabel('I understand that I may lose access from this address.').check();
  assert.equal(await anyway.isDisabled(), false);
  await checkA11y(page, 'ip whitelist (lockout warning)');
  await shot(page, 'security-ip-lockout');
  await warning.getByRole('button', { name: 'Cancel' }).click();
  assert.equal(await card.getByText('The IP whitelist has been saved.').count(), 0);

  // A list that covers the current address saves.
  await card.getByRole('button', { name: 'Add address' }).click();
  await page.keyboard.type('127.0.0.0/8');
  await card.getByRole('button', { name: 'Save list' }).click();
  await card.getByText('The IP whitelist has been saved.').waitFor();
  await page.reload();
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'true');
  await screen(page, 'Security');
  // The list arrives after the screen (its own call): read it once its rows are there.
  const rows = page.locator('.ip-row input');
  await rows.first().waitFor();
  const values = await rows.evaluateAll((inputs) => inputs.map((i) => i.value));
  assert.deepEqual(values, ['10.0.0.0/8', '127.0.0.0/8']);
  noPageErrors(page);
});

test('sessions: the current one marked, terminate one, terminate all others', async () => {
  const email = account('admin', 'tenant');
  const page = await shellPage(h, { portal: 'tenant' });
  await signInWithEmail(h, page, email);
  await screen(page, 'Home');
  const second = await shellPage(h, { portal: 'tenant' });
  await signInWithEmail(h, second, email);
  await screen(second, 'Home');
  const third = await shellPage(h, { portal: 'tenant' });
  await signInWithEmail(h, third, email);
  await screen(third, 'Home');

  await openSecurity(page);
  const card = page.locator('section', { has: page.getByRole('heading', { name: 'Where you are signed in' }) });
  const items = card.getByRole('listitem');
  await page.waitForFunction(() => document.querySelectorAll('[data-session]').length === 3);
  assert.equal(await card.getByText('This device').count(), 1);
  assert.equal(await items.first().getByText('This device').count(), 1, 'the current session is listed first');
  await checkA11y(page, 'sessions');
  await shot(page, 'security-sessions');

  await items.nth(1).getByRole('button', { name: 'Sign out' }).click();
  await card.getByText('The session has been signed out.').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-session]').length === 2);

  await card.getByRole('button', { name: 'Sign out all other sessions' }).click();
  await card.getByText('All other sessions have been signed out.').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-session]').length === 1);
  assert.equal(await card.getByRole('button', { name: 'Sign out all other sessions' }).isDisabled(), true);

  // The other browsers find themselves signed out on their next call.
  for (const other of [second, third]) {
    await other.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Profile' }).click();
    await screen(other, 'Sign in');
  }
  noPageErrors(page);
});

test('password change: wrong current password inline, then changed', async () => {
  const page = await shellPage(h, { portal: 'consumer' });
  await signInWithEmail(h, page, account('multi', 'consumer'));
  await screen(page, 'Choose a workspace');
  await openSecurity(page);
  const card = page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'Password' }) });
  await card.getByLabel('Current password').fill('Not-The-Password-1');
  await card.getByLabel('New password').fill('Fresh-Password-2026');
  await card.getByRole('button', { name: 'Change password' }).click();
  await card.getByRole('alert').getByText('The password is incorrect').waitFor();
  await card.getByLabel('Current password').fill(PASSWORD);
  await card.getByRole('button', { name: 'Change password' }).click();
  await card.getByText('Your password has been changed.').waitFor();
  noPageErrors(page);
});
