// Onboarding: every route the core can choose after sign-in, and the invitations inbox with
// its two conflicts.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  openShell, shellPage, screen, seeText, signIn, signInWithEmail, totp, emulatorNow, checkA11y, shot, noPageErrors, account,
} from './support.mjs';

let h;
before(async () => { h = await openShell(); });
after(async () => { await h?.close(); });
beforeEach(async () => { await h.dev('POST', 'reset'); });

test('APP: a returning admin lands on the app with the default workspace', async () => {
  const page = await shellPage(h);
  await signInWithEmail(h, page, account('admin'));
  await screen(page, 'Home');
  await page.locator('.workspace-pill').getByText('System HQ').waitFor();
  assert.equal(await page.evaluate(() => location.hash), '#/app');
  // Keyboard: the new screen's heading has focus after navigation.
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1');
  await shot(page, 'route-app');
  noPageErrors(page);
});

test('SELECT_WORKSPACE: two workspaces, no default: choosing one opens the app', async () => {
  const page = await shellPage(h);
  await signInWithEmail(h, page, account('multi'));
  await screen(page, 'Choose a workspace');
  const first = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 2 }) }).first();
  await first.waitFor();
  await checkA11y(page, 'select workspace');
  await shot(page, 'route-select-workspace');
  const name = (await first.getByRole('heading').textContent()).trim();
  await first.getByRole('button', { name: 'Make default and open' }).click();
  await screen(page, 'Home');
  await page.locator('.workspace-pill').getByText(name).waitFor();
  noPageErrors(page);
});

test('CREATE_WORKSPACE: no workspace: creating one opens the app', async () => {
  const page = await shellPage(h, { portal: 'tenant' });
  await signInWithEmail(h, page, account('noworkspace', 'tenant'));
  await screen(page, 'Create your first workspace');
  await checkA11y(page, 'create workspace');
  // Keyboard only: tab to the name field, type, submit with Enter.
  await page.getByLabel('Workspace name').focus();
  await page.keyboard.type('Blue Harbor Ltd');
  await page.keyboard.press('Enter');
  await screen(page, 'Home');
  await seeText(page, 'Workspace “Blue Harbor Ltd” created.');
  await page.locator('.workspace-pill').getByText('Blue Harbor Ltd').waitFor();
  await shot(page, 'route-create-workspace');
  noPageErrors(page);
});

test('PASSWORD_INIT: an invited account must set its password', async () => {
  const page = await shellPage(h, { portal: 'consumer' });
  await signInWithEmail(h, page, account('invited', 'consumer'));
  await screen(page, 'Set your password');
  await page.getByLabel('New password').fill('nouppercase1');
  await page.getByRole('button', { name: 'Save password' }).click();
  await page.locator('.field[data-field="newPassword"] .field-error').waitFor();
  await shot(page, 'route-password-init');
  await page.getByLabel('New password').fill('Has-Uppercase-1');
  await page.getByRole('button', { name: 'Save password' }).click();
  await screen(page, 'Invitations');
  noPageErrors(page);
});

test('MFA_SETUP: the QR code and secret enrol an authenticator; backup codes shown once', async () => {
  const page = await shellPage(h);
  await signIn(page, account('mfa-required'));
  await screen(page, 'Turn on two-step verification');
  await checkA11y(page, 'mfa setup (start)');
  await page.getByRole('button', { name: 'Set up authenticator app' }).click();
  const qr = page.getByRole('img', { name: 'QR code to add this account to an authenticator app' });
  await qr.waitFor();
  assert.match(await qr.getAttribute('src'), /^data:image\/png;base64,/);
  assert.ok(await qr.evaluate((img) => img.complete && img.naturalWidth > 0));
  const secret = (await page.locator('.secret').textContent()).replace(/\s+/g, '');
  assert.match(secret, /^[A-Z2-7]{16,}$/);
  await checkA11y(page, 'mfa setup (enrol)');
  await shot(page, 'route-mfa-setup');
  await page.getByLabel('Code from the app').fill('000000');
  await page.getByRole('button', { name: 'Verify and turn on' }).click();
  await page.getByRole('alert').getByText('The verification code is incorrect').waitFor();
  await page.getByLabel('Code from the app').fill(totp(secret, await emulatorNow(h)));
  await page.getByRole('button', { name: 'Verify and turn on' }).click();
  await page.getByRole('heading', { name: 'Your backup codes' }).waitFor();
  const codes = await page.locator('.code-grid code').allTextContents();
  assert.equal(codes.length, 10);
  await page.getByRole('button', { name: 'Copy codes' }).waitFor();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download .txt' }).click();
  assert.equal((await download).suggestedFilename(), 'backup-codes.txt');
  await checkA11y(page, 'mfa setup (backup codes)');
  await page.getByRole('button', { name: 'Continue' }).click();
  await screen(page, 'Home');
  noPageErrors(page);
});

