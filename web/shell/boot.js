// The shell's first module (app.js imports it first). It starts the client of the page's portal
// — on the core start.js is already fetching and compiling: the self-test, and, when a signed-in
// tab holds the client's signed-in lock, the short wait for its session — and the shown
// language's catalogue before the rest of the shell runs (issue 14). app.js takes this client for
// its first connect instead of making one.
import { createPortalClient, EVENTS } from '/dist/portal-client.js';
import { PORTALS, DEFAULT_PORTAL, LOCALES } from './config.js';
import { setLanguage } from './i18n/index.js';

export const STORE = 'portal-shell';

export function readStore(storage, key) {
  try { return storage.getItem(`${STORE}:${key}`); } catch { return null; }
}

// Own keys only: `in` would accept 'toString' and every other Object.prototype name.
export const isPortal = (name) => typeof name === 'string' && Object.hasOwn(PORTALS, name);

export function initialPortal() {
  const query = new URLSearchParams(location.search).get('portal');
  if (isPortal(query)) return query;
  const saved = readStore(sessionStorage, 'portal');
  return isPortal(saved) ? saved : DEFAULT_PORTAL;
}

export function initialLanguage() {
  const saved = readStore(localStorage, 'locale');
  if (LOCALES.includes(saved)) return saved;
  for (const tag of navigator.languages ?? []) {
    if (/^zh-(tw|hk|mo|hant)/i.test(tag)) return 'zh-Hant';
    const base = tag.split('-')[0].toLowerCase();
    if (LOCALES.includes(base)) return base;
  }
  return 'en';
}

/** The options of every client the shell creates. */
export const clientOptions = (portal, locale) => ({
  baseUrl: location.origin,
  portal,
  portalAccessCode: PORTALS[portal].accessCode,
  locale,
  persist: 'session',
});

// Started now. Until app.js takes the client, its events are kept, to be handed over in order.
const firstLanguage = initialLanguage();
const first = { portal: initialPortal(), events: [], off: [] };
// The core start.js began compiling and the lock query it asked, if it ran.
const { wasmModule, lockSnapshot } = window.portalStart ?? {};
first.client = createPortalClient({ ...clientOptions(first.portal, firstLanguage), wasmModule, lockSnapshot }).then((client) => {
  first.off = EVENTS.map((name) => client.on(name, (event) => first.events.push([name, event])));
  return client;
});
first.client.catch(() => {});  // a failure is app.js's to report, when it takes the client
// Only the chosen language's catalogue is downloaded; app.js waits for it (English if it fails).
export const languageStarted = setLanguage(firstLanguage).catch(() => {});

/**
 * The client started for `portal` at load, once (null for any other portal or a later call), and
 * a function that stops keeping its events and returns those it kept, in order.
 */
export function takeStartedClient(portal) {
  if (!first.client || portal !== first.portal) return null;
  const { client } = first;
  first.client = null;
  return {
    client,
    drain() {
      for (const off of first.off) off();
      return first.events.splice(0);
    },
  };
}
