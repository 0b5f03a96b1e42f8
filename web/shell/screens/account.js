// The profile: what the account is (read-only) and what the user may change.
import { LOCALES } from '../config.js';
import { t, language, LANGUAGE_NAMES } from '../i18n/index.js';
import { h, field, onSubmit, notice, asyncRegion, formatDate } from '../ui.js';

// The profile fields the user may edit (docs/api.md §6.5); everything else is shown read-only.
const EDITABLE = ['accountName', 'accountPhone', 'defaultLanguage', 'defaultTimezone', 'defaultCountry'];

function timeZones(current) {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const all = new Set([...zones, 'UTC']);
  if (current) all.add(current);
  return [...all].sort();
}

function details(profile) {
  const row = (label, value, extra) => [h('dt', { text: label }), h('dd', {}, value ?? '—', extra ?? null)];
  return h('dl', { class: 'details' },
    row(t('field.email'), profile.accountEmail),
    row(t('profile.status'), h('span', { class: 'badge badge-info', text: profile.accountStatus?.label ?? '' })),
    row(t('profile.portal'), profile.accountPortal?.label),
    row(t('profile.accountId'), h('code', { text: profile.bizId })),
    row(t('profile.remark'), profile.accountRemark || '—', h('span', { class: 'hint block', text: t('profile.remarkHint') })),
    row(t('profile.created'), formatDate(profile.createdAt, language())),
    row(t('profile.updated'), formatDate(profile.updatedAt, language())));
}

function editForm(app, profile, onSaved) {
  const fields = {
    accountName: field({ name: 'accountName', label: t('field.accountName'), value: profile.accountName ?? '', autocomplete: 'name', maxlength: 64 }),
    accountPhone: field({
      name: 'accountPhone', label: t('profile.phone'), type: 'tel', value: profile.accountPhone ?? '', autocomplete: 'tel',
      hint: t('profile.phoneHint'), required: false, inputmode: 'tel',
    }),
    defaultLanguage: field({
      name: 'defaultLanguage', label: t('profile.language'), value: profile.defaultLanguage,
      options: [...new Set([...LOCALES, profile.defaultLanguage].filter(Boolean))].map((code) => [code, LANGUAGE_NAMES[code] ?? code]),
    }),
    defaultTimezone: field({
      name: 'defaultTimezone', label: t('profile.timezone'), value: profile.defaultTimezone,
      options: timeZones(profile.defaultTimezone).map((z) => [z, z]),
    }),
    defaultCountry: field({
      name: 'defaultCountry', label: t('profile.country'), value: profile.defaultCountry ?? '', autocomplete: 'country',
      hint: t('profile.countryHint'), maxlength: 2, spellcheck: 'false',
    }),
  };
  const saved = h('div', { role: 'status' });
  const form = h('form', { class: 'form' }, h('div', { class: 'form-errors' }), saved,
    h('div', { class: 'form-grid' }, Object.values(fields)),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'button button-primary' }, h('span', { class: 'button-label', text: t('profile.save') }))));
  onSubmit(form, async (values) => {
    saved.replaceChildren();
    const changes = {};
    for (const name of EDITABLE) {
      if (name === 'defaultCountry') values[name] = values[name].toUpperCase();
      const before = profile[name] ?? '';
      if (values[name] !== before) changes[name] = name === 'accountPhone' && values[name] === '' ? null : values[name];
    }
    if (!Object.keys(changes).length) {
      saved.replaceChildren(notice('info', h('p', { text: t('profile.nothing') })));
      return;
    }
    const updated = await app.client.updateProfile(changes);
    onSaved(updated);
  });
  return { form, saved };
}

function profileScreen(app, params, { flash }) {
  const region = asyncRegion(() => app.client.getProfile(), (profile) => {
    const container = h('div', { class: 'two-col' });
    const draw = (p, message) => {
      const { form, saved } = editForm(app, p, (updated) => draw(updated, t('profile.saved')));
      if (message) saved.replaceChildren(notice('success', h('p', { text: message })));
      container.replaceChildren(
        h('section', { class: 'card', 'aria-labelledby': 'profile-edit-title' },
          h('h2', { id: 'profile-edit-title', text: t('profile.editTitle') }), form),
        h('section', { class: 'card', 'aria-labelledby': 'profile-details-title' },
          h('h2', { id: 'profile-details-title', text: t('profile.detailsTitle') }),
          h('p', { class: 'profile-name', text: p.accountName }),
          details(p)));
      if (message) saved.querySelector('.notice')?.focus?.();
    };
    draw(profile);
    return container;
  });
  // An account the core keeps out of the app (pending approval, unknown status) sees why here too.
  const kind = { PENDING_APPROVAL: 'pending', ACCOUNT_BLOCKED: 'blocked' }[app.landing?.name];
  const status = kind
    ? notice('info', h('p', {}, t(`${kind}.lead`), ' ',
      h('a', { href: `#/${kind === 'pending' ? 'pending-approval' : 'account-blocked'}`, text: t(`${kind}.title`) })))
    : null;
  return h('div', { class: 'page page-wide' },
    h('header', { class: 'page-header' }, h('h1', { text: t('profile.title') }), h('p', { class: 'lead', text: t('profile.lead') })),
    status, flash, region);
}

export const accountScreens = {
  profile: { access: 'private', render: profileScreen },
};
