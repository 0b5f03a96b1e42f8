// Profile endpoints (docs/api.md §6.5). The profile has exactly the seed's shape (seed 004).

import { iso } from '../clock.mjs';
import { enumOf } from '../enums.mjs';
import { LANGUAGES } from '../i18n.mjs';
import { checkNotBlank } from '../validate.mjs';

export function profileView(account, lang) {
  return {
    bizId: account.id,
    institutionBizId: account.institutionBizId,
    accountEmail: account.email,
    accountPhone: account.phone,
    accountName: account.name,
    accountRemark: account.remark,
    accountPortal: enumOf('accountPortal', account.portal.toUpperCase(), lang),
    accountStatus: enumOf('accountStatus', account.status, lang),
    createdAt: account.createdAt,
    updatedAt: account.updatedAt,
    defaultLanguage: account.language,
    defaultTimezone: account.timezone,
    defaultCountry: account.country,
  };
}

const isTimeZone = (tz) => {
  try { new Intl.DateTimeFormat('en', { timeZone: tz }); return /\//.test(tz) || tz === 'UTC'; } catch { return false; }
};

export const getProfile = {
  handler: (ctx) => profileView(ctx.account, ctx.lang),
};

export const updateProfile = {
  schema: {
    accountName: { type: 'string', max: 64, check: checkNotBlank },
    accountPhone: { type: 'string', nullable: true, check: (v) => (/^\+[1-9]\d{6,14}$/.test(v) ? null : 'FIELD_INVALID') },
    defaultLanguage: { type: 'string', check: (v) => (LANGUAGES.includes(v) ? null : 'FIELD_INVALID') },
    defaultTimezone: { type: 'string', max: 64, check: (v) => (isTimeZone(v) ? null : 'FIELD_INVALID') },
    defaultCountry: { type: 'string', check: (v) => (/^[A-Z]{2}$/.test(v) ? null : 'FIELD_INVALID') },
  },
  notEditable: ['bizId', 'institutionBizId', 'accountEmail', 'accountRemark', 'accountPortal', 'accountStatus', 'createdAt', 'updatedAt'],
  handler(ctx) {
    const a = ctx.account;
    const b = ctx.body;
    const changes = { name: b.accountName?.trim(), phone: b.accountPhone, language: b.defaultLanguage, timezone: b.defaultTimezone, country: b.defaultCountry };
    for (const [k, v] of Object.entries(changes)) if (v !== undefined) a[k] = v;
    a.updatedAt = iso(ctx.state.now());
    return profileView(a, ctx.lang);
  },
};
