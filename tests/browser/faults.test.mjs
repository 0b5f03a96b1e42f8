// Fault injection against the JS API in the browser (PORTAL_ENGINE): token expiry under concurrency, channel expiry
// and key rotation mid-journey, rate limits, broken responses, downgrade, and several tabs.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { openHarness } from './harness.mjs';

let h;
before(async () => { h = await openHarness(); });
after(() => h?.close());
beforeEach(async () => { await h.dev('DELETE', 'faults'); });

async function signedInPage(local = 'admin', options = {}, context = null) {
  const page = await h.newPage('/test-pages/api.html', context);
  await page.evaluate(async ([who, opts]) => {
    window.client = await makeClient('system', opts);
    window.events = [];
    for (const name of ['signedOut', 'tokenRefreshed', 'authStateChange']) client.on(name, (p) => events.push([name, p]));
    await signInWithEmail(client, account('system', who));
  }, [local, options]);
  return page;
}

test('N concurrent calls meeting 4010 cause exactly one refresh, and all succeed', async () => {
  const page = await signedInPage();
  await h.dev('POST', 'stats/reset');
  await h.dev('POST', 'expire-access-tokens');
  const out = await page.evaluate(async () => {
    const results = await Promise.all([client.getProfile(), client.listWorkspaces(), client.getMfaState(),
      client.listSessions(), client.listInvitations()].map((p) => p.then(() => 'ok', (e) => e.code)));
    return { results, refreshed: events.filter(([n]) => n === 'tokenRefreshed').length };
  });
  assert.deepEqual(out.results, ['ok', 'ok', 'ok', 'ok', 'ok']);
  const stats = await h.dev('GET', 'stats');
  assert.equal(stats.refreshCalls, 1);
  assert.equal(out.refreshed, 1);
});

test('a refresh token that no longer works signs the client out after one refresh and one retry', async () => {
  const page = await signedInPage('multi');
  await h.dev('POST', 'stats/reset');
  // Ending the session on the server revokes both the access and the refresh tokens.
  const sessionId = await page.evaluate(async () => (await client.listSessions()).find((s) => s.isCurrent).sessionId);
  const other = await signedInPage('multi');
  await other.evaluate((id) => client.terminateSession({ sessionId: id }), sessionId);
  const out = await page.evaluate(async () => ({ result: await settle(() => client.getProfile()), events, state: client.authState.state }));
  assert.equal(out.result.code, '4010');
  assert.equal(out.state, 'SIGNED_OUT');
  const signedOut = out.events.filter(([n]) => n === 'signedOut');
  assert.equal(signedOut.length, 1);
  assert.ok(['REFRESH_FAILED', 'SESSION_EXPIRED', 'TERMINATED'].includes(signedOut[0][1].reason));
  assert.equal((await h.dev('GET', 'stats')).refreshCalls, 1);  // exactly one refresh, then the retry
});

test('an expired channel session mid-journey recovers transparently', async () => {
  const page = await h.newPage();
  await page.evaluate(async () => {
    window.client = await makeClient('system');
    await client.signIn({ email: account('system', 'admin'), password: PASSWORD });
  });
  await h.dev('POST', 'secure-channel/expire-sessions');
  const out = await page.evaluate(async () => {
    await client.sendMfaCode('EMAIL');
    return client.confirmSignIn({ method: 'EMAIL', code: await mailCode(account('system', 'admin')) });
  });
  assert.equal(out.step, 'DONE');
});

test('a retired server key (KEY_UNKNOWN) is refetched and the request resent once', async () => {
  const page = await signedInPage('otp');
  await h.dev('POST', 'secure-channel/rotate-key');
  await h.dev('POST', 'secure-channel/end-grace');
  await h.dev('POST', 'secure-channel/expire-sessions');
  const out = await page.evaluate(() => settle(() => client.updateProfile({ accountName: 'After Rotation' })));
  assert.equal(out.resolved?.accountName, 'After Rotation');
});

test('429 surfaces retryAfter and the client stays usable', async () => {
  const page = await h.newPage();
  const out = await page.evaluate(async () => {
    const client = await makeClient('system');
    await client.signIn({ email: account('system', 'admin'), password: PASSWORD });
    const first = await client.sendMfaCode('EMAIL');
    const second = await settle(() => client.sendMfaCode('EMAIL'));
    const done = await client.confirmSignIn({ method: 'EMAIL', code: await mailCode(account('system', 'admin')) });
    return { first, second, done };
  });
  assert.equal(out.second.code, 'RATE_LIMITED');
  assert.equal(out.second.status, 429);
  assert.ok(out.second.retryAfter > 0 && out.second.retryAfter <= out.first.resendAfter);
  assert.equal(out.done.step, 'DONE');
});

