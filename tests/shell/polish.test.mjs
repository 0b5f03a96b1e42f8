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
  const page = await shellPage(h, { context: ctx });
  await page.clock.install();
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

  await page.clock.fastForward(15 * 60 * 1000 + 2000);
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

test('layout at 390 px: a long workspace name stays in its pill and card; header in two rows; ja portal picker', async () => {
  const page = await shellPage(h, { viewport: PHONE });
  const name = `${'Longname'.repeat(9)}Workspace`.slice(0, 80);
  assert.equal(name.length, 80);
  await signInWithEmail(h, page, account('noworkspace'));
  await screen(page, 'Create your first workspace');
  await page.getByLabel('Workspace name').fill(name);
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await screen(page, 'Home');
  const pill = page.locator('.workspace-pill');
  await pill.waitFor();
  const box = await page.evaluate(() => {
    const p = document.querySelector('.workspace-pill');
    const card = p.closest('.card');
    const r = p.getBoundingClientRect();
    const c = card.getBoundingClientRect();
    const n = p.querySelector('.workspace-name');
    return {
      inside: r.left >= c.left - 0.5 && r.right <= c.right + 0.5,
      pillFits: p.scrollWidth <= p.clientWidth,
      cardFits: card.scrollWidth <= card.clientWidth,
      pageFits: document.documentElement.scrollWidth <= window.innerWidth,
      title: n?.getAttribute('title'),
      text: n?.textContent,
    };
  });
  assert.deepEqual(box, { inside: true, pillFits: true, cardFits: true, pageFits: true, title: name, text: name });
  await shot(page, 'polish-long-workspace-390');

  // The signed-in header: at most two rows, whatever the language, and no sideways scroll.
  for (const locale of ['en', 'ja', 'vi', 'zh', 'zh-Hant']) {
    await page.locator('#language').selectOption(locale);
    const rows = await page.evaluate(() => {
      const inner = document.querySelector('.topbar-inner');
      // Rows of the header's parts: a part starts a new row when it lies below the previous row.
      const boxes = [...inner.children].map((el) => el.getBoundingClientRect()).filter((r) => r.height > 0)
        .sort((a, b) => a.top - b.top);
      let rowCount = 0;
      let rowBottom = -Infinity;
      for (const r of boxes) {
        if (r.top >= rowBottom - 1) { rowCount += 1; rowBottom = r.bottom; } else rowBottom = Math.max(rowBottom, r.bottom);
      }
      const links = [...document.querySelectorAll('.mainnav li')].map((li) => Math.round(li.getBoundingClientRect().top));
      return {
        rows: rowCount,
        navRows: new Set(links).size,
        height: document.getElementById('topbar').getBoundingClientRect().height,
        pageFits: document.documentElement.scrollWidth <= window.innerWidth,
      };
    });
    assert.ok(rows.rows <= 2 && rows.navRows === 1, `${locale}: ${JSON.stringify(rows)}`);
    assert.ok(rows.height < 120, `${locale}: header ${rows.height}px`);
    assert.equal(rows.pageFits, true, `${locale}: no horizontal scroll`);
  }
  await page.locator('#language').selectOption('en');
  await shot(page, 'polish-header-390');
  await checkA11y(page, 'home at 390 px');

  // Signed out, in Japanese: the portal picker keeps コンシューマー on one line and fits.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await screen(page, 'Sign in');
  await page.locator('#language').selectOption('ja');
  await screen(page, 'サインイン');
  const picker = await page.evaluate(() => {
    const options = document.querySelector('.segmented-options');
    return {
      fits: options.scrollWidth <= options.clientWidth && options.getBoundingClientRect().right <= window.innerWidth,
      labels: [...options.querySelectorAll('label')].map((l) => {
        const range = document.createRange();
        range.selectNodeContents(l);
        return { text: l.textContent, lines: new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size, fits: l.scrollWidth <= l.clientWidth };
      }),
    };
  });
  assert.equal(picker.fits, true);
  for (const label of picker.labels) assert.deepEqual({ lines: label.lines, fits: label.fits }, { lines: 1, fits: true }, label.text);
  assert.ok(picker.labels.some((l) => l.text === 'コンシューマー'));
  await shot(page, 'polish-ja-portal-picker-390');
  noPageErrors(page);
});