test('PENDING_APPROVAL: a notice, and checking again keeps it', async () => {
  const page = await shellPage(h);
  await signInWithEmail(h, page, account('pending'));
  await screen(page, 'Waiting for approval');
  await checkA11y(page, 'pending approval');
  await page.getByRole('button', { name: 'Check again' }).click();
  await seeText(page, 'Your account is still waiting for approval.');
  await shot(page, 'route-pending-approval');
  await page.getByRole('button', { name: 'Sign out' }).first().click();
  await screen(page, 'Sign in');
  noPageErrors(page);
});

test('INVITATIONS: pending invitations override the landing page; accepting follows the route', async () => {
  const page = await shellPage(h, { portal: 'tenant' });
  await signInWithEmail(h, page, account('invitations', 'tenant'));
  await screen(page, 'Invitations');
  await checkA11y(page, 'invitations');
  await shot(page, 'route-invitations');
  // One pending (Acme), one expired (Labs), one accepted: actions only on the pending one.
  assert.equal(await page.getByRole('button', { name: 'Accept' }).count(), 1);
  await seeText(page, 'Expired');
  await page.getByRole('button', { name: 'Accept' }).click();
  await seeText(page, /You joined “Acme/);
  await screen(page, /Home|Invitations/);
  noPageErrors(page);
});

test('invitations: already processed elsewhere, then expired, both explained', async () => {
  const page = await shellPage(h);
  const email = account('invitations');
  await signInWithEmail(h, page, email);
  await screen(page, 'Invitations');
  await page.getByRole('button', { name: 'Accept' }).waitFor();

  // The same person declines in another browser: this page's list is now stale.
  const other = await shellPage(h);
  await signInWithEmail(h, other, email);
  await screen(other, 'Invitations');
  await other.getByRole('button', { name: 'Decline' }).click();
  await seeText(other, /You declined the invitation/);

  await page.getByRole('button', { name: 'Accept' }).click();
  const alert = page.getByRole('alert');
  await alert.getByText('The invitation has already been processed').waitFor();
  await alert.getByText(/already accepted or declined/).waitFor();
  await page.locator('.list .badge', { hasText: 'Declined' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Accept' }).count(), 0);
  await shot(page, 'invitations-already-processed');

  // A pending invitation that expires while the list is open.
  const tenant = await shellPage(h, { portal: 'tenant' });
  await signInWithEmail(h, tenant, account('invitations', 'tenant'));
  await screen(tenant, 'Invitations');
  await tenant.getByRole('button', { name: 'Accept' }).waitFor();  // the list is in before time moves on
  await h.dev('POST', 'clock', { advanceSeconds: 8 * 24 * 3600 });
  await tenant.getByRole('button', { name: 'Accept' }).click();
  const expired = tenant.getByRole('alert');
  await expired.getByText('The invitation has expired').waitFor();
  await expired.getByText(/Ask the person who invited you/).waitFor();
  await checkA11y(tenant, 'invitations (conflict)');
  await shot(tenant, 'invitations-expired');
  noPageErrors(page);
  noPageErrors(tenant);
});
