// Dead ends and stale screens found by walking every seeded account: an override the UI offers
// must succeed, one problem gets one message, a screen shows what the last action changed, and
// news of a previous step does not stand beside a new failure.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openShell, shellPage, screen, seeText, signInWithEmail, noPageErrors, account, PASSWORD, openSecurity } from './support.mjs';

let h;
before(async () => { h = await openShell(); });
after(async () => { await h?.close(); });

const ipCard = (page) => page.locator('section', { has: page.getByRole('heading', { name: 'IP whitelist' }) });
const visibleMessages = (card) => card.locator('.notice, .field-error:not([hidden])').count();

test('IP whitelist: turning on an empty list says so once; the lockout warning names the address; "Save anyway" saves', async () => {
  const page = await shellPage(h, { portal: 'tenant' });
  await signInWithEmail(h, page, account('otp', 'tenant'));
  await screen(page, 'Home');
  await openSecurity(page);
  const card = ipCard(page);

  await card.getByRole('button', { name: 'Turn on' }).click();
  await card.getByText('Add at least one address to the list before turning it on.').waitFor();
  assert.equal(await visibleMessages(card), 1);

  // A saved list without this browser's address: "Turn on" warns and names the address.
  await card.getByRole('button', { name: 'Add address' }).click();
  await page.keyboard.type('10.0.0.0/8');
  await card.getByRole('button', { name: 'Save list' }).click();
  await card.getByText('The IP whitelist has been saved.').waitFor();
  await card.getByRole('button', { name: 'Turn on' }).click();
  await card.getByText('The address you are using now: 127.0.0.1').waitFor();
  assert.equal(await visibleMessages(card), 1);

  // Cover it, turn on, then drop it again and confirm the lockout: the server accepts.
  await card.getByRole('button', { name: 'Add address' }).click();
  await page.keyboard.type('127.0.0.1');
  await card.getByRole('button', { name: 'Save list' }).click();
  await card.getByText('The IP whitelist has been saved.').waitFor();
  await card.getByRole('button', { name: 'Turn on' }).click();
  await card.getByText('The IP whitelist is now on.').waitFor();
  await card.getByRole('button', { name: 'Remove address 2' }).click();
  await card.getByRole('button', { name: 'Save list' }).click();
  const warning = card.getByRole('alert').filter({ hasText: 'This would lock you out' });
  await warning.getByLabel('I understand that I may lose access from this address.').check();
  await warning.getByRole('button', { name: 'Save anyway' }).click();
  await card.getByText('The IP whitelist has been saved.').waitFor();
  const whitelist = Object.values((await h.dev('GET', 'snapshot')).accounts).find((a) => a.email === account('otp', 'tenant')).ipWhitelist;
  assert.deepEqual(whitelist, { enabled: true, entries: ['10.0.0.0/8'] });
  noPageErrors(page);
});

test('invitations: accepting enters the workspace and says so in a sentence; answered ones show no expiry, no "Decide later"', async () => {
  const page = await shellPage(h);
  await signInWithEmail(h, page, account('invitations'));
  await screen(page, 'Invitations');
  await page.getByRole('link', { name: 'Decide later and go to your workspaces' }).waitFor();
  await page.getByRole('button', { name: 'Accept' }).click();
  await seeText(page, 'You joined “Acme Corp”. It is now your current workspace.');
  await screen(page, 'Home');
  assert.equal(await page.getByText('Enter accepted workspace').count(), 0);
  await page.locator('.card', { hasText: 'Current workspace' }).getByText('Acme Corp').waitFor();

  await page.goto(`${h.url}/?portal=system#/invitations`);
  await screen(page, 'Invitations');
  await page.locator('.list .badge', { hasText: 'Accepted' }).first().waitFor();
  const acceptedWithExpiry = await page.evaluate(() => [...document.querySelectorAll('.list-item')]
    .filter((li) => [...li.querySelectorAll('.badge')].some((b) => b.textContent === 'Accepted'))
    .filter((li) => /Expires /.test(li.textContent)).length);
  assert.equal(acceptedWithExpiry, 0);
  assert.equal(await page.getByRole('link', { name: 'Decide later and go to your workspaces' }).count(), 0);
  noPageErrors(page);
});

