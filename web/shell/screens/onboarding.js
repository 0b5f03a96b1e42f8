// Signed-in screens the core routes to: the app landing page, workspace selection and
// creation, the invitations inbox, password initialization, required MFA setup, and the
// pending-approval and blocked notices.
import { t, language } from '../i18n/index.js';
import { h, field, passwordField, onSubmit, notice, button, runAction, asyncRegion, formatDate, showError } from '../ui.js';
import { otpSetup, backupCodesView } from './mfa-parts.js';

const submitButton = (label) => h('button', { type: 'submit', class: 'button button-primary' },
  h('span', { class: 'button-label', text: label }));

function page({ title, lead, flash, wide = false }, ...content) {
  return h('div', { class: ['page', wide ? 'page-wide' : ''] },
    h('header', { class: 'page-header' }, h('h1', { text: title }), lead ? h('p', { class: 'lead', text: lead }) : null),
    flash, ...content);
}

const badge = (text, kind = 'neutral') => h('span', { class: ['badge', `badge-${kind}`], text });

// --- APP ---------------------------------------------------------------------------------------

function home(app, params, { flash }) {
  const route = params.route ?? app.rawClient.route;
  return page({ title: t('home.title'), flash },
    asyncRegion(() => Promise.all([app.client.getProfile(), app.client.listWorkspaces()]), ([profile, workspaces]) => {
      const current = workspaces.find((w) => w.workspaceBizId === route?.workspaceBizId) ?? workspaces.find((w) => w.isDefault);
      const links = [
        ['#/workspaces', 'nav.workspaces', 'home.workspacesHint'],
        ['#/invitations', 'nav.invitations', 'home.invitationsHint'],
        ['#/profile', 'nav.profile', 'home.profileHint'],
        ['#/security', 'nav.security', 'home.securityHint'],
      ];
      return h('div', { class: 'stack' },
        h('section', { class: 'card hero' },
          h('p', { class: 'eyebrow', text: t('home.welcome') }),
          h('h2', { class: 'hero-name', text: profile.accountName }),
          h('p', { class: 'muted', text: profile.accountEmail }),
          current
            ? h('div', { class: 'workspace-pill' },
              h('span', { class: 'muted', text: t('home.currentWorkspace') }),
              h('strong', { class: 'workspace-name', title: current.workspaceName, text: current.workspaceName }),
              badge(current.role?.label ?? '', 'info'))
            : h('p', {}, t('home.noWorkspace'), ' ', h('a', { href: '#/workspaces', text: t('home.chooseWorkspace') }))),
        h('ul', { class: 'tile-grid' }, links.map(([href, title, hint]) => h('li', {},
          h('a', { class: 'tile', href }, h('span', { class: 'tile-title', text: t(title) }), h('span', { class: 'tile-hint', text: t(hint) }))))));
    }));
}

// --- workspaces --------------------------------------------------------------------------------

function workspacesScreen(mode) {
  return (app, params, { flash }) => {
    const onboarding = mode !== 'workspaces';
    const status = h('div', { class: 'form-errors' });
    const region = asyncRegion(() => app.client.listWorkspaces(), (workspaces, reload) => {
      const list = workspaces.length
        ? h('ul', { class: 'list' }, workspaces.map((w) => {
          const titleId = `ws-${w.workspaceBizId}`;
          const select = button(w.isDefault ? t('workspaces.open') : t('workspaces.select'), {
            class: `button ${mode === 'select-workspace' || !w.isDefault ? 'button-secondary' : 'button-quiet'}`,
            'aria-describedby': titleId,
          });
          select.addEventListener('click', async () => {
            const done = await runAction(select, async () => {
              await app.followOutcome(w.isDefault ? null : await app.client.selectWorkspace({ workspaceBizId: w.workspaceBizId }));
              return true;
            }, { errorSlot: status });
            if (!done) reload();
          });
          return h('li', { class: 'list-item' },
            h('div', { class: 'list-main' },
              h('h2', { class: 'list-title', id: titleId, text: w.workspaceName }),
              h('p', { class: 'list-meta' }, badge(w.role?.label ?? '', 'info'), w.isDefault ? badge(t('workspaces.default'), 'success') : null)),
            h('div', { class: 'list-actions' }, select));
        }))
        : h('p', { class: 'empty', text: t('workspaces.none') });
      return h('div', { class: 'stack' }, list);
    });

    const name = field({ name: 'workspaceName', label: t('workspaces.nameLabel'), maxlength: 80, autocomplete: 'organization' });
    const form = h('form', { class: 'form' }, h('div', { class: 'form-errors' }), name,
      h('div', { class: 'actions' }, submitButton(t('workspaces.create'))));
    onSubmit(form, async ({ workspaceName }) => {
      const created = await app.client.createWorkspace({ workspaceName });
      app.flash = { kind: 'success', text: t('workspaces.created', { name: created.workspaceName }) };
      if (onboarding) await app.followOutcome(created);
      else app.navigate('workspaces', {}, { replace: true });
    });
    const createCard = h('section', { class: 'card', 'aria-labelledby': 'create-ws-title' },
      h('h2', { id: 'create-ws-title', text: t('workspaces.createTitle') }),
      h('p', { class: 'muted', text: t('workspaces.createHint') }), form);

    const title = { 'select-workspace': 'workspaces.selectTitle', 'create-workspace': 'workspaces.createFirstTitle' }[mode] ?? 'workspaces.title';
    const lead = { 'select-workspace': 'workspaces.selectLead', 'create-workspace': 'workspaces.createFirstLead' }[mode] ?? 'workspaces.lead';
    if (mode === 'create-workspace') return page({ title: t(title), lead: t(lead), flash }, status, createCard);
    return page({ title: t(title), lead: t(lead), flash }, status,
      h('section', { class: 'card', 'aria-label': t('workspaces.listLabel') }, region),
      createCard);
  };
}

