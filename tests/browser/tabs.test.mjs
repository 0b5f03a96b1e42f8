// Tabs, networks and clocks through the JS API in the browser: what a same-origin script can get
// or plant over the BroadcastChannel, a new tab's start, offline, clock skew, sign-out hygiene.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { openHarness } from './harness.mjs';

let h;
before(async () => { h = await openHarness(); });
after(() => h?.close());
beforeEach(async () => { await h.dev('DELETE', 'faults'); await h.dev('POST', 'reset'); });

async function signedInPage(persist, context = null) {
  const page = await h.newPage('/test-pages/api.html', context);
  await page.evaluate(async (p) => {
    window.client = await makeClient('system', { persist: p });
    window.events = [];
    client.on('signedOut', (e) => events.push(['signedOut', e]));
    await signInWithEmail(client, account('system', 'admin'));
  }, persist);
  return page;
}

// A same-origin script: posts `message` on the client's channel and collects what comes back.
async function postAsStranger(page, message, waitMs = 400) {
  return page.evaluate(async ([msg, ms]) => {
    const channel = new BroadcastChannel(`portal-client:system:${location.origin}`);
    const heard = [];
    channel.onmessage = ({ data }) => heard.push(data);
    channel.postMessage(msg);
    await new Promise((resolve) => setTimeout(resolve, ms));
    channel.close();
    return heard;
  }, [message, waitMs]);
}

const storedTokens = (page) => page.evaluate(() => {
  const key = `portal-client:system:${location.origin}:state`;
  return JSON.parse(sessionStorage.getItem(key) ?? 'null')?.tokens ?? null;
});

test("persist 'memory': a hello gets no token back", async () => {
  const page = await signedInPage('memory');
  const heard = await postAsStranger(page, { type: 'hello' });
  assert.deepEqual(heard.filter((m) => m?.tokens?.tokens), []);
  assert.equal(await page.evaluate(() => client.authState.state), 'SIGNED_IN');
});

test('a forged far-future tokens message is refused; a forged signedOut at most signs out', async () => {
  const page = await signedInPage('session');
  const before = await storedTokens(page);
  assert.ok(before?.accessToken);
  const forged = { ...before, accessToken: 'AT_PLANTED', refreshToken: 'RT_PLANTED', accessExpiresAt: 8e15, refreshExpiresAt: 8e15 };
  await postAsStranger(page, { type: 'tokens', tokens: { tokens: forged, source: 'local', reason: 'REFRESH', broadcast: true } }, 200);
  assert.equal((await storedTokens(page)).accessToken, before.accessToken);
  // A genuine rotation still lands, and the session works.
  const rotated = await page.evaluate(() => client.refreshSession().then(() => client.getProfile()).then((p) => p.accountEmail));
  assert.equal(rotated, 'admin@example.com');
  await postAsStranger(page, { type: 'signedOut' }, 200);
  assert.equal(await page.evaluate(() => client.authState.state), 'SIGNED_OUT');
});

test('a new tab comes up with the session of a signed-in tab, already signed in when created', async () => {
  const context = await h.newContext();
  await signedInPage('session', context);
  const b = await h.newPage('/test-pages/api.html', context);
  const state = await b.evaluate(async () => {
    const client = await makeClient('system', { persist: 'session' });
    return client.authState.state;  // synchronously after createPortalClient
  });
  assert.equal(state, 'SIGNED_IN');
});

// A new client in `page`: what its start posted on the channel (heard by a listener opened
// before it), its auth state once created, and the Web Locks named `…:signed-in` at that moment.
async function startClient(page, persist, { noLocks = false } = {}) {
  return page.evaluate(async ([p, hideLocks]) => {
    if (hideLocks) Object.defineProperty(Navigator.prototype, 'locks', { configurable: true, get: () => undefined });
    const channel = new BroadcastChannel(`portal-client:system:${location.origin}`);
    const posted = [];
    channel.onmessage = ({ data }) => posted.push(data?.type);
    window.client = await makeClient('system', { persist: p });
    const state = client.authState.state;
    await new Promise((resolve) => setTimeout(resolve, 100));  // lets a posted message arrive
    channel.close();
    return { posted, state };
  }, [persist, noLocks]);
}

