// The shell's cold load (issue 14), as it is served (build/shell, scripts/build-shell.mjs): no
// catalogue but the active language's is requested (English is built in), a language switch
// loads the new one and renders it, every start-up module is announced in index.html (preloads,
// or the scripts themselves) and fetched once, the signed-in screens wait for first use, and the
// static files arrive compressed and are revalidated. The shell's source (web/shell) runs as it
// is too. Requests are read from the emulator's record of what it served (the same in every
// engine). What the load costs in time is measured by scripts/bench, not asserted here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { CATALOGUES } from '../../web/shell/i18n/all.js';
import { openShell, shellPage, screen, seeText, noPageErrors } from './support.mjs';

// A catalogue's file: its locale, then the build's content hash.
const CATALOGUE = /\/i18n\/(en|zh|zh-Hant|ja|vi)-[0-9A-Z]+\.js$/;

let h;
before(async () => { h = await openShell(); });
after(async () => { await h?.close(); });

// The paths of every file the page has requested so far (Resource Timing).
const requested = (page) => page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
const catalogues = async (page) => (await requested(page)).filter((p) => CATALOGUE.test(p)).map((p) => p.match(CATALOGUE)[1]).sort();

test('an English page loads no catalogue; switching loads and renders the new one', async () => {
  const page = await shellPage(h);
  await screen(page, 'Sign in');
  assert.deepEqual(await catalogues(page), []);

  await page.locator('#language').selectOption('ja');
  await screen(page, CATALOGUES.ja['signIn.title']);
  await seeText(page, CATALOGUES.ja['signIn.lead']);
  assert.deepEqual(await catalogues(page), ['ja']);

  await page.locator('#language').selectOption('vi');
  await screen(page, CATALOGUES.vi['signIn.title']);
  // Back to Japanese: already loaded, not requested again.
  await page.locator('#language').selectOption('ja');
  await screen(page, CATALOGUES.ja['signIn.title']);
  const paths = await requested(page);
  assert.equal(paths.filter((p) => p.match(CATALOGUE)?.[1] === 'ja').length, 1);
  assert.deepEqual(await catalogues(page), ['ja', 'vi']);
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
  assert.deepEqual(await catalogues(page), ['zh-Hant']);
  noPageErrors(page);
});

// What the server was asked for and answered, since the last stats reset (GET /__dev/static-log):
// the same record in every engine, whatever its Resource Timing reports.
const served = (h) => h.dev('GET', 'static-log');
const isCode = (path) => path.endsWith('.js') || path.endsWith('.wasm');

