// Signed-out journeys: sign-in with its MFA step, registration, forgotten password.
import { PORTALS } from '../config.js';
import { t } from '../i18n/index.js';
import { h, field, passwordField, onSubmit, notice, button, runAction, countdown, showError, uid, waitText } from '../ui.js';

const submitButton = (label, extra = '') => h('button', { type: 'submit', class: `button button-primary button-block ${extra}` },
  h('span', { class: 'button-label', text: label }));

/** The frame of a signed-out screen: a centred card with a title and an optional lead. */
function authCard({ title, lead, flash }, ...content) {
  return h('section', { class: 'card auth-card' },
    h('h1', { text: title }),
    lead ? h('p', { class: 'lead', text: lead }) : null,
    flash,
    ...content);
}

const codeField = (label, extra = {}) => field({
  name: 'code', label, autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 6,
  pattern: '[0-9]*', spellcheck: 'false', ...extra,
});

// --- sign-in -----------------------------------------------------------------------------------

function signIn(app, params, { flash }) {
  const portalName = uid('portal');
  const portalChoice = h('fieldset', { class: 'segmented' },
    h('legend', { text: t('signIn.portal') }),
    h('div', { class: 'segmented-options' }, Object.keys(PORTALS).map((portal) => {
      const id = `${portalName}-${portal}`;
      return h('div', { class: 'segmented-option' },
        h('input', { type: 'radio', id, name: 'portal', value: portal, checked: portal === app.portal }),
        h('label', { for: id, text: t(`portal.${portal}`) }));
    })));
  const portalError = h('div');
  portalChoice.addEventListener('change', async (event) => {
    const portal = event.target.value;
    portalChoice.disabled = true;
    portalChoice.setAttribute('aria-busy', 'true');
    // No sign-in while the new portal's client starts (it may wait for another tab's session).
    const submit = form.querySelector('button[type="submit"]');
    submit.disabled = true;
    try {
      await app.switchPortal(portal);
      portalError.replaceChildren();
    } catch (error) {
      showError(error, { errorSlot: portalError });
    } finally {
      submit.disabled = false;
      portalChoice.disabled = false;
      portalChoice.removeAttribute('aria-busy');
      portalChoice.querySelector(`input[value="${app.portal}"]`).checked = true;
      portalChoice.querySelector(`input[value="${app.portal}"]`).focus();
    }
  });

  const email = field({ name: 'email', label: t('field.email'), type: 'email', autocomplete: 'username', inputmode: 'email', value: app.flow.email ?? '' });
  email.input.dataset.autofocus = 'true';  // focused when the page opens on this screen
  const password = passwordField({ name: 'password', label: t('field.password'), autocomplete: 'current-password' });
  // While the server pauses sign-in (RATE_LIMITED with retryAfter) the button stays disabled
  // until the countdown ends; the pause survives a reload of this tab.
  const submit = submitButton(t('signIn.submit'));
  const pauseWait = h('p', { class: 'hint countdown', id: uid('paused') });
  const pause = (seconds) => {
    submit.dataset.locked = 'true';
    submit.disabled = true;
    submit.setAttribute('aria-describedby', pauseWait.id);
    countdown(pauseWait, seconds, (n) => waitText('common.retryIn', n), () => {
      delete submit.dataset.locked;
      submit.disabled = false;
      submit.removeAttribute('aria-describedby');
      app.saveFlow({ signInPausedUntil: null });
    });
  };
  const pausedFor = Math.ceil(((app.flow.signInPausedUntil ?? 0) - Date.now()) / 1000);
  if (pausedFor > 0) pause(pausedFor);
  const form = h('form', { class: 'form' },
    h('div', { class: 'form-errors' }),
    portalChoice, portalError, email, password,
    h('p', { class: 'form-aside' }, h('a', { href: '#/forgot', text: t('signIn.forgot') })),
    submit, pauseWait);
  // A refused sign-in also says which portal is selected (the same words whether or not the
  // account exists elsewhere) and how many attempts are left before the pause.
  const signInFailed = (error) => {
    const paused = error?.code === 'RATE_LIMITED' && error.retryAfter > 0;
    const box = showError(error, {
      errorSlot: form.querySelector('.form-errors'), fields: [email, password], retryCountdown: !paused,
    });
    if (error?.code === 'AUTH.INVALID_CREDENTIALS') {
      box.append(h('p', { class: 'portal-reminder', text: t('signIn.portalReminder', { portal: t(`portal.${app.portal}`) }) }));
      const n = error.remainingAttempts;
      if (Number.isInteger(n) && n >= 0) {
        box.append(h('p', { class: 'attempts-left',
          text: n === 0 ? t('signIn.attemptsNone') : n === 1 ? t('signIn.attemptsLeftOne') : t('signIn.attemptsLeft', { n }) }));
      }
    }
    if (paused) {
      app.saveFlow({ signInPausedUntil: Date.now() + error.retryAfter * 1000 });
      pause(error.retryAfter);
    }
  };
  onSubmit(form, async ({ email: address, password: secret }) => {
    let next;
    try {
      next = await app.client.signIn({ email: address, password: secret });
    } catch (error) {
      signInFailed(error);
      return;
    }
    app.saveFlow({ email: address });
    if (next.step === 'MFA_REQUIRED') {
      app.navigate('mfa');
    } else {
      app.followRoute(next.route);
    }
  });
  return authCard({ title: t('signIn.title'), lead: t('signIn.lead'), flash },
    form,
    h('p', { class: 'card-footer' }, t('signIn.noAccount'), ' ', h('a', { href: '#/register', text: t('signIn.register') })));
}

