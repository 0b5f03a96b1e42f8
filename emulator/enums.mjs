// Enum values (docs/api.md §3). They travel as {code, value, label}; labels are localized.
import { label } from './i18n.mjs';

export const ENUMS = Object.freeze({
  accountPortal: { SYSTEM: 10010101, TENANT: 10010102, CONSUMER: 10010103 },
  accountStatus: { INVITED: 10010201, ACTIVE: 10010202, PENDING_APPROVAL: 10010203 },
  mfaMethod: { EMAIL: 10011001, OTP: 10011002, BACKUP_CODE: 10011003 },
  workspaceRole: { OWNER: 10050201, ADMIN: 10050202, MEMBER: 10050203 },
  invitationStatus: { PENDING: 10050301, ACCEPTED: 10050302, DECLINED: 10050303, EXPIRED: 10050304 },
  nextAction: { STAY_ON_CURRENT_WORKSPACE: 10050401, ENTER_ACCEPTED_WORKSPACE: 10050403 },
});

export function enumOf(kind, code, lang) {
  const value = ENUMS[kind][code];
  if (value === undefined) throw new Error(`unknown ${kind} ${code}`);
  return { code, value, label: label(code, lang) };
}