async function startEnrolment(page) {
  await signInWithEmail(h, page, account('admin'));
  await screen(page, 'Home');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Security' }).click();
  await screen(page, 'Security');
  // The factor is "Authenticator app" here as on the sign-in step, never "OTP".
  const otpRow = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Authenticator app' }) });
  await otpRow.getByRole('button', { name: 'Set up' }).click();
  await page.getByRole('button', { name: 'Start setup' }).click();
  await page.getByRole('img', { name: /QR code/ }).waitFor();
}

test('one name: the factor is "Authenticator app" in every language; the OTP issuer is the app\'s name', async () => {
  const page = await shellPage(h);
  await startEnrolment(page);
  // The issuer the authenticator will show is the name the shell calls itself.
  assert.equal(await page.locator('.meta dd').first().textContent(), 'Portal');
  assert.equal(await page.evaluate(() => document.title.endsWith('· Portal')), true);
  assert.equal(await page.getByText('OTP', { exact: true }).count(), 0);
  // The same name in every language: the shell's catalogue, not the server's label.
  for (const [locale, title] of [['ja', '認証アプリ'], ['zh', '身份验证器应用'], ['zh-Hant', '驗證器應用程式'], ['vi', 'Ứng dụng xác thực']]) {
    await page.locator('#language').selectOption(locale);
    await page.getByRole('heading', { name: title, exact: true }).first().waitFor();
  }
  noPageErrors(page);
});

test('authenticator enrolment on a phone: a tap-to-add otpauth link beside the QR code', async () => {
  const page = await shellPage(h, { viewport: PHONE, portal: 'tenant' });
  const email = account('admin', 'tenant');
  await signInWithEmail(h, page, email);
  await screen(page, 'Home');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Security' }).click();
  await screen(page, 'Security');
  await page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Authenticator app' }) })
    .getByRole('button', { name: 'Set up' }).click();
  await page.getByRole('button', { name: 'Start setup' }).click();
  await page.getByRole('img', { name: /QR code/ }).waitFor();
  const link = page.getByRole('link', { name: 'Add to authenticator app on this device' });
  const href = await link.getAttribute('href');
  const secret = (await page.locator('.secret').textContent()).replace(/\s+/g, '');
  assert.ok(href.startsWith(`otpauth://totp/Portal:${encodeURIComponent(email)}?`), href);
  assert.equal(new URL(href).searchParams.get('secret'), secret);
  assert.equal(new URL(href).searchParams.get('issuer'), 'Portal');
  // The link sits right under the QR code, inside the page width.
  const near = await page.evaluate(() => {
    const qr = document.querySelector('.qr').getBoundingClientRect();
    const a = document.querySelector('a.otp-link').getBoundingClientRect();
    return a.top >= qr.bottom - 1 && a.top - qr.bottom < 80 && a.right <= window.innerWidth;
  });
  assert.equal(near, true);
  await checkA11y(page, 'otp enrol at 390 px');
  await shot(page, 'polish-otp-link-390');
  noPageErrors(page);
});

test('first focus is the email field; the fatal page offers Reload', async () => {
  const page = await shellPage(h);
  await screen(page, 'Sign in');
  // Focused in the page's first frame after the screen is ready.
  await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'email');
  await page.keyboard.type(account('admin'));
  assert.equal(await page.getByLabel('Email address').inputValue(), account('admin'));

  // The module cannot load: the start page explains and offers a Reload that works.
  const ctx = await h.newContext();
  await h.dev('POST', 'faults', { path: '/dist/portal-core.wasm', kind: 'drop', times: 100 });
  const broken = await ctx.newPage();
  broken.setDefaultTimeout(15_000);
  await broken.goto(`${h.url}/?portal=system`);
  await screen(broken, 'The portal could not start');
  const reload = broken.getByRole('button', { name: 'Reload' });
  await reload.waitFor();
  await checkA11y(broken, 'fatal page');
  await shot(broken, 'polish-fatal-reload');
  await fetch(`${h.url}/__dev/faults`, { method: 'DELETE' });
  await reload.click();
  await broken.waitForFunction(() => document.documentElement.dataset.ready === 'true' && document.querySelector('h1')?.textContent === 'Sign in');
  await ctx.close();
});
