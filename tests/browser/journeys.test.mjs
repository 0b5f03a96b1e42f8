// Every journey of the JS API end to end in the browser (PORTAL_ENGINE) against the emulator, on all three portals.
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { openHarness, PORTALS } from './harness.mjs';
import { totp } from './totp.mjs';

let h;
before(async () => { h = await openHarness(); });
after(() => h?.close());

const NEW_PASSWORD = 'Brand-New-Pass-42';

for (const portal of PORTALS) {
  describe(`${portal} portal`, () => {
    test('sign-in with EMAIL: MFA step, send, wrong code, right code, route, profile, sign-out', async () => {
      const page = await h.newPage();
      const out = await page.evaluate(async (portalName) => {
        const email = account(portalName, 'admin');
        const client = await makeClient(portalName);
        const states = [];
        client.onAuthStateChange((s) => states.push(s.state));
        const routes = [];
        client.on('routeChange', (r) => routes.push(r.name));
        const first = await client.signIn({ email, password: PASSWORD });
        const sent = await client.sendMfaCode('EMAIL');
        const wrong = await settle(() => client.confirmSignIn({ method: 'EMAIL', code: '000000' }));
        const done = await client.confirmSignIn({ method: 'EMAIL', code: await mailCode(email) });
        const profile = await client.getProfile();
        await client.signOut();
        const afterSignOut = await settle(() => client.getProfile());
        client.dispose();
        return { first, sent, wrong, done, profile, states, routes, afterSignOut, authState: client.authState };
      }, portal);
      assert.equal(out.first.step, 'MFA_REQUIRED');
      assert.ok(out.first.methods.includes('EMAIL'));
      assert.match(out.sent.sentTo, /\*\*\*@/);
      assert.equal(out.wrong.code, 'AUTH.MFA_CODE_INVALID');
      assert.equal(out.wrong.isPortalError, true);
      assert.equal(out.done.step, 'DONE');
      assert.equal(out.done.route.name, 'APP');
      assert.equal(out.profile.accountEmail, `admin@${{ system: 'example.com', tenant: 'tenant.example.com', consumer: 'consumer.example.com' }[portal]}`);
      assert.equal(out.profile.accountPortal.code, portal.toUpperCase());
      assert.ok(out.states.includes('SIGNED_IN'));
      assert.equal(out.states.at(-1), 'SIGNED_OUT');
      assert.deepEqual(out.routes, ['APP']);
      assert.ok(out.afterSignOut.code, 'getProfile after sign-out must reject');
      assert.equal(out.authState.state, 'SIGNED_OUT');
      assert.deepEqual(page.pageErrors, []);
    });

    test('sign-in with OTP computed from the published secret, then with a backup code', async () => {
      const page = await h.newPage();
      const email = `otp@${{ system: 'example.com', tenant: 'tenant.example.com', consumer: 'consumer.example.com' }[portal]}`;
      const methods = await page.evaluate(async ([portalName, mail]) => {
        window.client = await makeClient(portalName);
        return (await client.signIn({ email: mail, password: PASSWORD })).methods;
      }, [portal, email]);
      assert.deepEqual(methods, ['EMAIL', 'OTP', 'BACKUP_CODE']);
      const otp = await page.evaluate(async (code) => client.confirmSignIn({ method: 'OTP', code }), totp('JBSWY3DPEHPK3PXP'));
      assert.equal(otp.step, 'DONE');
      const backup = await page.evaluate(async (mail) => {
        await client.signOut();
        await client.signIn({ email: mail, password: PASSWORD });
        const done = await client.confirmSignIn({ method: 'BACKUP_CODE', code: 'abcd-0001' });
        const reuse = await settle(async () => {
          await client.signOut();
          await client.signIn({ email: mail, password: PASSWORD });
          return client.confirmSignIn({ method: 'BACKUP_CODE', code: 'abcd-0001' });
        });
        return { done, reuse };
      }, email);
      assert.equal(backup.done.step, 'DONE');
      assert.equal(backup.reuse.code, 'AUTH.MFA_CODE_INVALID');
    });

    test('registration with email verification', async () => {
      const page = await h.newPage();
      const out = await page.evaluate(async (portalName) => {
        const email = `new-${portalName}-${Date.now()}@example.org`;
        const client = await makeClient(portalName);
        const started = await client.register({ email });
        const wrong = await settle(() => client.verifyRegistrationEmail({ code: '000000' }));
        await client.verifyRegistrationEmail({ code: await mailCode(email, 'REGISTRATION') });
        const weak = await settle(() => client.completeRegistration({ accountName: 'New Person', password: 'short' }));
        const done = await client.completeRegistration({ accountName: 'New Person', password: 'Valid-Password-1' });
        const profile = await client.getProfile();
        return { started, wrong, weak, done, profile };
      }, portal);
      assert.equal(out.started.step, 'VERIFY_EMAIL');
      assert.equal(out.wrong.code, 'AUTH.VERIFICATION_CODE_INVALID');
      assert.equal(out.weak.code, '4000');
      assert.ok(out.weak.fieldErrors.some((f) => f.field === 'password'));
      assert.equal(out.done.step, 'DONE');
      assert.equal(out.done.route.name, portal === 'consumer' ? 'CREATE_WORKSPACE' : 'PENDING_APPROVAL');
      assert.equal(out.profile.accountName, 'New Person');
    });

    test('forgot and reset password, then sign in with the new one; change it back', async () => {
      const page = await h.newPage();
      const out = await page.evaluate(async ([portalName, newPassword]) => {
        const email = account(portalName, 'noworkspace');
        const client = await makeClient(portalName);
        await client.forgotPassword({ email });
        const wrong = await settle(() => client.resetPassword({ code: '000000', newPassword }));
        await client.resetPassword({ code: await mailCode(email, 'PASSWORD_RESET'), newPassword });
        const old = await settle(() => client.signIn({ email, password: PASSWORD }));
        const done = await signInWithEmail(client, email, newPassword);
        const badCurrent = await settle(() => client.changePassword({ currentPassword: 'Wrong-Pass-123', newPassword: PASSWORD }));
        await client.changePassword({ currentPassword: newPassword, newPassword: PASSWORD });
        return { wrong, old, done, badCurrent };
      }, [portal, NEW_PASSWORD]);
      assert.equal(out.wrong.code, 'AUTH.VERIFICATION_CODE_INVALID');
      assert.equal(out.old.code, 'AUTH.INVALID_CREDENTIALS');
      assert.equal(out.done.route.name, 'CREATE_WORKSPACE');
      assert.equal(out.badCurrent.code, 'AUTH.PASSWORD_INCORRECT');
    });

    test('invited account initializes its password, then lands on its invitation', async () => {
      const page = await h.newPage();
      const out = await page.evaluate(async ([portalName, newPassword]) => {
        const client = await makeClient(portalName);
        const first = await signInWithEmail(client, account(portalName, 'invited'));
        await client.initPassword({ newPassword });
        const next = await client.bootstrap();
        return { first, next };
      }, [portal, NEW_PASSWORD]);
      assert.equal(out.first.route.name, 'PASSWORD_INIT');
      assert.equal(out.next.route.name, 'INVITATIONS');
    });

    test('onboarding routes: MFA setup, pending approval, select and create workspace', async () => {
      // One page (one browser context) per account: clients of one portal and origin share their
      // session across pages and tabs by design.
      const signedIn = async (local) => {
        const page = await h.newPage();
        const route = await page.evaluate(async ([portalName, who]) => {
          window.client = await makeClient(portalName);
          return (await signInWithEmail(client, account(portalName, who))).route.name;
        }, [portal, local]);
        return { page, route };
      };
      const mfa = await signedIn('mfa-required');
      assert.equal(mfa.route, 'MFA_SETUP');
      const pending = await signedIn('pending');
      assert.equal(pending.route, 'PENDING_APPROVAL');
      const refused = await pending.page.evaluate(() => settle(() => client.createWorkspace({ workspaceName: 'Nope' })));
      assert.equal(refused.code, 'AUTH.ACCOUNT_PENDING_APPROVAL');
      const multi = await signedIn('multi');
      assert.equal(multi.route, 'SELECT_WORKSPACE');
      const selected = await multi.page.evaluate(async () => {
        const workspaces = await client.listWorkspaces();
        return { count: workspaces.length, result: await client.selectWorkspace({ workspaceBizId: workspaces[1].workspaceBizId }) };
      });
      assert.equal(selected.count, 2);
      assert.equal(selected.result.route.name, 'APP');
      const none = await signedIn('noworkspace');
      assert.equal(none.route, 'CREATE_WORKSPACE');
      const created = await none.page.evaluate(async () => ({
        created: await client.createWorkspace({ workspaceName: 'Fresh Co' }),
        again: (await client.bootstrap()).route.name,
      }));
      assert.equal(created.created.workspaceName, 'Fresh Co');
      assert.equal(created.created.isDefault, true);
      assert.equal(created.created.route.name, 'APP');
      assert.equal(created.again, 'APP');
    });

    test('invitations: inbox route, both conflicts, accept with its outcome, decline', async () => {
      const page = await h.newPage();
      const out = await page.evaluate(async (portalName) => {
        const client = await makeClient(portalName);
        const done = await signInWithEmail(client, account(portalName, 'invitations'));
        const list = await client.listInvitations();
        const byStatus = (code) => list.find((i) => i.status.code === code);
        const expired = await settle(() => client.acceptInvitation({ invitationBizId: byStatus('EXPIRED').invitationBizId }));
        const processed = await settle(() => client.acceptInvitation({ invitationBizId: byStatus('ACCEPTED').invitationBizId }));
        const declineExpired = await settle(() => client.declineInvitation({ invitationBizId: byStatus('EXPIRED').invitationBizId }));
        const accepted = await client.acceptInvitation({ invitationBizId: byStatus('PENDING').invitationBizId });
        const again = await settle(() => client.declineInvitation({ invitationBizId: byStatus('PENDING').invitationBizId }));
        return { route: done.route.name, statuses: list.map((i) => i.status.code).sort(), expired, processed, declineExpired, accepted, again };
      }, portal);
      assert.equal(out.route, 'INVITATIONS');
      assert.deepEqual(out.statuses, ['ACCEPTED', 'EXPIRED', 'PENDING']);
      assert.equal(out.expired.code, 'WORKSPACE.INVITATION_EXPIRED');
      assert.equal(out.expired.status, 409);
      assert.equal(out.processed.code, 'WORKSPACE.INVITATION_ALREADY_PROCESSED');
      assert.equal(out.declineExpired.code, 'WORKSPACE.INVITATION_EXPIRED');
      assert.equal(typeof out.accepted.becameDefaultWorkspace, 'boolean');
      assert.ok(['ENTER_ACCEPTED_WORKSPACE', 'STAY_ON_CURRENT_WORKSPACE'].includes(out.accepted.nextAction.code));
      assert.ok(out.accepted.route?.name, 'accept answers the next route');
      assert.equal(out.again.code, 'WORKSPACE.INVITATION_ALREADY_PROCESSED');
    });

    test('profile: update editable fields; admin-only and bad values refused with field errors', async () => {
      const page = await h.newPage();
      const out = await page.evaluate(async (portalName) => {
        const client = await makeClient(portalName);
        await signInWithEmail(client, account(portalName, 'multi'));
        const updated = await client.updateProfile({ accountName: 'Renamed Person', defaultLanguage: 'ja' });
        const notEditable = await settle(() => client.updateProfile({ accountRemark: 'x' }));
        const badCountry = await settle(() => client.updateProfile({ defaultCountry: 'usa' }));
        const reread = await client.getProfile();
        return { updated, notEditable, badCountry, reread };
      }, portal);
      assert.equal(out.updated.accountName, 'Renamed Person');
      assert.equal(out.reread.defaultLanguage, 'ja');
      // Known but not editable: the core names the field (not a TypeError that hides its answer).
      assert.equal(out.notEditable.code, 'CLIENT.INVALID_ARGUMENT');
      assert.deepEqual(out.notEditable.fieldErrors.map((f) => [f.field, f.code]), [['accountRemark', 'FIELD_NOT_EDITABLE']]);
      assert.equal(out.badCountry.code, '4000');
      assert.ok(out.badCountry.fieldErrors.some((f) => f.field === 'defaultCountry'));
    });
  });
}