for (const kind of ['malformed', 'oversized', 'truncated', 'drop', 'http500']) {
  test(`a ${kind} response gives a clear error and leaves the client usable`, async () => {
    const page = await signedInPage('admin');
    // Chromium silently retries (up to 3 times here) a request whose connection closes unanswered.
    await h.dev('POST', 'faults', { path: '/web/v1/system/profile/update', kind, times: kind === 'drop' ? 5 : 1 });
    const out = await page.evaluate(async () => ({
      failed: await settle(() => client.updateProfile({ defaultTimezone: 'Europe/Paris' })),
      again: await settle(() => client.getProfile()),
      state: client.authState.state,
    }));
    assert.ok(out.failed.isPortalError, JSON.stringify(out.failed));
    assert.match(out.failed.code, /^(CLIENT\.|5000)/);
    if (kind === 'http500') assert.equal(out.failed.status, 500);
    if (kind === 'oversized') assert.equal(out.failed.code, 'CLIENT.BAD_RESPONSE');  // over the core's 1 MiB
    assert.equal(out.again.resolved?.accountEmail, 'admin@example.com');
    assert.equal(out.state, 'SIGNED_IN');
  });
}

test('a plaintext success to an encrypted request is rejected as a downgrade', async () => {
  const page = await signedInPage('admin');
  await h.dev('POST', 'faults', { path: '/web/v1/system/profile/update', kind: 'plaintext-success', times: 1 });
  const out = await page.evaluate(async () => ({
    failed: await settle(() => client.updateProfile({ accountName: 'Downgraded' })),
    profile: await client.getProfile(),
  }));
  assert.equal(out.failed.code, 'SECURE_CHANNEL.DOWNGRADE');
  assert.notEqual(out.profile.accountName, 'Downgraded');
});

test('pinned keys: a server key outside the pin set is refused', async () => {
  const page = await h.newPage();
  const out = await page.evaluate(async () => {
    const client = await makeClient('system', { pinnedKeys: ['AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'] });
    return settle(() => client.signIn({ email: account('system', 'admin'), password: PASSWORD }));
  });
  assert.equal(out.code, 'SECURE_CHANNEL.KEY_NOT_PINNED');
});

test('two tabs share one session: one refresh and one sign-out', async () => {
  const context = await h.newContext();
  // Tabs share tokens only when they persist them (same-origin script can read them there anyway).
  const a = await signedInPage('admin', { persist: 'session' }, context);
  const b = await h.newPage('/test-pages/api.html', context);
  // A tab opened later adopts the session of the signed-in tab (BroadcastChannel hand-over).
  await b.evaluate(async () => {
    window.client = await makeClient('system', { persist: 'session' });
    window.events = [];
    client.on('signedOut', (p) => events.push(['signedOut', p]));
  });
  await b.waitForFunction(() => client.authState.state === 'SIGNED_IN');
  await h.dev('POST', 'stats/reset');
  await h.dev('POST', 'expire-access-tokens');
  const [ra, rb] = await Promise.all([
    a.evaluate(() => Promise.all([client.getProfile(), client.listWorkspaces()]).then(() => 'ok', (e) => e.code)),
    b.evaluate(() => Promise.all([client.getProfile(), client.listWorkspaces()]).then(() => 'ok', (e) => e.code)),
  ]);
  assert.equal(ra, 'ok');
  assert.equal(rb, 'ok');
  assert.equal((await h.dev('GET', 'stats')).refreshCalls, 1);
  await a.evaluate(() => client.signOut());
  await b.waitForFunction(() => events.some(([n]) => n === 'signedOut'));
  const bOut = await b.evaluate(() => ({ payload: events.find(([n]) => n === 'signedOut')[1], state: client.authState.state }));
  assert.deepEqual(bOut.payload, { reason: 'OTHER_TAB' });  // the documented shape, nothing internal
  assert.equal(bOut.state, 'SIGNED_OUT');
});