// --- MFA ---------------------------------------------------------------------------------------

function mfa(app, params, { flash }) {
  const methods = app.auth.methods ?? [];  // the core's sign-in step
  let method = app.flow.mfaMethod && methods.includes(app.flow.mfaMethod) ? app.flow.mfaMethod : methods[0];
  const panel = h('div', { class: 'mfa-panel' });
  const groupName = uid('method');
  const choice = h('fieldset', { class: 'choice-list' },
    h('legend', { text: t('mfa.choose') }),
    methods.map((m) => {
      const id = `${groupName}-${m}`;
      const hintId = `${id}-hint`;
      return h('div', { class: 'choice' },
        h('input', { type: 'radio', id, name: 'mfaMethod', value: m, checked: m === method, 'aria-describedby': hintId }),
        h('label', { for: id },
          h('span', { class: 'choice-title', text: t(`mfa.method.${m}`) }),
          h('span', { class: 'choice-hint', id: hintId, text: t(`mfa.methodHint.${m}`) })));
    }));
  choice.addEventListener('change', (event) => {
    method = event.target.value;
    app.saveFlow({ mfaMethod: method });
    renderPanel();
  });

  const confirm = async ({ code }) => {
    const { route } = await app.client.confirmSignIn({ method, code });
    app.saveFlow({ mfaMethod: null });
    app.followRoute(route);
  };

  function renderPanel() {
    if (method === 'EMAIL') panel.replaceChildren(emailPanel(app, confirm));
    else if (method === 'OTP') {
      const form = h('form', { class: 'form' }, h('div', { class: 'form-errors' }),
        codeField(t('mfa.otpLabel'), { hint: t('mfa.otpHint') }), submitButton(t('mfa.verify')));
      panel.replaceChildren(onSubmit(form, confirm));
    } else {
      const form = h('form', { class: 'form' }, h('div', { class: 'form-errors' }),
        field({ name: 'code', label: t('mfa.backupLabel'), hint: t('mfa.backupHint'), autocomplete: 'one-time-code', spellcheck: 'false', maxlength: 20 }),
        submitButton(t('mfa.verify')));
      panel.replaceChildren(onSubmit(form, confirm));
    }
  }
  renderPanel();

  return authCard({ title: t('mfa.title'), lead: t('mfa.lead'), flash },
    methods.length > 1 ? choice : null,
    panel,
    h('p', { class: 'card-footer' }, h('a', { href: '#/sign-in', text: t('mfa.back') })));
}

