// The catalogues (every key in every language, same placeholders) and the language switcher
// (the UI changes, and the server's messages come back in the chosen language).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CATALOGUES, LANGUAGE_NAMES } from '../../web/shell/i18n/all.js';
import { openShell, shellPage, screen, seeText, checkA11y, shot, noPageErrors, account, PASSWORD } from './support.mjs';

// The shell speaks every locale the client accepts (web/shell/config.js takes them from the API).
const { locales: LOCALES } = JSON.parse(readFileSync(new URL('../../spec/operations.json', import.meta.url), 'utf8'));

const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('every locale has exactly the English keys, non-empty, with the same placeholders', () => {
  assert.deepEqual(Object.keys(CATALOGUES).sort(), [...LOCALES].sort());
  assert.deepEqual(Object.keys(LANGUAGE_NAMES).sort(), [...LOCALES].sort());
  const english = Object.keys(CATALOGUES.en).sort();
  assert.ok(english.length > 100);
  for (const locale of LOCALES) {
    const catalogue = CATALOGUES[locale];
    assert.deepEqual(Object.keys(catalogue).sort(), english, `${locale}: key set differs from en`);
    for (const key of english) {
      assert.equal(typeof catalogue[key], 'string', `${locale} ${key}`);
      assert.ok(catalogue[key].trim().length > 0, `${locale} ${key} is empty`);
      assert.deepEqual(placeholders(catalogue[key]), placeholders(CATALOGUES.en[key]), `${locale} ${key}: placeholders`);
    }
  }
});

let h;
before(async () => { h = await openShell(); });
after(async () => { await h?.close(); });

test('language switch: UI text, <html lang>, server messages and enum labels follow', async () => {
  const page = await shellPage(h);
  await screen(page, 'Sign in');
  await page.getByLabel('Language').selectOption('ja');
  await screen(page, 'サインイン');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ja');
  // The client now sends Accept-Language: ja, so the server's error comes back in Japanese.
  await page.getByLabel('メールアドレス').fill(account('admin'));
  await page.getByLabel('パスワード', { exact: true }).fill('Wrong-Password-1');
  await page.getByRole('button', { name: 'サインイン' }).click();
  await page.getByRole('alert').getByText('メールアドレスまたはパスワードが正しくありません').waitFor();
  await checkA11y(page, 'sign-in (ja)');
  await shot(page, 'i18n-ja');

  await page.getByLabel('言語').selectOption('zh-Hant');
  await screen(page, '登入');
  await page.getByLabel('密碼', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: '登入' }).click();
  await screen(page, '驗證您的身分');
  await page.getByRole('button', { name: '寄送驗證碼到電子郵件' }).click();
  await page.getByLabel('郵件中的驗證碼').fill(await h.mailCode(account('admin')));
  await page.getByRole('button', { name: '驗證並繼續' }).click();
  await screen(page, '首頁');

  // Switching while signed in: the screen re-renders and the server's labels follow.
  await page.getByLabel('語言').selectOption('vi');
  await screen(page, 'Trang chủ');
  await page.getByRole('navigation').getByRole('link', { name: 'Hồ sơ' }).click();
  await screen(page, 'Hồ sơ');
  const status = page.locator('.details .badge').first();
  await status.waitFor();
  assert.notEqual((await status.textContent()).trim(), 'Active', 'the status label comes from the server in Vietnamese');
  await checkA11y(page, 'profile (vi)');
  await shot(page, 'i18n-vi-profile');

  // The choice survives a reload.
  await page.reload();
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'true');
  await screen(page, 'Hồ sơ');
  noPageErrors(page);
});

test('each language renders the sign-in screen from its own catalogue', async () => {
  const page = await shellPage(h);
  for (const locale of LOCALES) {
    await page.locator('#language').selectOption(locale);
    await screen(page, CATALOGUES[locale]['signIn.title']);
    await seeText(page, CATALOGUES[locale]['signIn.lead']);
    assert.equal(await page.locator('#language option:checked').textContent(), LANGUAGE_NAMES[locale]);
  }
  noPageErrors(page);
});
