// Parts shared by the MFA-setup route and the security centre: authenticator (OTP) enrolment
// with a QR code, and the one-time display of backup codes.
import { QR_MODULE } from '../config.js';
import { t } from '../i18n/index.js';
import { h, field, onSubmit, notice, button, runAction, copyText, downloadText, uid } from '../ui.js';

let qrModule = null;
// The QR library is loaded only when a QR code is shown: nothing else needs it.
function loadQr() {
  qrModule ??= import(QR_MODULE).catch((error) => { qrModule = null; throw error; });
  return qrModule;
}

async function qrImage(uri) {
  const { generate } = await loadQr();
  return h('img', {
    class: 'qr', src: generate(uri).toDataURL({ scale: 6 }), alt: t('otp.qrAlt'), width: 220, height: 220,
  });
}

const groupSecret = (secret) => secret.replace(/(.{4})/g, '$1 ').trim();

/**
 * Authenticator enrolment. `onDone(result)` runs after the code verified, with verifyOtp's result
 * (it carries the next route). `intro` is shown above the start button. Returns the element.
 */
export function otpSetup(app, { onDone, onCancel, startLabel = t('otp.start') } = {}) {
  const root = h('div', { class: 'otp-setup stack' });
  const startSlot = h('div');

  function renderStart() {
    const start = button(startLabel, { class: 'button button-primary' });
    start.addEventListener('click', async () => {
      const setup = await runAction(start, () => app.client.setupOtp(), { errorSlot: startSlot });
      if (setup) await renderEnrol(setup);
    });
    root.replaceChildren(h('p', { text: t('otp.intro') }), startSlot, h('div', { class: 'actions' }, start,
      onCancel ? cancelButton() : null));
  }

  function cancelButton() {
    const cancel = button(t('common.cancel'), { class: 'button button-quiet' });
    cancel.addEventListener('click', () => onCancel());
    return cancel;
  }

  async function renderEnrol(setup) {
    const qrSlot = h('div', { class: 'qr-frame' });
    const secretId = uid('secret');
    const copy = button(t('common.copy'), { class: 'button button-quiet button-small', 'aria-describedby': secretId });
    const copied = h('span', { class: 'hint', role: 'status' });
    copy.addEventListener('click', async () => {
      copied.textContent = (await copyText(setup.secret)) ? t('common.copied') : t('common.copyFailed');
    });
    const code = field({
      name: 'code', label: t('otp.codeLabel'), autocomplete: 'one-time-code', inputmode: 'numeric', maxlength: 6, pattern: '[0-9]*',
    });
    const restart = button(t('otp.restart'), { class: 'button button-quiet' });
    restart.addEventListener('click', () => renderStart());
    const form = h('form', { class: 'form' }, h('div', { class: 'form-errors' }), code,
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'button button-primary' }, h('span', { class: 'button-label', text: t('otp.verify') })),
        restart));
    onSubmit(form, async ({ code: value }) => {
      const verified = await app.client.verifyOtp({ code: value });
      await onDone?.(verified);
    });
    root.replaceChildren(
      h('ol', { class: 'otp-steps' },
        h('li', {}, h('p', { text: t('otp.step1') })),
        h('li', {},
          h('p', { text: t('otp.step2') }),
          h('div', { class: 'otp-grid' },
            h('div', { class: 'qr-column' },
              qrSlot,
              // On a phone the QR code cannot be scanned by the phone itself: a tap adds the account.
              h('a', { class: 'button button-secondary otp-link', href: setup.otpauthUri, text: t('otp.addOnDevice') })),
            h('div', { class: 'secret-box' },
              h('p', { class: 'hint', text: t('otp.manual') }),
              h('code', { class: 'secret', id: secretId, 'data-secret': setup.secret, text: groupSecret(setup.secret) }),
              h('dl', { class: 'meta' },
                h('dt', { text: t('otp.issuer') }), h('dd', { text: setup.issuer ?? '' }),
                h('dt', { text: t('otp.type') }), h('dd', { text: t('otp.typeValue') })),
              h('div', { class: 'copy-row' }, copy, copied)))),
        h('li', {}, h('p', { text: t('otp.step3') }), form)));
    try {
      qrSlot.replaceChildren(await qrImage(setup.otpauthUri));
    } catch {
      qrSlot.replaceChildren(notice('warning', h('p', { text: t('otp.qrFailed') })));
    }
    code.input.focus();
  }

  renderStart();
  return root;
}

/** Backup codes, shown once, with copy and download. */
export function backupCodesView(codes, { onContinue, continueLabel = t('common.continue') } = {}) {
  const text = `${t('backup.fileHeader')}\n\n${codes.join('\n')}\n`;
  const copied = h('span', { class: 'hint', role: 'status' });
  const copy = button(t('backup.copy'), { class: 'button button-secondary' });
  copy.addEventListener('click', async () => {
    copied.textContent = (await copyText(codes.join('\n'))) ? t('common.copied') : t('common.copyFailed');
  });
  const download = button(t('backup.download'), { class: 'button button-secondary' });
  download.addEventListener('click', () => downloadText('backup-codes.txt', text));
  const next = onContinue ? button(continueLabel, { class: 'button button-primary' }) : null;
  next?.addEventListener('click', () => runAction(next, () => onContinue()));
  return h('div', { class: 'backup-codes stack' },
    notice('warning', h('p', { class: 'notice-title', text: t('backup.once') }), h('p', { text: t('backup.explain') })),
    h('ol', { class: 'code-grid', 'aria-label': t('backup.listLabel') }, codes.map((c) => h('li', {}, h('code', { text: c })))),
    h('div', { class: 'actions' }, copy, download, copied),
    next ? h('div', { class: 'actions' }, next) : null);
}