function emailPanel(app, confirm) {
  const status = h('div', { class: 'send-status', role: 'status' });
  const wait = h('p', { class: 'hint countdown' });
  const sendSlot = h('div');
  const send = button(t('mfa.sendCode'), { class: 'button button-secondary', id: uid('send') });
  let cancelCountdown = () => {};
  const startCountdown = (seconds) => {
    cancelCountdown();
    send.disabled = true;
    send.setAttribute('aria-describedby', wait.id = wait.id || uid('wait'));
    cancelCountdown = countdown(wait, seconds, (n) => waitText('mfa.resendIn', n), () => {
      send.disabled = false;
    });
  };
  send.addEventListener('click', async () => {
    if (send.disabled) return;
    let failure = null;
    const sent = await runAction(send, () => app.client.sendMfaCode('EMAIL').catch((error) => {
      failure = error;
      throw error;
    }), { errorSlot: sendSlot, retryCountdown: false });
    if (!sent) {
      status.replaceChildren();
      if (failure?.retryAfter) startCountdown(failure.retryAfter);
      return;
    }
    status.replaceChildren(notice('success', h('p', { text: t('mfa.codeSent', { to: sent.sentTo }) })));
    send.querySelector('.button-label').textContent = t('mfa.resendCode');
    startCountdown(sent.resendAfter ?? 0);
    form.querySelector('input[name=code]').focus();
  });
  const form = h('form', { class: 'form' }, h('div', { class: 'form-errors' }),
    codeField(t('mfa.emailLabel')), submitButton(t('mfa.verify')));
  onSubmit(form, confirm);
  return h('div', { class: 'stack' },
    h('p', { text: t('mfa.emailIntro') }),
    h('div', { class: 'send-row' }, send, wait),
    sendSlot, status, form);
}

// --- registration ------------------------------------------------------------------------------

function steps(current) {
  const names = ['register.stepEmail', 'register.stepVerify', 'register.stepDetails'];
  return h('ol', { class: 'steps', 'aria-label': t('register.progress') }, names.map((key, i) => h('li', {
    class: [i < current ? 'done' : '', i === current ? 'current' : ''],
    'aria-current': i === current ? 'step' : undefined,
  }, h('span', { class: 'step-number', 'aria-hidden': 'true', text: String(i + 1) }), h('span', { text: t(key) }))));
}

// The step is the core's (authState REGISTERING with its step and email), so a reload of the
// tab shows the step the registration is at.
const REGISTER_STEPS = { VERIFY_EMAIL: 'verify', COMPLETE_REGISTRATION: 'complete' };

