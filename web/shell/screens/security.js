// The security centre: two-step verification, backup codes, IP whitelist, sessions, password.
import { t, has, language } from '../i18n/index.js';
import {
  h, field, passwordField, onSubmit, notice, button, runAction, asyncRegion, formatDate, uid,
} from '../ui.js';
import { otpSetup, backupCodesView } from './mfa-parts.js';

const badge = (text, kind = 'neutral') => h('span', { class: ['badge', `badge-${kind}`], text });
const submitButton = (label, cls = 'button-primary') => h('button', { type: 'submit', class: `button ${cls}` },
  h('span', { class: 'button-label', text: label }));

function card(id, title, lead, ...content) {
  return h('section', { class: 'card', 'aria-labelledby': id },
    h('h2', { id, text: title }), lead ? h('p', { class: 'muted', text: lead }) : null, ...content);
}

// --- two-step verification ---------------------------------------------------------------------

function mfaCard(app) {
  const status = h('div', { class: 'form-errors' });
  const panel = h('div', { class: 'mfa-action-panel' });
  let region;
  const success = (text) => status.replaceChildren(notice('success', h('p', { text })));

  const showCodes = (codes) => {
    panel.replaceChildren(h('h3', { text: t('backup.title') }),
      backupCodesView(codes, { continueLabel: t('common.done'), onContinue: () => { panel.replaceChildren(); region.reload(); } }));
    panel.querySelector('.notice')?.setAttribute('tabindex', '-1');
    panel.querySelector('.notice')?.focus();
  };

  const generate = (remaining) => {
    const go = button(t('backup.generate'), { class: 'button button-primary' });
    const cancel = button(t('common.cancel'), { class: 'button button-quiet' });
    const slot = h('div');
    go.addEventListener('click', async () => {
      const result = await runAction(go, () => app.client.generateBackupCodes(), { errorSlot: slot });
      if (result) {
        showCodes(result.codes);
        region.reload();  // the "remaining" badge counts the new codes at once
      }
    });
    cancel.addEventListener('click', () => panel.replaceChildren());
    panel.replaceChildren(h('div', { class: 'inline-panel' },
      h('h3', { text: t('backup.regenerateTitle') }),
      h('p', { text: remaining > 0 ? t('backup.replaceWarning', { n: remaining }) : t('backup.newExplain') }),
      slot, h('div', { class: 'actions' }, go, cancel)));
    go.focus();
  };

  const revoke = () => {
    const form = h('form', { class: 'form inline-panel' },
      h('h3', { text: t('security.revokeTitle') }),
      h('p', { text: t('security.revokeExplain') }),
      h('div', { class: 'form-errors' }),
      passwordField({ name: 'password', label: t('field.currentPassword'), autocomplete: 'current-password' }),
      h('div', { class: 'actions' }, submitButton(t('security.revokeConfirm'), 'button-danger'),
        h('button', { type: 'button', class: 'button button-quiet', text: t('common.cancel'), onClick: () => panel.replaceChildren() })));
    onSubmit(form, async ({ password }) => {
      await app.client.revokeOtp({ password });
      panel.replaceChildren();
      success(t('security.revoked'));
      region.reload();
    });
    panel.replaceChildren(form);
    form.querySelector('input[type=password]').focus();
  };

  const enrol = () => {
    panel.replaceChildren(h('div', { class: 'inline-panel' },
      h('h3', { text: t('otp.title') }),
      otpSetup(app, {
        startLabel: t('otp.begin'),
        onCancel: () => panel.replaceChildren(),
        onDone: () => {
          success(t('otp.enabled'));
          panel.replaceChildren();
          region.reload();
          status.querySelector('.notice')?.setAttribute('tabindex', '-1');
          status.querySelector('.notice')?.focus();
        },
      })));
    panel.querySelector('button')?.focus();
  };

  region = asyncRegion(() => app.client.getMfaState(), (factors) => h('ul', { class: 'list' }, factors.map((f) => {
    const code = f.mfaMethod?.code;
    const on = Boolean(f.isEnabled);
    let meta;
    let action = null;
    if (code === 'BACKUP_CODE') {
      meta = badge(t('security.remaining', { n: f.remainingCodes ?? 0 }), on ? 'success' : 'neutral');
      action = button(t('backup.generate'), { class: 'button button-secondary', onClick: () => generate(f.remainingCodes ?? 0) });
    } else {
      meta = badge(on ? t('security.on') : t('security.off'), on ? 'success' : 'neutral');
      if (code === 'OTP') {
        action = on
          ? button(t('security.revoke'), { class: 'button button-secondary', onClick: revoke })
          : button(t('security.setUp'), { class: 'button button-primary', onClick: enrol });
      }
    }
    return h('li', { class: 'list-item' },
      h('div', { class: 'list-main' },
        h('h3', { class: 'list-title', text: has(`mfa.method.${code}`) ? t(`mfa.method.${code}`) : f.mfaMethod?.label ?? code }),
        h('p', { class: 'muted', text: t(`security.factorHint.${code}`) }),
        h('p', { class: 'list-meta' }, meta)),
      action ? h('div', { class: 'list-actions' }, action) : null);
  })));
  return card('sec-mfa', t('security.mfaTitle'), t('security.mfaLead'), status, region, panel);
}