test('every start-up module is announced in index.html and the wasm fetched by start.js: nothing is fetched twice, nothing unannounced', async () => {
  const context = await h.newContext();
  await h.dev('POST', 'stats/reset');
  const page = await shellPage(h, { context });
  await screen(page, 'Sign in');
  const announced = await page.evaluate(() => [
    ...[...document.querySelectorAll('link[rel=modulepreload], link[rel=preload]')].map((link) => link.href),
    ...[...document.querySelectorAll('script[src]')].map((script) => script.src),
  ].map((href) => new URL(href).pathname));
  // start.js, a classic script that runs first, fetches and compiles the core (a preload of the
  // wasm is not taken up by WebKit's fetch()); the client takes it from there.
  const start = await page.evaluate(() => document.querySelector('script[src$="start.js"]')?.type);
  assert.equal(start, '', 'start.js is a classic script');
  // Beside start.js and the package, the sign-in screen needs two modules: the shell's bundle and
  // the chunk it shares with what loads on demand.
  assert.deepEqual(announced.filter((p) => p.endsWith('.js') && !p.startsWith('/dist/')).length, 3, `announced: ${announced}`);
  const paths = (await served(h)).filter((e) => e.method === 'GET' && isCode(e.path)).map((e) => e.path);
  assert.ok(paths.includes('/dist/portal-core.wasm'));
  // Each script and the wasm exactly once: a preload the page's own request did not match
  // (another credentials mode, say) would show as a second fetch.
  assert.deepEqual([...new Set(paths)].sort(), [...paths].sort(), 'fetched twice');
  assert.deepEqual(paths.filter((p) => !announced.includes(p) && p !== '/dist/portal-core.wasm'), [], 'fetched but not announced');
  assert.deepEqual(announced.filter((p) => !paths.includes(p)), [], 'announced but never fetched');
  // The signed-in screens and the other catalogues are not part of the start-up: loaded when first needed.
  assert.deepEqual(paths.filter((p) => /\/(screens|i18n)\//.test(p)), []);
  noPageErrors(page);
});

test('the source runs unbundled; its signed-in screens load on first use, and the router knows of them what their modules say', async () => {
  const source = await openShell({ shell: 'web/shell' });
  try {
    await sourceScreens(source);
  } finally {
    await source.close();
  }
});

async function sourceScreens(source) {
  const page = await shellPage(source);
  await screen(page, 'Sign in');
  assert.deepEqual((await requested(page)).filter((p) => /\/screens\/(onboarding|account|security|mfa-parts)\.js$/.test(p)), []);
  const { lazy, loaded } = await page.evaluate(async () => {
    const { LAZY_SCREENS, SCREENS, loadScreen } = await import('/screens/index.js');
    const before = Object.fromEntries(Object.keys(LAZY_SCREENS).map((name) => [name, { ...SCREENS[name] }]));
    const modules = {
      onboarding: (await import('/screens/onboarding.js')).onboardingScreens,
      account: (await import('/screens/account.js')).accountScreens,
      security: (await import('/screens/security.js')).securityScreens,
    };
    await Promise.all(Object.keys(LAZY_SCREENS).map((name) => loadScreen(name)));
    const own = {};
    for (const [module, screens] of Object.entries(modules)) {
      for (const [name, def] of Object.entries(screens)) own[name] = { module, access: def.access, chrome: def.chrome ?? null, renders: typeof def.render === 'function' };
    }
    return {
      lazy: Object.fromEntries(Object.entries(before).map(([name, def]) => [name, { module: def.module, access: def.access, chrome: def.chrome ?? null, renders: typeof SCREENS[name].render === 'function' }])),
      loaded: own,
    };
  });
  // Every screen of those modules is in the table, with the same access and chrome.
  assert.deepEqual(lazy, loaded);
  noPageErrors(page);
}

test('static files arrive compressed and are revalidated, not refetched, on reload', async () => {
  // The server's own record (every engine alike): the first load's files went out compressed
  // with a validator; on reload, each start-up module the browser asked for again carried that
  // validator and was answered 304 — an engine may also reuse a module without asking.
  const context = await h.newContext();
  await h.dev('POST', 'stats/reset');
  const page = await shellPage(h, { context });
  const first = await served(h);
  const preloaded = await page.evaluate(() => [...document.querySelectorAll('link[rel=modulepreload]')].map((link) => new URL(link.href).pathname));
  assert.ok(preloaded.includes('/dist/portal-client.js'), `preloaded: ${preloaded}`);
  for (const path of ['/app.js', ...preloaded, '/styles.css', '/dist/portal-core.wasm']) {
    const entry = first.find((e) => e.path === path);
    assert.ok(entry, `${path} was loaded`);
    assert.equal(entry.status, 200, path);
    assert.ok(['br', 'gzip'].includes(entry.contentEncoding), `${path} compressed: ${JSON.stringify(entry)}`);
    assert.match(entry.etag ?? '', /^W\/".+"$/, `${path} has a validator`);
  }
  const modules = first.filter((e) => e.path.endsWith('.js')).map((e) => e.path);
  assert.ok(modules.includes('/start.js') && modules.includes('/app.js'), `modules: ${modules}`);
  await h.dev('POST', 'stats/reset');
  await page.reload();
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'true');
  await screen(page, 'Sign in');
  const again = await served(h);
  const etags = Object.fromEntries(first.map((e) => [e.path, e.etag]));
  const revalidated = (e) => e.status === 304 && e.ifNoneMatch === etags[e.path];
  const modulesAgain = again.filter((e) => e.path.endsWith('.js'));
  assert.deepEqual(modulesAgain.filter((e) => !revalidated(e)), [], 'every module revalidated, none fetched again');
  // WebKit reuses the modules of its memory cache without asking; the stylesheet is revalidated there.
  assert.ok(again.some(revalidated), `the reload revalidated files: ${JSON.stringify(again)}`);
  // Every start-up module is in use after the reload (from the engine's cache or revalidated).
  const inUse = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
  assert.deepEqual(modules.filter((p) => !inUse.includes(p) && !modulesAgain.some((e) => e.path === p)), [], 'modules neither revalidated nor reused');
  noPageErrors(page);
});
