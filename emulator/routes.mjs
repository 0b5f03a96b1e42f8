// The one routing table: (method, path) → handler with metadata (docs/api.md §6).
//   jwt        the call needs `Authorization: Bearer`
//   encrypted  the body must come over the secure channel (unless --secure-channel=off)
//   rateLimit  a key of ratelimit.mjs LIMITS
// Portal routes are written relative to P = /web/v1/{system|tenant|consumer}; channel routes
// are absolute and handled by server.mjs itself.

import * as auth from './api/auth.mjs';
import * as profile from './api/profile.mjs';
import * as security from './api/security.mjs';
import * as invitations from './api/invitations.mjs';
import * as workspaces from './api/workspaces.mjs';
import { PORTALS } from './state.mjs';

const post = (path, impl, meta = {}) => ({ method: 'POST', path, jwt: true, encrypted: true, rateLimit: null, ...meta, ...impl });
const get = (path, impl) => ({ method: 'GET', path, jwt: true, encrypted: false, rateLimit: null, ...impl });
const open = { jwt: false };

export const PORTAL_ROUTES = [
  post('/auth/login/initiate', auth.loginInitiate, { ...open, rateLimit: 'loginInitiate' }),
  post('/auth/login/mfa/send', auth.loginMfaSend, { ...open, rateLimit: 'mfaSend' }),
  post('/auth/login/complete', auth.loginComplete, open),
  post('/auth/token/refresh', auth.tokenRefresh, open),
  post('/auth/logout', auth.logout),
  post('/auth/register/session', auth.registerSession, { ...open, rateLimit: 'registerSession' }),
  post('/auth/register/verify-email', auth.registerVerifyEmail, open),
  post('/auth/register/complete', auth.registerComplete, open),
  post('/auth/password/forgot', auth.passwordForgot, { ...open, rateLimit: 'passwordForgot' }),
  post('/auth/password/reset', auth.passwordReset, { ...open, rateLimit: 'passwordReset' }),
  post('/auth/password/init', auth.passwordInit),
  post('/auth/password/change', auth.passwordChange, { rateLimit: 'passwordChange' }),
  get('/profile', profile.getProfile),
  post('/profile/update', profile.updateProfile),
  get('/security/mfa', security.mfaList),
  post('/security/mfa/otp/setup', security.otpSetup),
  post('/security/mfa/otp/verify', security.otpVerify),
  post('/security/mfa/otp/revoke', security.otpRevoke),
  post('/security/mfa/backup-codes/generate', security.backupCodesGenerate),
  get('/security/ip-whitelist', security.ipWhitelistGet),
  post('/security/ip-whitelist', security.ipWhitelistSet),
  post('/security/ip-whitelist/enable', security.ipWhitelistEnable),
  get('/security/sessions', security.sessionsList),
  post('/security/sessions/terminate', security.sessionTerminate),
  post('/security/sessions/terminate-all', security.sessionTerminateAll),
  get('/profile/invitations', invitations.listInvitations),
  post('/profile/invitations/:invitationBizId/accept', invitations.acceptInvitation),
  post('/profile/invitations/:invitationBizId/decline', invitations.declineInvitation),
  get('/workspaces/mine', workspaces.mine),
  post('/workspaces/create', workspaces.create),
  post('/workspaces/select-default', workspaces.selectDefault),
];

export const CHANNEL_ROUTES = [
  { method: 'GET', path: '/web/v1/secure-channel/public-key', channel: 'publicKey' },
  { method: 'POST', path: '/web/v1/secure-channel/session', channel: 'open' },
  { method: 'POST', path: '/web/v1/secure-channel/session/close', channel: 'close', encrypted: true },
];

function matchPattern(pattern, path) {
  const a = pattern.split('/');
  const b = path.split('/');
  if (a.length !== b.length) return null;
  const params = {};
  for (let i = 0; i < a.length; i++) {
    if (a[i].startsWith(':')) {
      if (!b[i]) return null;
      try { params[a[i].slice(1)] = decodeURIComponent(b[i]); } catch { return null; }
    } else if (a[i] !== b[i]) return null;
  }
  return params;
}

/**
 * Resolves an API path. Returns one of
 *   {route, portal, params}            portal = 'system'|'tenant'|'consumer', or null for channel routes
 *   {error: 'METHOD_NOT_ALLOWED', allow: ['GET', …]}
 *   {error: 'NOT_FOUND'}
 */
export function matchRoute(method, path) {
  let candidates = [];
  for (const route of CHANNEL_ROUTES) if (route.path === path) candidates.push({ route, portal: null, params: {} });
  const m = path.match(/^\/web\/v1\/([a-z]+)(\/.*)$/);
  if (m && PORTALS.includes(m[1])) {
    for (const route of PORTAL_ROUTES) {
      const params = matchPattern(route.path, m[2]);
      if (params) candidates.push({ route, portal: m[1], params });
    }
  }
  if (!candidates.length) return { error: 'NOT_FOUND' };
  const hit = candidates.find((c) => c.route.method === method);
  return hit ?? { error: 'METHOD_NOT_ALLOWED', allow: [...new Set(candidates.map((c) => c.route.method))] };
}