// --- IP whitelist ------------------------------------------------------------------------------

/** "The address you are using now: …", from a lockout error's CURRENT_IP field error. */
function currentAddress(error) {
  const ip = error?.fieldErrors?.find((fe) => fe.code === 'CURRENT_IP')?.message;
  return ip ? h('p', {}, h('strong', { text: t('ip.currentAddress', { ip }) })) : null;
}

function whitelistCard(app) {
  const status = h('div', { class: 'form-errors' });
  const region = asyncRegion(() => app.client.getIpWhitelist(), (list, reload) => {
    const rows = h('ol', { class: 'ip-rows' });
    const listField = h('div', { class: 'field', 'data-field': 'entries' });
    listField.input = rows;
    listField.error = h('p', { class: 'field-error', hidden: true, id: uid('entries-error') });
    listField.append(listField.error);
    const warning = h('div', { class: 'lockout-slot' });

    const addRow = (value = '') => {
      const wrap = field({ name: 'entry', label: '', value, placeholder: t('ip.placeholder'), spellcheck: 'false', autocomplete: 'off' });
      wrap.classList.add('ip-row');
      wrap.querySelector('label').classList.add('visually-hidden');
      const remove = h('button', { type: 'button', class: 'button button-quiet button-small remove', text: t('ip.removeShort') });
      remove.addEventListener('click', () => {
        const next = wrap.nextElementSibling ?? wrap.previousElementSibling;
        wrap.remove();
        renumberItems();
        (next?.querySelector('input') ?? addButton).focus();
        warning.replaceChildren();
      });
      wrap.querySelector('input').after(remove);
      wrap.input.addEventListener('input', () => warning.replaceChildren());
      rows.append(h('li', { class: 'ip-item' }, wrap));
      // The .field wrapper is what error placement looks for; the <li> only carries the list semantics.
      renumberItems();
      return wrap;
    };
    const renumberItems = () => {
      [...rows.querySelectorAll('.ip-row')].forEach((wrap, i) => {
        wrap.dataset.field = `entries[${i}]`;
        wrap.querySelector('label').textContent = t('ip.entryLabel', { n: i + 1 });
        wrap.querySelector('.remove').setAttribute('aria-label', t('ip.remove', { n: i + 1 }));
      });
    };
    const addButton = button(t('ip.add'), { class: 'button button-secondary' });
    addButton.addEventListener('click', () => addRow().input.focus());
    for (const entry of list.entries ?? []) addRow(entry);

    const entryFields = () => [...rows.querySelectorAll('.ip-row')];
    const entries = () => entryFields().map((f) => f.input.value.trim());
    const save = async (btn, confirmLockout) => {
      const result = await runAction(btn, () => app.client.saveIpWhitelist({ entries: entries(), ...(confirmLockout ? { confirmLockout } : {}) }),
        { errorSlot: status, fields: [...entryFields(), listField] });
      if (result) {
        warning.replaceChildren();
        status.replaceChildren(notice('success', h('p', { text: t('ip.saved') })));
        reload();
      }
      return result;
    };

    // The core refuses a list that would lock this address out unless the user confirms.
    const showLockout = (error) => {
      const confirmId = uid('confirm');
      const check = h('input', { type: 'checkbox', id: confirmId });
      const anyway = button(t('ip.saveAnyway'), { class: 'button button-danger', disabled: true });
      check.addEventListener('change', () => { anyway.disabled = !check.checked; });
      anyway.addEventListener('click', () => save(anyway, true));
      const cancel = button(t('common.cancel'), { class: 'button button-quiet' });
      cancel.addEventListener('click', () => { warning.replaceChildren(); saveButton.focus(); });
      listField.error.hidden = true;
      listField.classList.remove('has-error');
      const box = notice('warning',
        h('p', { class: 'notice-title', text: t('ip.lockoutTitle') }),
        h('p', { text: t('ip.lockoutBody') }),
        currentAddress(error),
        h('div', { class: 'check-row' }, check, h('label', { for: confirmId, text: t('ip.lockoutConfirm') })),
        h('div', { class: 'actions' }, anyway, cancel));
      box.dataset.code = error?.code ?? '';
      warning.replaceChildren(box);
      box.tabIndex = -1;
      box.focus();
    };

    const saveButton = submitButton(t('ip.save'));
    const form = h('form', { class: 'form' },
      h('fieldset', { class: 'plain' }, h('legend', { text: t('ip.entriesLegend') }),
        h('p', { class: 'hint', text: t('ip.hint') }), rows, listField,
        h('div', { class: 'actions' }, addButton)),
      warning,
      h('div', { class: 'actions' }, saveButton));
    form.noValidate = true;
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (saveButton.disabled) return;
      warning.replaceChildren();
      const empty = entryFields().filter((f) => !f.input.value.trim());
      for (const f of entryFields()) f.classList.remove('has-error');
      if (empty.length) {
        status.replaceChildren();
        for (const f of empty) {
          f.error.textContent = t('common.required');
          f.error.hidden = false;
          f.classList.add('has-error');
          f.input.setAttribute('aria-invalid', 'true');
        }
        empty[0].input.focus();
        return;
      }
      let failure = null;
      await runAction(saveButton, () => app.client.saveIpWhitelist({ entries: entries() }).then((r) => {
        warning.replaceChildren();
        status.replaceChildren(notice('success', h('p', { text: t('ip.saved') })));
        reload();
        return r;
      }, (error) => {
        failure = error;
        throw error;
      }), { errorSlot: status, fields: [...entryFields(), listField] });
      if (failure?.code === 'CLIENT.IP_WHITELIST_LOCKOUT') {
        status.replaceChildren();
        showLockout(failure);
      }
    });

    const toggle = button(list.enabled ? t('ip.disable') : t('ip.enable'), { class: 'button button-secondary' });
    // Turning the list on can fail for one reason at a time; each gets one message.
    toggle.addEventListener('click', async () => {
      let failure = null;
      const done = await runAction(toggle, () => app.client.setIpWhitelistEnabled({ enabled: !list.enabled }).then(() => true, (error) => {
        failure = error;
        throw error;
      }), { errorSlot: status });
      if (done) {
        status.replaceChildren(notice('success', h('p', { text: list.enabled ? t('ip.disabled') : t('ip.enabled') })));
        reload();
      } else if (failure?.code === 'CLIENT.IP_WHITELIST_LOCKOUT') {
        status.replaceChildren(notice('warning', h('p', { class: 'notice-title', text: t('ip.lockoutTitle') }),
          h('p', { text: t('ip.enableLockout') }), currentAddress(failure)));
      } else if (failure?.code === 'CLIENT.IP_WHITELIST_EMPTY') {
        status.replaceChildren(notice('error', h('p', { class: 'notice-title', text: t('ip.enableEmpty') })));
      }
    });
    return h('div', { class: 'stack' },
      h('div', { class: 'status-row' },
        h('p', {}, h('span', { class: 'muted', text: `${t('ip.status')} ` }), badge(list.enabled ? t('security.on') : t('security.off'), list.enabled ? 'success' : 'neutral')),
        toggle),
      form);
  });
  return card('sec-ip', t('ip.title'), t('ip.lead'), status, region);
}

