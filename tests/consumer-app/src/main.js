// The whole consumer: sign in on the SYSTEM portal of this page's origin (email MFA), then show
// the route the module decided and the profile's name. Imported by name, bundled by Vite.
import { createPortalClient, PortalError } from 'portal-client';

const $ = (id) => document.getElementById(id);
const show = (text) => { $('status').textContent = text; };
const describe = (error) => (error instanceof PortalError ? `${error.code}: ${error.message}` : String(error));

const clientReady = createPortalClient({ portal: 'system', portalAccessCode: 'dev-system-code' });
clientReady.then(() => { document.body.dataset.ready = 'true'; }, (error) => show(`could not load: ${describe(error)}`));

async function land(client, route) {
  const profile = await client.getProfile();
  $('route').textContent = route.name;
  $('account-name').textContent = profile.accountName;
  $('mfa').hidden = true;
  $('signed-in').hidden = false;
  show('signed in');
}

$('sign-in').addEventListener('submit', async (event) => {
  event.preventDefault();
  const { email, password } = Object.fromEntries(new FormData(event.target));
  try {
    const client = await clientReady;
    const next = await client.signIn({ email, password });
    $('sign-in').hidden = true;
    if (next.step === 'DONE') return await land(client, next.route);
    const sent = await client.sendMfaCode('EMAIL');
    show(`code sent to ${sent.sentTo}`);
    $('mfa').hidden = false;
  } catch (error) {
    show(describe(error));
  }
});

$('mfa').addEventListener('submit', async (event) => {
  event.preventDefault();
  const { code } = Object.fromEntries(new FormData(event.target));
  try {
    const client = await clientReady;
    const done = await client.confirmSignIn({ method: 'EMAIL', code });
    await land(client, done.route);
  } catch (error) {
    show(describe(error));
  }
});