test('three tabs and a slow refresh: the refresh lock is handed over, one refresh, every tab keeps the session', async () => {
  const context = await h.newContext();
  // persist 'session': tabs share a session only where storage already exposes it (memory shares none).
  const tabs = [await signedInPage('admin', { persist: 'session' }, context)];
  for (let i = 0; i < 2; ++i) {
    const tab = await h.newPage('/test-pages/api.html', context);
    await tab.evaluate(async () => { window.client = await makeClient('system', { persist: 'session' }); });
    await tab.waitForFunction(() => client.authState.state === 'SIGNED_IN');
    tabs.push(tab);
  }
  await h.dev('POST', 'stats/reset');
  await h.dev('POST', 'expire-access-tokens');
  // The first refresh answers slowly: the other tabs meet 4010 meanwhile and wait for the lock,
  // then find the rotated tokens handed over and do not refresh again.
  await h.dev('POST', 'faults', { path: '/web/v1/system/auth/token/refresh', kind: 'delay', delayMs: 800, times: 1 });
  const started = Date.now();
  const results = await Promise.all(tabs.map((tab) => tab.evaluate(() => Promise.all([client.getProfile(), client.listSessions()])
    .then(() => 'ok', (e) => e.code))));
  assert.deepEqual(results, ['ok', 'ok', 'ok']);
  assert.ok(Date.now() - started >= 800, 'the refresh was slowed down');
  assert.equal((await h.dev('GET', 'stats')).refreshCalls, 1);
  const states = await Promise.all(tabs.map((tab) => tab.evaluate(() => client.authState.state)));
  assert.deepEqual(states, ['SIGNED_IN', 'SIGNED_IN', 'SIGNED_IN']);
});

test('a 50 MiB response is cut off at the core limit without being read whole (stream cancelled)', async () => {
  const page = await h.newPage();
  const out = await page.evaluate(async () => {
    const stats = { pulled: 0, cancelled: false };
    const huge = 50 * 1024 * 1024, chunk = 64 * 1024;
    const streamingFetch = (url, init) => {
      if (!String(url).endsWith('/secure-channel/public-key')) return fetch(url, init);
      const body = new ReadableStream({
        pull(controller) {
          if (stats.pulled >= huge) { controller.close(); return; }
          stats.pulled += chunk;
          controller.enqueue(new Uint8Array(chunk).fill(0x20));
        },
        cancel() { stats.cancelled = true; },
      });
      return Promise.resolve(new Response(body, { status: 200, headers: { 'content-type': 'application/json' } }));
    };
    window.client = await makeClient('system', { fetch: streamingFetch });
    const failed = await settle(() => client.signIn({ email: account('system', 'admin'), password: PASSWORD }));
    return { failed, stats };
  });
  assert.equal(out.failed.code, 'CLIENT.BAD_RESPONSE');
  assert.ok(out.stats.pulled < 4 * 1024 * 1024, `pulled ${out.stats.pulled} bytes`);
  assert.ok(out.stats.cancelled);
});

test('crypto.getRandomValues is captured once at load; a throw from it fails the call with CLIENT.NO_CRYPTO and the client recovers', async () => {
  const page = await h.newPage();
  const out = await page.evaluate(async () => {
    const original = crypto.getRandomValues.bind(crypto);
    window.failRandom = false;
    crypto.getRandomValues = (array) => {
      if (window.failRandom) throw new DOMException('no randomness', 'QuotaExceededError');
      return original(array);
    };
    window.client = await makeClient('system');
    const credentials = { email: account('system', 'admin'), password: PASSWORD };
    window.failRandom = true;
    const failed = await settle(() => client.signIn(credentials));
    window.failRandom = false;
    const recovered = await settle(() => client.signIn(credentials));
    // Replaced after load: the module keeps the function it captured. Five more sign-ins open
    // five channel sessions (64 random bytes each), so the 256-byte pool is refilled at least once.
    crypto.getRandomValues = () => { throw new Error('replaced after load'); };
    const again = [];
    for (let i = 0; i < 5; ++i) {
      const other = await makeClient('system');  // the install id is already stored
      again.push((await settle(() => other.signIn(credentials))).resolved?.step ?? 'failed');
    }
    return { failed, recovered, again };
  });
  assert.equal(out.failed.code, 'CLIENT.NO_CRYPTO', JSON.stringify(out.failed));
  assert.equal(out.recovered.resolved?.step, 'MFA_REQUIRED', JSON.stringify(out.recovered));
  assert.deepEqual(out.again, Array(5).fill('MFA_REQUIRED'));
});
