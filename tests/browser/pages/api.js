// Loads the built module under test (/dist/ is mounted from PORTAL_DIST) and exposes it to the tests.
import * as portal from '/dist/portal-client.js';

window.portal = portal;
window.ACCESS_CODES = { system: 'dev-system-code', tenant: 'dev-tenant-code', consumer: 'dev-consumer-code' };
// Creates a client for a portal on this origin; extra options override the defaults.
window.makeClient = (portalName, options = {}) => portal.createPortalClient({
  baseUrl: location.origin, portal: portalName, portalAccessCode: window.ACCESS_CODES[portalName], ...options,
});