// --- sessions ----------------------------------------------------------------------------------

function describeAgent(ua) {
  if (!ua) return t('sessions.unknownDevice');
  const browser = [[/Edg\//, 'Edge'], [/OPR\//, 'Opera'], [/Firefox\//, 'Firefox'], [/HeadlessChrome\//, 'Chrome (headless)'],
    [/Chrome\//, 'Chrome'], [/Safari\//, 'Safari']].find(([re]) => re.test(ua))?.[1];
  const os = [[/Windows/, 'Windows'], [/Android/, 'Android'], [/iPhone|iPad/, 'iOS'], [/Mac OS X/, 'macOS'], [/Linux/, 'Linux']]
    .find(([re]) => re.test(ua))?.[1];
  return [browser, os].filter(Boolean).join(' · ') || ua;
}

function sessionsCard(app) {
  const status = h('div', { class: 'form-errors' });
  const region = asyncRegion(() => app.client.listSessions(), (sessions, reload) => {
    const others = sessions.filter((s) => !s.isCurrent);
    const list = h('ul', { class: 'list' }, sessions.map((s) => {
      const titleId = uid('session');
      let action = null;
      if (!s.isCurrent) {
        action = button(t('sessions.terminate'), { class: 'button button-secondary', 'aria-describedby': titleId });
        action.addEventListener('click', async () => {
          const done = await runAction(action, () => app.client.terminateSession({ sessionId: s.sessionId }).then(() => true), { errorSlot: status });
          if (done) {
            status.replaceChildren(notice('success', h('p', { text: t('sessions.terminated') })));
            reload();
          }
        });
      }
      return h('li', { class: ['list-item', s.isCurrent ? 'is-current' : ''], 'data-session': s.sessionId },
        h('div', { class: 'list-main' },
          h('h3', { class: 'list-title', id: titleId }, describeAgent(s.userAgent), ' ',
            s.isCurrent ? badge(t('sessions.current'), 'success') : null),
          h('p', { class: 'muted', text: t('sessions.ip', { ip: s.clientIp }) }),
          h('p', { class: 'muted', text: t('sessions.times', { created: formatDate(s.createdAt, language()), seen: formatDate(s.lastSeenAt, language()) }) })),
        action ? h('div', { class: 'list-actions' }, action) : null);
    }));
    const all = button(t('sessions.terminateAll'), { class: 'button button-danger', disabled: others.length === 0 });
    all.addEventListener('click', async () => {
      const done = await runAction(all, () => app.client.terminateOtherSessions().then(() => true), { errorSlot: status });
      if (done) {
        status.replaceChildren(notice('success', h('p', { text: t('sessions.terminatedAll') })));
        reload();
      }
    });
    return h('div', { class: 'stack' }, list,
      h('div', { class: 'actions' }, all, others.length === 0 ? h('span', { class: 'hint', text: t('sessions.noOthers') }) : null));
  });
  const element = card('sec-sessions', t('sessions.title'), t('sessions.lead'), status, region);
  element.reload = () => region.reload();
  return element;
}

// --- password ----------------------------------------------------------------------------------

/** The password form; `onChanged()` runs after a change (the server ends the other sessions). */
function passwordCard(app, onChanged) {
  const form = h('form', { class: 'form' }, h('div', { class: 'form-errors' }),
    passwordField({ name: 'currentPassword', label: t('field.currentPassword'), autocomplete: 'current-password' }),
    passwordField({ name: 'newPassword', label: t('field.newPassword'), autocomplete: 'new-password', hint: t('password.policy') }),
    h('div', { class: 'actions' }, submitButton(t('password.change'))));
  const done = h('div', { role: 'status' });
  onSubmit(form, async ({ currentPassword, newPassword }) => {
    done.replaceChildren();
    await app.client.changePassword({ currentPassword, newPassword });
    form.reset();
    done.replaceChildren(notice('success', h('p', { text: t('password.changed') })));
    onChanged();
  });
  return card('sec-password', t('password.title'), t('password.lead'), done, form);
}

function securityScreen(app, params, { flash }) {
  return h('div', { class: 'page' },
    h('header', { class: 'page-header' }, h('h1', { text: t('security.title') }), h('p', { class: 'lead', text: t('security.lead') })),
    flash,
    h('div', { class: 'stack' }, ...securityCards(app)));
}

function securityCards(app) {
  const sessions = sessionsCard(app);
  return [mfaCard(app), whitelistCard(app), sessions, passwordCard(app, () => sessions.reload())];
}

export const securityScreens = {
  security: { access: 'private', render: securityScreen },
};