function register(app, params, { flash }) {
  const auth = app.auth;
  const state = auth.state === 'REGISTERING' ? { step: REGISTER_STEPS[auth.step], email: auth.email } : { step: 'email' };
  const restart = h('button', { type: 'button', class: 'link-button', text: t('register.restart') });
  restart.addEventListener('click', async () => {
    await app.client.signOut().catch(() => {});  // ends the registration under way (locally)
    app.navigate('register', {}, { replace: true });
  });

  if (state.step === 'verify') {
    const resendSlot = h('div');
    const resend = button(t('register.resend'), { class: 'button button-quiet' });
    const wait = h('p', { class: 'hint countdown', id: uid('wait') });
    resend.addEventListener('click', async () => {
      let failure = null;
      const ok = await runAction(resend, () => app.client.register({ email: state.email }).then(() => true, (error) => {
        failure = error;
        throw error;
      }), { errorSlot: resendSlot, retryCountdown: false });
      if (ok) {
        resendSlot.replaceChildren(notice('success', h('p', { text: t('register.resent', { email: state.email }) })));
      } else if (failure?.retryAfter) {
        resend.disabled = true;
        countdown(wait, failure.retryAfter, (n) => waitText('mfa.resendIn', n), () => { resend.disabled = false; });
      }
    });
    const form = h('form', { class: 'form' }, h('div', { class: 'form-errors' }),
      codeField(t('register.codeLabel')), submitButton(t('register.verify')));
    onSubmit(form, async ({ code }) => {
      await app.client.verifyRegistrationEmail({ code });
      app.navigate('register', {}, { replace: true });
    });
    return authCard({ title: t('register.verifyTitle'), lead: t('register.verifyLead', { email: state.email }), flash },
      steps(1), form, h('div', { class: 'send-row' }, resend, wait), resendSlot,
      h('p', { class: 'card-footer' }, restart));
  }

  if (state.step === 'complete') {
    const form = h('form', { class: 'form' }, h('div', { class: 'form-errors' }),
      field({ name: 'username', label: t('field.email'), type: 'email', autocomplete: 'username', value: state.email, readonly: true, required: false }),
      field({ name: 'accountName', label: t('field.accountName'), autocomplete: 'name', maxlength: 64 }),
      passwordField({ name: 'password', label: t('field.newPassword'), autocomplete: 'new-password', hint: t('password.policy') }),
      submitButton(t('register.create')));
    onSubmit(form, async ({ accountName, password }) => {
      const { route } = await app.client.completeRegistration({ accountName, password });
      app.saveFlow({ email: state.email });
      app.followRoute(route);
    });
    return authCard({ title: t('register.detailsTitle'), lead: t('register.detailsLead'), flash },
      steps(2), form, h('p', { class: 'card-footer' }, restart));
  }

  const form = h('form', { class: 'form' }, h('div', { class: 'form-errors' }),
    field({ name: 'email', label: t('field.email'), type: 'email', autocomplete: 'email', inputmode: 'email', value: state.email ?? '' }),
    submitButton(t('register.sendCode')));
  onSubmit(form, async ({ email }) => {
    await app.client.register({ email });
    app.navigate('register', {}, { replace: true });
  });
  return authCard({ title: t('register.title'), lead: t('register.lead'), flash },
    steps(0), form,
    h('p', { class: 'card-footer' }, t('register.haveAccount'), ' ', h('a', { href: '#/sign-in', text: t('register.signIn') })));
}

// --- forgotten password ------------------------------------------------------------------------

function forgot(app, params, { flash }) {
  const form = h('form', { class: 'form' }, h('div', { class: 'form-errors' }),
    field({ name: 'email', label: t('field.email'), type: 'email', autocomplete: 'username', inputmode: 'email', value: app.flow.email ?? '' }),
    submitButton(t('forgot.submit')));
  onSubmit(form, async ({ email }) => {
    await app.client.forgotPassword({ email });
    app.saveFlow({ email });
    app.navigate('reset');
  });
  return authCard({ title: t('forgot.title'), lead: t('forgot.lead'), flash },
    form, h('p', { class: 'card-footer' }, h('a', { href: '#/sign-in', text: t('forgot.back') })));
}

function reset(app, params, { flash }) {
  const email = app.auth.state === 'RESETTING_PASSWORD' ? app.auth.email : null;  // the core's reset
  if (!email) {
    return authCard({ title: t('reset.title'), lead: t('reset.noSession'), flash },
      h('p', {}, h('a', { class: 'button button-primary', href: '#/forgot', text: t('forgot.title') })));
  }
  const form = h('form', { class: 'form' }, h('div', { class: 'form-errors' }),
    field({ name: 'username', label: t('field.email'), type: 'email', autocomplete: 'username', value: email, readonly: true, required: false }),
    codeField(t('reset.codeLabel')),
    passwordField({ name: 'newPassword', label: t('field.newPassword'), autocomplete: 'new-password', hint: t('password.policy') }),
    submitButton(t('reset.submit')));
  onSubmit(form, async ({ code, newPassword }) => {
    await app.client.resetPassword({ code, newPassword });
    app.flash = { kind: 'success', text: t('reset.done') };
    app.navigate('sign-in', {}, { replace: true });
  });
  return authCard({ title: t('reset.title'), lead: t('reset.lead', { email }), flash },
    form, h('p', { class: 'card-footer' }, h('a', { href: '#/forgot', text: t('reset.again') })));
}

export const authScreens = {
  'sign-in': { access: 'public', render: signIn },
  mfa: { access: 'signing-in', render: mfa },
  register: { access: 'public', render: register },
  forgot: { access: 'public', render: forgot },
  reset: { access: 'public', render: reset },
};