// The Web Locks of the client's signed-in lock name that a page sees: [mode, 'held' | 'pending'].
// Taking and releasing a lock completes in the browser after the call that caused it: this asks
// again (up to 2 s) until the answer is `expected`, and returns the last answer.
const signedInLocks = (page, expected) => page.evaluate(async (wanted) => {
  let last;
  for (let tries = 0; tries < 40; ++tries) {
    const { held, pending } = await navigator.locks.query();
    const name = `portal-client:system:${location.origin}:signed-in`;
    last = [...held.filter((l) => l.name === name).map((l) => [l.mode, 'held']),
      ...pending.filter((l) => l.name === name).map((l) => [l.mode, 'pending'])];
    if (JSON.stringify(last) === JSON.stringify(wanted)) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return last;
}, expected);

test("persist 'memory': a new client asks no tab for a session, even beside a signed-in 'session' tab", async () => {
  const context = await h.newContext();
  await signedInPage('session', context);
  const page = await h.newPage('/test-pages/api.html', context);
  assert.deepEqual(await startClient(page, 'memory'), { posted: [], state: 'SIGNED_OUT' });
});

test("persist 'session' with no signed-in tab (Web Locks show none): a new client posts no hello", async () => {
  const page = await h.newPage('/test-pages/api.html');
  assert.deepEqual(await signedInLocks(page, []), []);
  assert.deepEqual(await startClient(page, 'session'), { posted: [], state: 'SIGNED_OUT' });
});

test("persist 'session' beside a signed-in tab: the new client says hello and comes up signed in", async () => {
  const context = await h.newContext();
  await signedInPage('session', context);
  const page = await h.newPage('/test-pages/api.html', context);
  // The hello, then the signed-in tab's answer.
  assert.deepEqual(await startClient(page, 'session'), { posted: ['hello', 'tokens'], state: 'SIGNED_IN' });
});

test('without Web Locks a new session client still says hello (and waits for an answer)', async () => {
  const page = await h.newPage('/test-pages/api.html');
  assert.deepEqual(await startClient(page, 'session', { noLocks: true }), { posted: ['hello'], state: 'SIGNED_OUT' });
});

// The page's own navigator.locks.query() (createPortalClient's lockSnapshot, which web/shell/start.js
// takes before the modules load): a new client in a fresh tab beside signed-in ones, given the
// snapshot `kind` names. Whether it said hello, its state once created (SIGNED_IN: a tab
// answered), and how often the page queried Web Locks after taking the snapshot.
async function startWithSnapshot(context, kind) {
  const page = await h.newPage('/test-pages/api.html', context);
  return page.evaluate(async (which) => {
    const query = LockManager.prototype.query;
    const snapshots = {
      taken: () => navigator.locks.query(),
      none: () => Promise.resolve({ held: [], pending: [] }),
      rejected: () => Promise.reject(new Error('refused')),
      malformed: () => Promise.resolve({ held: 'x' }),
    };
    const lockSnapshot = snapshots[which]();
    let queries = 0;
    LockManager.prototype.query = function counted() { queries += 1; return query.call(this); };
    const channel = new BroadcastChannel(`portal-client:system:${location.origin}`);
    const posted = [];
    channel.onmessage = ({ data }) => posted.push(data?.type);
    window.client = await makeClient('system', { persist: 'session', lockSnapshot });
    const state = client.authState.state;
    await new Promise((resolve) => setTimeout(resolve, 100));  // lets a posted message arrive
    channel.close();
    LockManager.prototype.query = query;
    return { hello: posted.includes('hello'), state, queries };
  }, kind);
}

test('lockSnapshot: the Web Locks answer the page took replaces the query of its own; without a usable one the tabs are asked', async () => {
  const context = await h.newContext();
  await signedInPage('session', context);
  const beside = { hello: true, state: 'SIGNED_IN', queries: 0 };
  assert.deepEqual(await startWithSnapshot(context, 'taken'), beside);
  // A snapshot that shows no signed-in tab is believed (the tab beside is not asked).
  assert.deepEqual(await startWithSnapshot(context, 'none'), { hello: false, state: 'SIGNED_OUT', queries: 0 });
  // A failed query, or an answer of another shape, is no answer: the tabs are asked, as without Web Locks.
  assert.deepEqual(await startWithSnapshot(context, 'rejected'), beside);
  assert.deepEqual(await startWithSnapshot(context, 'malformed'), beside);
  const page = await h.newPage('/test-pages/api.html', context);
  const wrong = await page.evaluate(() => settle(() => makeClient('system', { persist: 'session', lockSnapshot: { held: [], pending: [] } })));
  assert.equal(wrong.name, 'TypeError');
  assert.match(wrong.message, /lockSnapshot must be a promise/);
});

test("the signed-in lock: shared, held by a signed-in 'session' client until sign-out or dispose; never with 'memory'", async () => {
  const page = await signedInPage('session');
  const held = [['shared', 'held']];
  assert.deepEqual(await signedInLocks(page, held), held);
  await page.evaluate(() => client.signOut());
  assert.deepEqual(await signedInLocks(page, []), []);
  await page.evaluate(() => signInWithEmail(client, account('system', 'admin')));
  assert.deepEqual(await signedInLocks(page, held), held);
  await page.evaluate(() => client.dispose());
  assert.deepEqual(await signedInLocks(page, []), []);
  const memory = await signedInPage('memory');
  assert.equal(await memory.evaluate(() => client.authState.state), 'SIGNED_IN');
  assert.deepEqual(await signedInLocks(memory, held), []);
});

test('offline: calls fail fast with CLIENT.OFFLINE (transport), no sign-out; online again works', async () => {
  const page = await signedInPage('memory');
  await h.dev('POST', 'stats/reset');
  const out = await page.evaluate(async () => {
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false });
    window.dispatchEvent(new Event('offline'));
    const started = performance.now();
    const failed = await settle(() => client.getProfile());
    const elapsed = performance.now() - started;
    const refresh = await settle(() => client.refreshSession());
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => true });
    window.dispatchEvent(new Event('online'));
    const again = await settle(() => client.getProfile());
    return { failed, elapsed, refresh, again: again.resolved?.accountEmail, state: client.authState.state };
  });
  assert.equal(out.failed.code, 'CLIENT.OFFLINE');
  assert.equal(out.failed.kind, 'transport');
  assert.ok(out.elapsed < 200, `took ${out.elapsed} ms`);
  assert.equal(out.refresh.code, 'CLIENT.OFFLINE');
  assert.equal(out.again, 'admin@example.com');
  assert.equal(out.state, 'SIGNED_IN');
});

