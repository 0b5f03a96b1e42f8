// Gates: the core decides whether the account may open a screen now (client.checkRoute); the
// shell asks on every navigation — a typed URL (hash change), a link, back/forward, a reload.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { openShell, shellPage, screen, seeText, signIn, signInWithEmail, account } from './support.mjs';

let h;
before(async () => { h = await openShell(); });
after(async () => { await h?.close(); });
beforeEach(async () => { await h.dev('POST', 'reset'); });

const GATE_TIMEOUT = 5_000;

/** Sets the hash as a typed URL would and waits until the shell settles on `expected`. */
async function tryHash(page, hash, expected, heading) {
  await page.evaluate((to) => { location.hash = to; }, hash);
  await page.waitForFunction(([want, title]) => location.hash === want
    && document.querySelector('main h1')?.textContent === title, [expected, heading], { timeout: GATE_TIMEOUT });
}

const hasMainNav = (page) => page.evaluate(() => !!document.querySelector('nav.mainnav'));

test('MFA_SETUP gates every other screen, by URL and by history', async () => {
  const page = await shellPage(h);
  await signIn(page, account('mfa-required'));
  await screen(page, 'Turn on two-step verification');
  const title = 'Turn on two-step verification';
  for (const hash of ['#/app', '#/security', '#/profile', '#/workspaces', '#/invitations', '#/create-workspace',
    '#/password-init', '#/pending-approval']) {
    await tryHash(page, hash, '#/mfa-setup', title);
  }
  assert.equal(await page.locator('.workspace-pill').count(), 0);
  // Back/forward land on gated entries too.
  await page.evaluate(() => history.back());
  await page.waitForFunction(() => document.querySelector('main h1')?.textContent === 'Turn on two-step verification'
    && location.hash === '#/mfa-setup', null, { timeout: GATE_TIMEOUT });
  // A reload on a gated URL.
  await page.goto(`${h.url}/?portal=system#/app`);
  await page.waitForFunction(() => location.hash === '#/mfa-setup'
    && document.querySelector('main h1')?.textContent === 'Turn on two-step verification', null, { timeout: GATE_TIMEOUT });
});

test('PASSWORD_INIT gates every other screen', async () => {
  const page = await shellPage(h, { portal: 'consumer' });
  await signInWithEmail(h, page, account('invited', 'consumer'));
  await screen(page, 'Set your password');
  for (const hash of ['#/app', '#/invitations', '#/profile', '#/security', '#/mfa-setup']) {
    await tryHash(page, hash, '#/password-init', 'Set your password');
  }
  assert.equal(await hasMainNav(page), false);
});

test('PENDING_APPROVAL: the pending state shows wherever the account lands; no workspace creation', async () => {
  const page = await shellPage(h);
  await signInWithEmail(h, page, account('pending'));
  await screen(page, 'Waiting for approval');
  // The notice's own link to the profile is allowed, and the profile says the account is pending.
  await page.getByRole('link', { name: 'Profile' }).click();
  await screen(page, 'Profile');
  await seeText(page, 'Your account has been created and is waiting for an administrator to approve it.');
  assert.equal(await hasMainNav(page), false);
  // The brand link (Home) leads back to the pending notice, as do typed URLs.
  await page.getByRole('link', { name: /^Portal/ }).click();
  await page.waitForFunction(() => location.hash === '#/pending-approval'
    && document.querySelector('main h1')?.textContent === 'Waiting for approval', null, { timeout: GATE_TIMEOUT });
  for (const hash of ['#/app', '#/workspaces', '#/create-workspace', '#/select-workspace', '#/invitations', '#/security']) {
    await tryHash(page, hash, '#/pending-approval', 'Waiting for approval');
  }
  assert.equal(await page.getByRole('button', { name: 'Create workspace' }).count(), 0);
  await page.goto(`${h.url}/?portal=system#/workspaces`);
  await page.waitForFunction(() => location.hash === '#/pending-approval'
    && document.querySelector('main h1')?.textContent === 'Waiting for approval', null, { timeout: GATE_TIMEOUT });
});

test('an active account opens every screen, and the onboarding steps that are not its own send it home', async () => {
  const page = await shellPage(h);
  await signInWithEmail(h, page, account('admin'));
  await screen(page, 'Home');
  await tryHash(page, '#/security', '#/security', 'Security');
  await tryHash(page, '#/workspaces', '#/workspaces', 'Workspaces');
  // So are the workspace steps of onboarding ("Choose a workspace": you belong to more than one and
  // have no default; "Create your first workspace": you belong to none): their words would be
  // false here. The Workspaces screen lists, selects and creates.
  for (const hash of ['#/password-init', '#/mfa-setup', '#/pending-approval', '#/account-blocked',
    '#/select-workspace', '#/create-workspace']) {
    await tryHash(page, hash, '#/app', 'Home');
  }
  // A reload keeps the deep link.
  await page.goto(`${h.url}/?portal=system#/profile`);
  await page.waitForFunction(() => location.hash === '#/profile'
    && document.querySelector('main h1')?.textContent === 'Profile', null, { timeout: GATE_TIMEOUT });
});