// --- invitations -------------------------------------------------------------------------------

const STATUS_KIND = { PENDING: 'info', ACCEPTED: 'success', DECLINED: 'neutral', EXPIRED: 'warning' };

function invitations(app, params, { flash }) {
  const status = h('div', { class: 'form-errors' });
  const region = asyncRegion(() => app.client.listInvitations(), (items, reload) => {
    // The core's count (its route events; listInvitations updates it), not a recount here.
    const pendingCount = app.pendingInvitations;
    if (!items.length) return h('p', { class: 'empty', text: t('invitations.none') });
    // "Decide later" only while something is left to decide.
    const later = pendingCount ? h('p', { class: 'page-footer' }, h('a', { href: '#/workspaces', text: t('invitations.later') })) : null;
    return h('div', {}, h('ul', { class: 'list' }, items.map((inv) => {
      const pending = inv.status?.code === 'PENDING';
      const titleId = `inv-${inv.invitationBizId}`;
      let actions = null;
      if (pending) {
        const accept = button(t('invitations.accept'), { class: 'button button-primary', 'aria-describedby': titleId });
        const decline = button(t('invitations.decline'), { class: 'button button-secondary', 'aria-describedby': titleId });
        const act = async (btn, other, task) => {
          other.disabled = true;
          const result = await runAction(btn, task, { errorSlot: status });
          if (btn.isConnected) other.disabled = false;
          if (result === undefined) {
            // The list may be stale (expired or handled elsewhere): show what the server says now.
            reload();
            return;
          }
        };
        accept.addEventListener('click', () => act(accept, decline, async () => {
          const result = await app.client.acceptInvitation({ invitationBizId: inv.invitationBizId });
          // The core has followed nextAction (entering selects the workspace); say which happened.
          const entered = result.nextAction?.code !== 'STAY_ON_CURRENT_WORKSPACE';
          const text = t(entered ? 'invitations.entered' : 'invitations.stayed', { name: inv.workspaceName });
          if (result.route?.name === 'INVITATIONS') {
            status.replaceChildren(notice('success', h('p', { text })));
            reload();
          } else {
            app.flash = { kind: 'success', text };
            app.followRoute(result.route);
          }
          return result;
        }));
        decline.addEventListener('click', () => act(decline, accept, async () => {
          await app.client.declineInvitation({ invitationBizId: inv.invitationBizId });
          status.replaceChildren(notice('success', h('p', { text: t('invitations.declined', { name: inv.workspaceName }) })));
          reload();
          return true;
        }));
        actions = h('div', { class: 'list-actions' }, accept, decline);
      }
      return h('li', { class: 'list-item' },
        h('div', { class: 'list-main' },
          h('h2', { class: 'list-title', id: titleId, text: inv.workspaceName }),
          h('p', { class: 'list-meta' },
            badge(inv.status?.label ?? '', STATUS_KIND[inv.status?.code] ?? 'neutral'),
            badge(inv.role?.label ?? '', 'info')),
          h('p', { class: 'muted', text: t('invitations.invitedBy', { who: inv.invitedBy }) }),
          expiryLine(inv)),
        actions);
    })), later);
  });
  return page({ title: t('invitations.title'), lead: t('invitations.lead'), flash },
    status,
    h('section', { class: 'card', 'aria-label': t('invitations.listLabel') }, region));
}

