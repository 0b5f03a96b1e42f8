// Exposes one function to the test (errors.browser.test.mjs): create a client with the given
// options, sign in, and report the outcome as plain data.
import { createPortalClient, PortalError, version } from '/dist/portal-client.js';

window.load = () => version();

window.trySignIn = async (options) => {
  const client = await createPortalClient({ portal: 'system', ...options });
  const events = [];
  client.on('signedOut', (payload) => events.push(['signedOut', payload]));
  try {
    return { resolved: await client.signIn({ email: 'admin@example.com', password: 'Correct-Horse-9' }) };
  } catch (error) {
    const { code, kind, status, message } = error;
    return { rejected: { code, kind, status, message, isPortalError: error instanceof PortalError }, authState: client.authState, events };
  } finally {
    client.dispose();
  }
};
document.body.dataset.ready = 'true';
