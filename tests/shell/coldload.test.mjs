// The shell's cold load (issue 14): only the active language's catalogue is requested, a
// language switch loads the new one and renders it, every start-up module and the wasm are
// announced in index.html (preloads, or the scripts themselves), and the static files arrive compressed. What the load
// costs in time is measured by scripts/coldload.mjs, not asserted here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CATALOGUES } from '../../web/shell/i18n/all.js';
import { openShell, shellPage, screen, seeText, noPageErrors } from './support.mjs';
import { ENGINE } from '../browser/engines.mjs';

const CATALOGUE = /\/i18n\/(en|zh|zh-Hant|ja|vi)\.js$/;

let h;
before(async () => { h = await openShell(); });
after(async () => { await h?.close(); });

// The paths of every file the page has requested so far (Resource Timing).
const requested = (page) => page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
const catalogues = async (page) => (await requested(page)).filter((p) => CATALOGUE.test(p)).map((p) => p.match(CATALOGUE)[1]).sort();

test('an English page loads the English catalogue only; switching loads and renders the new one', async () => {
  const page = await shellPage(h);
  await screen(page, 'Sign in');
  assert.deepEqual(await catalogues(page), ['en']);

  await page.locator('#language').selectOption('ja');
  await screen(page, CATALOGUES.ja['signIn.title']);
  await seeText(page, CATALOGUES.ja['signIn.lead']);
  assert.deepEqual(await catalogues(page), ['en', 'ja']);

  await page.locator('#language').selectOption('vi');
  await screen(page, CATALOGUES.vi['signIn.title']);
  // Back to Japanese: already loaded, not requested again.
  await page.locator('#language').selectOption('ja');
  await screen(page, CATALOGUES.ja['signIn.title']);
  const paths = await requested(page);
  assert.equal(paths.filter((p) => p.endsWith('/i18n/ja.js')).length, 1);
  assert.deepEqual(await catalogues(page), ['en', 'ja', 'vi']);
  noPageErrors(page);
});

test('a page in a saved language loads that catalogue and no other', async () => {
  const page = await shellPage(h);
  await page.evaluate(() => { localStorage.setItem('portal-shell:locale', 'zh-Hant'); });
  await page.reload();
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'true');
  await screen(page, CATALOGUES['zh-Hant']['signIn.title']);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-Hant');
  // English stays built in as the fallback of every lookup.
  assert.deepEqual(await catalogues(page), ['en', 'zh-Hant']);
  noPageErrors(page);
});

test('every start-up module and the wasm are announced in index.html: nothing is fetched twice, nothing unannounced', { skip: ENGINE === 'webkit' && 'WebKitGTK lists a preloaded wasm twice in Resource Timing (README, engine differences)' }, async () => {
  const page = await shellPage(h);
  await screen(page, 'Sign in');
  const preloaded = await page.evaluate(() => [
    ...[...document.querySelectorAll('link[rel=modulepreload], link[rel=preload]')].map((link) => link.href),
    ...[...document.querySelectorAll('script[src]')].map((script) => script.src),
  ].map((href) => new URL(href).pathname));
  const paths = (await requested(page)).filter((p) => p.endsWith('.js') || p.endsWith('.wasm'));
  assert.ok(paths.includes('/dist/portal-core.wasm'));
  // Each script and the wasm exactly once: a preload the page's own request did not match
  // (another credentials mode, say) would show as a second fetch.
  assert.deepEqual([...new Set(paths)].sort(), [...paths].sort());
  assert.deepEqual(paths.filter((p) => !preloaded.includes(p)), [], 'fetched but not preloaded');
  assert.deepEqual(preloaded.filter((p) => !paths.includes(p)), [], 'preloaded but never used');
  noPageErrors(page);
});

test('static files arrive compressed and are revalidated, not refetched, on reload', { skip: ENGINE !== 'chromium' && 'Resource Timing reports cached revalidations this way in Chromium only (README, engine differences)' }, async () => {
  // Resource Timing, which every engine gives: a compressed body is smaller on the wire than
  // decoded; a revalidated (304) or cached file transfers less than its body.
  const page = await shellPage(h);
  const sizes = () => page.evaluate(() => performance.getEntriesByType('resource').map((e) => ({
    path: new URL(e.name).pathname, transfer: e.transferSize, encoded: e.encodedBodySize, decoded: e.decodedBodySize })));
  const first = await sizes();
  for (const path of ['/app.js', '/i18n/en.js', '/dist/portal-client.js', '/dist/portal-core.wasm']) {
    const entry = first.find((e) => e.path === path);
    assert.ok(entry, `${path} was loaded`);
    assert.ok(entry.encoded > 0 && entry.encoded < entry.decoded, `${path} compressed: ${JSON.stringify(entry)}`);
  }
  await page.reload();
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'true');
  const js = (await sizes()).filter((e) => e.path.endsWith('.js'));
  assert.ok(js.length > 5);
  assert.deepEqual(js.filter((e) => e.transfer >= e.encoded && e.encoded > 0), [], 'every module revalidated, none fetched again');
});