/** "Expires …" for a pending invitation, "Expired …" for an expired one; nothing once answered. */
function expiryLine(inv) {
  const key = { PENDING: 'invitations.expires', EXPIRED: 'invitations.expiredOn' }[inv.status?.code];
  return key ? h('p', { class: 'muted', text: t(key, { when: formatDate(inv.expiresAt, language()) }) }) : null;
}

// --- PASSWORD_INIT -----------------------------------------------------------------------------

function passwordInit(app, params, { flash }) {
  const form = h('form', { class: 'form' }, h('div', { class: 'form-errors' }),
    app.flow.email
      ? field({ name: 'username', label: t('field.email'), type: 'email', autocomplete: 'username', value: app.flow.email, readonly: true, required: false })
      : null,
    passwordField({ name: 'newPassword', label: t('field.newPassword'), autocomplete: 'new-password', hint: t('password.policy') }),
    h('div', { class: 'actions' }, submitButton(t('passwordInit.submit'))));
  onSubmit(form, async ({ newPassword }) => {
    const result = await app.client.initPassword({ newPassword });
    app.flash = { kind: 'success', text: t('passwordInit.done') };
    await app.followOutcome(result);
  });
  return h('section', { class: 'card auth-card' },
    h('h1', { text: t('passwordInit.title') }), h('p', { class: 'lead', text: t('passwordInit.lead') }), flash, form);
}

// --- MFA_SETUP ---------------------------------------------------------------------------------

function mfaSetup(app, params, { flash }) {
  const body = h('div', { class: 'stack' });
  const finish = async (verified) => {
    const proceed = () => app.followOutcome(verified);
    const slot = h('div');
    body.replaceChildren(notice('success', h('p', { text: t('otp.enabled') })), slot);
    try {
      const { codes } = await app.client.generateBackupCodes();
      body.replaceChildren(notice('success', h('p', { text: t('otp.enabled') })),
        h('h2', { text: t('backup.title') }),
        backupCodesView(codes, { onContinue: proceed, continueLabel: t('mfaSetup.continue') }));
    } catch (error) {
      const next = button(t('mfaSetup.continue'), { class: 'button button-primary' });
      next.addEventListener('click', () => runAction(next, proceed, { errorSlot: slot }));
      body.append(h('div', { class: 'actions' }, next));
      showError(error, { errorSlot: slot });
    }
  };
  body.append(otpSetup(app, { onDone: finish }));
  return page({ title: t('mfaSetup.title'), lead: t('mfaSetup.lead'), flash },
    h('section', { class: 'card' }, body));
}

// --- PENDING_APPROVAL and ACCOUNT_BLOCKED ------------------------------------------------------

function statusNotice(kind) {
  return (app, params, { flash }) => {
    const slot = h('div');
    const check = button(t('pending.check'), { class: 'button button-primary' });
    check.addEventListener('click', () => runAction(check, async () => {
      const { route } = await app.client.bootstrap();
      if (app.screenFor(route) === app.current.screen) {
        slot.replaceChildren(notice('info', h('p', { text: t(`${kind}.still`) })));
      } else {
        app.followRoute(route);
      }
    }, { errorSlot: slot }));
    const signOut = button(t('nav.signOut'), { class: 'button button-secondary' });
    signOut.addEventListener('click', () => app.signOut(signOut));
    return h('section', { class: 'card auth-card status-card' },
      h('div', { class: `status-icon status-icon-${kind}`, 'aria-hidden': 'true' }),
      h('h1', { text: t(`${kind}.title`) }),
      h('p', { class: 'lead', text: t(`${kind}.lead`) }),
      flash,
      h('p', { text: t(`${kind}.body`) }),
      slot,
      h('div', { class: 'actions' }, check, h('a', { class: 'button button-quiet', href: '#/profile', text: t('nav.profile') }), signOut));
  };
}

export const onboardingScreens = {
  app: { access: 'private', render: home },
  workspaces: { access: 'private', render: workspacesScreen('workspaces') },
  'select-workspace': { access: 'private', render: workspacesScreen('select-workspace') },
  'create-workspace': { access: 'private', render: workspacesScreen('create-workspace') },
  invitations: { access: 'private', render: invitations },
  'password-init': { access: 'private', chrome: 'minimal', render: passwordInit },
  'mfa-setup': { access: 'private', chrome: 'minimal', render: mfaSetup },
  'pending-approval': { access: 'private', chrome: 'minimal', render: statusNotice('pending') },
  'account-blocked': { access: 'private', chrome: 'minimal', render: statusNotice('blocked') },
};