test('security: new backup codes update the badge at once; a password change refreshes the sessions list', async () => {
  const email = account('admin');
  const other = await shellPage(h);
  await signInWithEmail(h, other, email);
  await screen(other, 'Home');
  const page = await shellPage(h);
  await signInWithEmail(h, page, email);
  await screen(page, 'Home');
  await openSecurity(page);

  const backupRow = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Backup code' }) });
  await backupRow.getByRole('button', { name: 'Generate new codes' }).click();
  await page.locator('.inline-panel').getByRole('button', { name: 'Generate new codes' }).click();
  await page.locator('.backup-codes').waitFor();
  await backupRow.getByText('10 remaining').waitFor();

  const sessions = page.locator('section', { has: page.getByRole('heading', { name: 'Where you are signed in' }) });
  await sessions.getByRole('button', { name: 'Sign out', exact: true }).first().waitFor();
  const passwords = page.locator('section', { has: page.getByRole('heading', { name: 'Password', exact: true }) });
  await passwords.getByLabel('Current password').fill(PASSWORD);
  await passwords.getByLabel('New password').fill('Another-Horse-10');
  await passwords.getByRole('button', { name: 'Change password' }).click();
  await seeText(page, 'Your other sessions have been signed out.');
  await sessions.getByText('No other sessions.').waitFor();
  assert.equal(await sessions.getByRole('button', { name: 'Sign out', exact: true }).count(), 0);
  noPageErrors(page);
});

test('a success carried over from the previous step is removed when the next action fails', async () => {
  const page = await shellPage(h, { portal: 'consumer' });
  await signInWithEmail(h, page, account('invited', 'consumer'));
  await screen(page, 'Set your password');
  await page.getByLabel('New password').fill('Fresh-Horse-42');
  await page.getByRole('button', { name: 'Save password' }).click();
  await screen(page, 'Invitations');
  await seeText(page, 'Your password is set.');
  // The pending invitation expires while the screen is open: accepting fails.
  await h.dev('POST', 'clock', { advanceSeconds: 8 * 24 * 3600 });
  await page.getByRole('button', { name: 'Accept' }).click();
  await page.getByRole('alert').getByText('The invitation has expired').waitFor();
  assert.equal(await page.getByText('Your password is set.').count(), 0);
  noPageErrors(page);
});

test('validation: a typo in the email is answered without a request; phone numbers with spaces save; the banner points to the fields, each field says what is wrong', async () => {
  const page = await shellPage(h, { portal: 'consumer' });
  await screen(page, 'Sign in');
  await h.dev('POST', 'stats/reset');
  await page.getByLabel('Email address').fill('not-an-email');
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.field[data-field="email"] .field-error').getByText('Enter an email address such as name@example.com.').waitFor();
  const stats = await h.dev('GET', 'stats');
  assert.equal(stats.requests['POST /web/v1/consumer/auth/login/initiate'] ?? 0, 0);
  assert.equal(await page.getByLabel('Password', { exact: true }).inputValue(), PASSWORD);

  await page.getByLabel('Email address').fill('');
  await signInWithEmail(h, page, account('admin', 'consumer'));
  await screen(page, 'Home');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Profile' }).click();
  await screen(page, 'Profile');
  await page.getByLabel('Phone').fill('+81 90 1234 5678');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await seeText(page, 'Your profile has been saved.');
  assert.equal(await page.getByLabel('Phone').inputValue(), '+819012345678');

  // A server-side validation failure: the banner says where to look, not "Validation failed".
  await page.getByLabel('Country').fill('U1');
  await page.getByRole('button', { name: 'Save changes' }).click();
  const alert = page.getByRole('alert');
  await alert.getByText('Please check the highlighted fields.').waitFor();
  assert.equal(await alert.getByText('Validation failed').count(), 0);
  const countryError = page.locator('.field[data-field="defaultCountry"] .field-error');
  await countryError.waitFor();
  // The field says what is wrong with it, in words of its own (not the banner's, not the bare code).
  const fieldText = (await countryError.textContent()).trim();
  assert.ok(fieldText.length > 0 && !/Validation failed|highlighted fields|^FIELD_/.test(fieldText), fieldText);
  assert.equal(await page.getByLabel('Country').getAttribute('aria-invalid'), 'true');
  noPageErrors(page);
});
