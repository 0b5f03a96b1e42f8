// A small app on portal-client, the way its README shows it: sign in with email MFA, route by
// `route.name`, show the profile, sign out. Plain ES modules, no bundler: the page imports the
// package's file from /dist/ (with a bundler it would be `from 'portal-client'`). The API is on
// this page's origin (docs/integration.md): scripts/example serves both from one emulator.
import { createPortalClient, PortalError } from '/dist/portal-client.js';

const $ = (id) => document.getElementById(id);
const screens = ['sign-in', 'mfa', 'signed-in'];

function show(screen) {
  for (const id of screens) $(id).hidden = id !== screen;
  $(screen)?.querySelector('input')?.focus();
}

function status(text, { error = false } = {}) {
  $('status').textContent = text;
  $('status').classList.toggle('error', error);
}

// Every failure is a PortalError: its code says what happened, its message is for people.
function explain(error) {
  if (!(error instanceof PortalError)) return String(error);
  switch (error.code) {
    case 'AUTH.INVALID_CREDENTIALS': return 'Email or password is incorrect.';
    case 'AUTH.MFA_CODE_INVALID': return 'That code is not right; try again.';
    case 'RATE_LIMITED': return `Too many attempts; wait ${error.retryAfter ?? 'a few'} seconds.`;
    case 'CLIENT.SIGN_IN_EXPIRED':
    case 'AUTH.LOGIN_SESSION_INVALID': show('sign-in'); return 'The sign-in expired; start again.';
    case 'PORTAL.ACCESS_CODE_INVALID': return 'This app is misconfigured (portal access code).';
    case 'CLIENT.CORS_BLOCKED': return 'The API must be served from this origin (see docs/integration.md).';
    case 'CLIENT.NETWORK': return 'No connection to the server.';
    default: return `${error.code}: ${error.message}`;
  }
}

// What each route means for this app. A real app would navigate; this one describes it.
const ROUTES = {
  APP: ['Welcome', 'You are in your workspace.'],
  SELECT_WORKSPACE: ['Choose a workspace', 'You belong to several workspaces and have no default.'],
  CREATE_WORKSPACE: ['Create a workspace', 'You do not belong to a workspace yet.'],
  INVITATIONS: ['Invitations', 'You have pending invitations.'],
  PASSWORD_INIT: ['Set your password', 'Your account was invited: choose a password.'],
  MFA_SETUP: ['Set up two-factor authentication', 'Your organisation requires it before you continue.'],
  PENDING_APPROVAL: ['Waiting for approval', 'An administrator must approve your account.'],
  ACCOUNT_BLOCKED: ['Contact support', 'Your account cannot be used right now.'],
};

async function land(client, route) {
  const [title, text] = ROUTES[route.name] ?? ['', ''];
  $('route-title').textContent = title;
  $('route-text').textContent = text;
  $('route').textContent = route.name;
  const profile = await client.getProfile();
  $('profile-name').textContent = profile.accountName;
  $('profile-email').textContent = profile.accountEmail;
  show('signed-in');
  status('Signed in.');
}

async function main() {
  let client;
  try {
    client = await createPortalClient({ portal: 'system', portalAccessCode: 'dev-system-code', persist: 'session' });
  } catch (error) {
    status(`The client did not load: ${explain(error)}`, { error: true });
    return;
  }

  client.on('signedOut', ({ reason }) => {
    show('sign-in');
    status(reason === 'USER' ? 'Signed out.' : `Signed out (${reason}).`);
  });

  // A reload with persist: 'session' keeps the session: ask the core where to go.
  if (client.authState.state === 'SIGNED_IN') {
    try { await land(client, (await client.bootstrap()).route); } catch (error) { show('sign-in'); status(explain(error), { error: true }); }
  } else {
    show('sign-in');
    status('');
  }
  document.body.dataset.ready = 'true';

  $('sign-in').addEventListener('submit', async (event) => {
    event.preventDefault();
    const { email, password } = Object.fromEntries(new FormData(event.target));
    status('Signing in…');
    try {
      const next = await client.signIn({ email, password });
      if (next.step === 'DONE') return await land(client, next.route);
      const sent = await client.sendMfaCode('EMAIL');
      $('sent-to').textContent = sent.sentTo;
      show('mfa');
      status('');
    } catch (error) {
      status(explain(error), { error: true });
    }
  });

  $('mfa').addEventListener('submit', async (event) => {
    event.preventDefault();
    const { code } = Object.fromEntries(new FormData(event.target));
    try {
      const done = await client.confirmSignIn({ method: 'EMAIL', code: code.trim() });
      event.target.reset();
      await land(client, done.route);
    } catch (error) {
      status(explain(error), { error: true });
    }
  });

  $('resend').addEventListener('click', async () => {
    try {
      const sent = await client.sendMfaCode('EMAIL');
      status(`A new code was sent to ${sent.sentTo}.`);
    } catch (error) {
      status(explain(error), { error: true });
    }
  });

  $('sign-out').addEventListener('click', () => client.signOut());
}

main();