describe('security centre (system portal)', () => {
  test('OTP setup with a code computed from the secret, backup codes, revoke', async () => {
    const page = await h.newPage();
    const setup = await page.evaluate(async () => {
      window.client = await makeClient('system');
      await signInWithEmail(client, account('system', 'mfa-required'));
      return client.setupOtp();
    });
    assert.match(setup.secret, /^[A-Z2-7]+$/);
    const uri = new URL(setup.otpauthUri);
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(uri.searchParams.get('secret'), setup.secret);
    assert.equal(uri.searchParams.get('issuer'), setup.issuer);
    assert.equal(uri.host, 'totp');
    assert.equal(decodeURIComponent(uri.pathname.slice(1)),
      `${setup.issuer}:mfa-required@example.com`);
    const out = await page.evaluate(async (code) => {
      const wrong = await settle(() => client.verifyOtp({ code: code === '000000' ? '111111' : '000000' }));
      await client.verifyOtp({ code });
      const state = await client.getMfaState();
      const { codes } = await client.generateBackupCodes();
      const wrongPassword = await settle(() => client.revokeOtp({ password: 'Not-The-Password-1' }));
      await client.revokeOtp({ password: PASSWORD });
      const afterRevoke = await client.getMfaState();
      return { wrong, state, codes, wrongPassword, afterRevoke };
    }, totp(setup.secret));
    assert.equal(out.wrong.code, 'AUTH.MFA_CODE_INVALID');
    assert.equal(out.state.find((f) => f.mfaMethod.code === 'OTP').isEnabled, true);
    assert.equal(out.codes.length, 10);
    assert.equal(new Set(out.codes).size, 10);
    assert.equal(out.wrongPassword.code, 'AUTH.PASSWORD_INCORRECT');
    assert.equal(out.afterRevoke.find((f) => f.mfaMethod.code === 'OTP').isEnabled, false);
  });

  test('IP whitelist: client-side validation, lockout guard, confirmed save, enable', async () => {
    const page = await h.newPage();
    const out = await page.evaluate(async () => {
      const client = await makeClient('system');
      await signInWithEmail(client, account('system', 'admin'));
      const invalid = await settle(() => client.saveIpWhitelist({ entries: ['10.0.0.1', '300.1.1.1', '2001:db8::/129'] }));
      // While disabled a list locks nobody out: it saves, but enabling it is guarded.
      const savedDisabled = await client.saveIpWhitelist({ entries: ['203.0.113.0/24'] });
      const lockout = await settle(() => client.setIpWhitelistEnabled({ enabled: true }));
      const covering = await client.saveIpWhitelist({ entries: ['127.0.0.0/8', '2001:DB8:0:0::1', '127.0.0.0/8'] });
      await client.setIpWhitelistEnabled({ enabled: true });
      const read = await client.getIpWhitelist();
      const lockoutWhileEnabled = await settle(() => client.saveIpWhitelist({ entries: ['198.51.100.7'] }));
      const confirmed = await client.saveIpWhitelist({ entries: ['127.0.0.1', '198.51.100.7'] });
      await client.setIpWhitelistEnabled({ enabled: false });
      return { invalid, savedDisabled, lockout, covering, read, lockoutWhileEnabled, confirmed };
    });
    assert.equal(out.invalid.kind, 'caller');
    assert.deepEqual(out.invalid.fieldErrors.map((f) => f.field).sort(), ['entries[1]', 'entries[2]']);
    assert.deepEqual(out.savedDisabled, { enabled: false, entries: ['203.0.113.0/24'] });
    assert.equal(out.lockout.code, 'CLIENT.IP_WHITELIST_LOCKOUT');
    assert.equal(out.lockout.kind, 'caller');
    assert.deepEqual(out.covering.entries, ['127.0.0.0/8', '2001:db8::1']);
    assert.equal(out.read.enabled, true);
    assert.equal(out.lockoutWhileEnabled.code, 'CLIENT.IP_WHITELIST_LOCKOUT');
    assert.deepEqual(out.confirmed, { enabled: true, entries: ['127.0.0.1', '198.51.100.7'] });
  });

  test('sessions: list with the current one marked, terminate one, terminate all others', async () => {
    const pages = [await h.newPage(), await h.newPage(), await h.newPage()];
    for (const p of pages) {
      await p.evaluate(async () => {
        window.client = await makeClient('system');
        window.signedOut = [];
        client.on('signedOut', (e) => signedOut.push(e.reason));
        await signInWithEmail(client, account('system', 'otp'));
      });
    }
    const sessions = await pages[0].evaluate(() => client.listSessions());
    assert.ok(sessions.length >= 3);
    assert.equal(sessions.filter((s) => s.isCurrent).length, 1);
    assert.equal(sessions[0].isCurrent, true);
    const victim = await pages[1].evaluate(async () => (await client.listSessions()).find((s) => s.isCurrent).sessionId);
    await pages[0].evaluate((id) => client.terminateSession({ sessionId: id }), victim);
    const victimOut = await pages[1].evaluate(async () => ({ result: await settle(() => client.getProfile()), signedOut, state: client.authState.state }));
    assert.equal(victimOut.result.code, '4010');
    assert.equal(victimOut.state, 'SIGNED_OUT');
    assert.equal(victimOut.signedOut.length, 1);
    await pages[0].evaluate(() => client.terminateOtherSessions());
    const third = await pages[2].evaluate(async () => (await settle(() => client.getProfile())).code);
    assert.equal(third, '4010');
    const survivor = await pages[0].evaluate(async () => (await client.listSessions()).length);
    assert.equal(survivor, 1);
  });
});