for (const skewMinutes of [10, -10]) {
  test(`a device clock ${skewMinutes > 0 ? 'ahead' : 'behind'} by 10 minutes: MFA sign-in and calls work`, async () => {
    const page = await h.newPage('/test-pages/api.html');
    const out = await page.evaluate(async (skew) => {
      const realNow = Date.now.bind(Date);
      Date.now = () => realNow() + skew * 60_000;
      window.client = await makeClient('system');
      const done = await settle(() => signInWithEmail(client, account('system', 'admin')));
      const profile = await settle(() => client.updateProfile({ defaultTimezone: 'Europe/Paris' }));
      return { done: done.resolved?.step ?? done.code, profile: profile.resolved?.defaultTimezone ?? profile.code };
    }, skewMinutes);
    assert.deepEqual(out, { done: 'DONE', profile: 'Europe/Paris' });
  });
}

for (const advanceSeconds of [600, -600]) {
  test(`the emulator's clock moved ${advanceSeconds > 0 ? 'ahead' : 'back'} 10 minutes: sign-in, calls, one refresh`, async () => {
    await h.dev('POST', 'clock', { advanceSeconds });
    const page = await h.newPage('/test-pages/api.html');
    const out = await page.evaluate(async () => {
      window.client = await makeClient('system');
      const done = await settle(() => signInWithEmail(client, account('system', 'admin')));
      await dev('POST', 'stats/reset');
      const refreshed = await settle(() => client.refreshSession());
      const profile = await settle(() => client.updateProfile({ defaultTimezone: 'Asia/Tokyo' }));
      await new Promise((resolve) => setTimeout(resolve, 500));  // a refresh loop would show here
      return { done: done.resolved?.step ?? done.code, refreshed: !!refreshed.resolved,
        profile: profile.resolved?.defaultTimezone ?? profile.code, refreshCalls: (await dev('GET', 'stats')).refreshCalls };
    });
    assert.deepEqual(out, { done: 'DONE', refreshed: true, profile: 'Asia/Tokyo', refreshCalls: 1 });
  });
}

for (const persist of ['session', 'local']) {
  test(`persist '${persist}': after sign-out nothing of the session stays in storage (the install id may)`, async () => {
    const page = await signedInPage(persist);
    const keys = () => page.evaluate(() => [...Object.keys(localStorage), ...Object.keys(sessionStorage)]
      .filter((k) => k.startsWith('portal-client:')).sort());
    assert.ok((await keys()).some((k) => k.endsWith(':state')));
    await page.evaluate(() => client.signOut());
    assert.deepEqual(await keys(), ['portal-client:system:install-id']);
  });
}
