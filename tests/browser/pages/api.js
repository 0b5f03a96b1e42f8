// Loads the built module under test (/dist/ is mounted from PORTAL_DIST) and exposes it, with a
// few journey helpers, to the tests on `window`.
import * as portal from '/dist/portal-client.js';

const ACCESS_CODES = { system: 'dev-system-code', tenant: 'dev-tenant-code', consumer: 'dev-consumer-code' };
const DOMAINS = { system: 'example.com', tenant: 'tenant.example.com', consumer: 'consumer.example.com' };

window.portal = portal;
window.PASSWORD = 'Correct-Horse-9';

// The seeded account `local` of a portal, e.g. account('system', 'admin') → admin@example.com.
window.account = (portalName, local) => `${local}@${DOMAINS[portalName]}`;

// Creates a client for a portal on this origin; extra options override the defaults.
window.makeClient = (portalName, options = {}) => portal.createPortalClient({
  baseUrl: location.origin, portal: portalName, portalAccessCode: ACCESS_CODES[portalName], ...options,
});

// The latest code the emulator "mailed" (dev mailbox, docs/api.md §10.1).
window.mailCode = async (email, kind = 'LOGIN_MFA') => {
  const box = await window.dev('GET', `mailbox?email=${encodeURIComponent(email)}`);
  return box.latest?.[kind];
};

window.dev = async (method, path, body) => {
  const res = await fetch(`/__dev/${path}`, {
    method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return text ? JSON.parse(text).data : null;  // dev endpoints answer in the API envelope
};

// Signs a client in with the EMAIL factor; returns the final step.
window.signInWithEmail = async (client, email, password = window.PASSWORD) => {
  const first = await client.signIn({ email, password });
  if (first.step !== 'MFA_REQUIRED') return first;
  await client.sendMfaCode('EMAIL');
  return client.confirmSignIn({ method: 'EMAIL', code: await window.mailCode(email) });
};

// Runs `fn` and returns the rejection as a plain object (or {resolved: value}).
window.settle = async (fn) => {
  try {
    return { resolved: await fn() };
  } catch (e) {
    return { name: e.name, code: e.code, status: e.status, message: e.message, retryAfter: e.retryAfter,
      fieldErrors: e.fieldErrors, kind: e.kind, isPortalError: e instanceof portal.PortalError };
  }
};