describe('JS API contract', () => {
  test('bad arguments throw TypeError before reaching the module; out-of-order calls reject', async () => {
    const page = await h.newPage();
    const out = await page.evaluate(async () => {
      const client = await makeClient('system');
      const typeErrors = [];
      for (const call of [() => client.signIn({ email: 1, password: 'x' }), () => client.signIn({ email: 'a@b.c' }),
        () => client.signIn({ email: 'a@b.c', password: 'x', extra: 1 }), () => client.signIn(null),
        () => client.getProfile({ signal: 'nope' }), () => client.on('nope', () => {})]) {
        try { call(); typeErrors.push('no throw'); } catch (e) { typeErrors.push(e.name); }
      }
      const creation = await settle(() => portal.createPortalClient({ portal: 'nope', portalAccessCode: 'x' }));
      const early = await settle(() => client.confirmSignIn({ method: 'EMAIL', code: '123456' }));
      const signedOutProfile = await settle(() => client.getProfile());
      return { typeErrors, creation, early, signedOutProfile };
    });
    assert.deepEqual(out.typeErrors, Array(6).fill('TypeError'));
    assert.equal(out.creation.name, 'TypeError');
    assert.equal(out.early.kind, 'order');
    assert.equal(out.signedOutProfile.kind, 'order');
  });

  test('AbortSignal cancels an operation; dispose() is idempotent and later calls reject', async () => {
    const page = await h.newPage();
    await h.dev('POST', 'faults', { path: '/web/v1/system/auth/login/initiate', kind: 'delay', delayMs: 1500, times: 1 });
    const out = await page.evaluate(async () => {
      const client = await makeClient('system');
      const controller = new AbortController();
      const pending = settle(() => client.signIn({ email: account('system', 'admin'), password: PASSWORD }, { signal: controller.signal }));
      setTimeout(() => controller.abort(), 100);
      const aborted = await pending;
      const preAborted = await settle(() => client.getProfile({ signal: AbortSignal.abort() }));
      const inFlight = settle(() => client.signIn({ email: account('system', 'admin'), password: PASSWORD }));
      client.dispose();
      client.dispose();
      const disposedInFlight = await inFlight;
      const afterDispose = await settle(() => client.getProfile());
      return { aborted, preAborted, disposedInFlight, afterDispose };
    });
    assert.equal(out.aborted.code, 'CLIENT.ABORTED');
    assert.equal(out.preAborted.code, 'CLIENT.ABORTED');
    assert.equal(out.disposedInFlight.code, 'CLIENT.DISPOSED');
    assert.equal(out.afterDispose.code, 'CLIENT.DISPOSED');
  });

  test("persist: 'session' keeps a signed-in session and an in-progress sign-in across a reload", async () => {
    const page = await h.newPage();
    await page.evaluate(async () => {
      const client = await makeClient('system', { persist: 'session' });
      await client.signIn({ email: account('system', 'admin'), password: PASSWORD });
      await client.sendMfaCode('EMAIL');
    });
    await page.reload();
    await page.waitForFunction(() => window.portal !== undefined);
    const mid = await page.evaluate(async () => {
      window.client = await makeClient('system', { persist: 'session' });
      const code = await mailCode(account('system', 'admin'));
      return client.confirmSignIn({ method: 'EMAIL', code });
    });
    assert.equal(mid.step, 'DONE');
    await page.reload();
    await page.waitForFunction(() => window.portal !== undefined);
    const after = await page.evaluate(async () => {
      const client = await makeClient('system', { persist: 'session' });
      return { state: client.authState.state, profile: (await client.getProfile()).accountEmail };
    });
    assert.equal(after.state, 'SIGNED_IN');
    assert.equal(after.profile, 'admin@example.com');
    const memoryOnly = await (await h.newPage()).evaluate(async () => (await makeClient('system')).authState.state);
    assert.equal(memoryOnly, 'SIGNED_OUT');
  });

  test('locale: server messages come back localized after setLocale', async () => {
    const page = await h.newPage();
    const out = await page.evaluate(async () => {
      const client = await makeClient('system', { locale: 'ja' });
      const ja = await settle(() => client.signIn({ email: 'nobody@example.com', password: 'Wrong-Pass-1234' }));
      client.setLocale('en');
      const en = await settle(() => client.signIn({ email: 'nobody@example.com', password: 'Wrong-Pass-1234' }));
      return { ja, en };
    });
    assert.equal(out.ja.code, 'AUTH.INVALID_CREDENTIALS');
    assert.equal(out.en.code, 'AUTH.INVALID_CREDENTIALS');
    assert.notEqual(out.ja.message, out.en.message);
    assert.match(out.ja.message, /[\u3040-\u30ff\u4e00-\u9fff]/);
  });
});
