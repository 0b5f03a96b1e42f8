// The shell: a tiny router over the public JS API. It renders what the API returns and moves
// between screens by the route names the core decides (`route.name`); it makes no protocol
// decision of its own.
// boot.js first: its body, which starts the client, runs before the modules below are evaluated.
import { STORE, readStore, isPortal, initialPortal, clientOptions, languageStarted, takeStartedClient } from './boot.js';
import { createPortalClient } from '/dist/portal-client.js';
import { LOCALES } from './config.js';
import { t, setLanguage, language, LANGUAGE_NAMES } from './i18n/index.js';
import { h, notice, loading, showError, button, runAction } from './ui.js';
import { SCREENS, loadScreen, preloadPrivateScreens } from './screens/index.js';

// The core's route names → the screen that renders each.
const ROUTE_SCREENS = {
  APP: 'app',
  SELECT_WORKSPACE: 'select-workspace',
  CREATE_WORKSPACE: 'create-workspace',
  INVITATIONS: 'invitations',
  PASSWORD_INIT: 'password-init',
  MFA_SETUP: 'mfa-setup',
  PENDING_APPROVAL: 'pending-approval',
  ACCOUNT_BLOCKED: 'account-blocked',
};

// Each signed-in screen → the destination name the core gates (client.checkRoute).
const SCREEN_GATES = {
  app: 'APP',
  workspaces: 'WORKSPACES',
  'select-workspace': 'SELECT_WORKSPACE',
  'create-workspace': 'CREATE_WORKSPACE',
  invitations: 'INVITATIONS',
  profile: 'PROFILE',
  security: 'SECURITY',
  'password-init': 'PASSWORD_INIT',
  'mfa-setup': 'MFA_SETUP',
  'pending-approval': 'PENDING_APPROVAL',
  'account-blocked': 'ACCOUNT_BLOCKED',
};
// Landing routes that close the rest of the app: the main navigation is not shown.
const CLOSED_ROUTES = ['PASSWORD_INIT', 'MFA_SETUP', 'PENDING_APPROVAL', 'ACCOUNT_BLOCKED'];

const NAV = [
  ['app', 'nav.home'],
  ['workspaces', 'nav.workspaces'],
  ['invitations', 'nav.invitations'],
  ['profile', 'nav.profile'],
  ['security', 'nav.security'],
];

function writeStore(storage, key, value) {
  try {
    if (value === null || value === undefined) storage.removeItem(`${STORE}:${key}`);
    else storage.setItem(`${STORE}:${key}`, value);
  } catch { /* storage refused: the value lives for this page only */ }
}

// Counts network waits for the top progress bar.
let inflight = 0;
function track(promise) {
  inflight += 1;
  document.body.classList.add('is-loading');
  const done = () => {
    inflight -= 1;
    if (inflight === 0) document.body.classList.remove('is-loading');
  };
  promise.then(done, done);
  return promise;
}

// The client as screens see it: every call that returns a promise feeds the progress bar.
function trackedClient(client) {
  return new Proxy(client, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (typeof value !== 'function') return value;
      return (...args) => {
        const result = value.apply(target, args);
        return result instanceof Promise ? track(result) : result;
      };
    },
  });
}

// A globe outline for the language switcher (decorative; the label says "Language").
function globeIcon() {
  const svg = h('svg:svg', { class: 'language-icon', viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false' });
  for (const d of ['M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18z', 'M3 12h18', 'M12 3c2.5 2.6 3.8 5.6 3.8 9s-1.3 6.4-3.8 9c-2.5-2.6-3.8-5.6-3.8-9s1.3-6.4 3.8-9z']) {
    svg.append(h('svg:path', { d, fill: 'none', stroke: 'currentColor', 'stroke-width': '1.6', 'stroke-linejoin': 'round' }));
  }
  return svg;
}

class Shell {
  constructor() {
    this.portal = initialPortal();
    this.client = null;
    this.rawClient = null;
    this.unsubscribe = [];
    this.current = { screen: null, params: {} };
    this.flash = null;
    this.pendingInvitations = 0;
    this.renderToken = 0;
    this.navigation = 0;   // bumped by every navigation; a gate answer for an older one is dropped
    this.landing = null;   // the core's landing route, from the last gate answer or route event
    // Form conveniences kept across a reload (the email typed last, a sign-in pause, the MFA
    // method chosen); where a flow stands is the client's (authState), which persists it.
    this.flow = JSON.parse(readStore(sessionStorage, 'flow') ?? '{}');
  }

  get locale() { return language(); }

  saveFlow(patch) {
    this.flow = patch === null ? {} : { ...this.flow, ...patch };
    writeStore(sessionStorage, 'flow', JSON.stringify(this.flow));
  }

  async start() {
    // Only the chosen language's catalogue is downloaded (boot.js started it); English (built
    // in) if it cannot be.
    await languageStarted;
    document.documentElement.lang = language();
    // The header waits for the client and comes with the first screen: drawn now, its layout and
    // paint (about 50 ms in WebKitGTK 2.50) would hold the thread the client's start-up needs.
    this.main.replaceChildren(loading());
    try {
      await this.connect(this.portal);
    } catch (error) {
      this.renderChrome();
      this.renderFatal(error);
      document.documentElement.dataset.ready = 'true';
      return;
    }
    window.addEventListener('hashchange', () => {
      if (location.hash === '' || location.hash.startsWith('#/')) this.fromHash();
    });
    document.getElementById('skip-link')?.addEventListener('click', (event) => {
      event.preventDefault();
      (this.main.querySelector('h1') ?? this.main).focus();
    });
    await this.fromHash({ initial: true });
    document.documentElement.dataset.ready = 'true';
    performance.mark('portal-shell:ready');  // what scripts/bench reads in every engine
  }

  // Creates the client for a portal (disposing the previous one).
  async connect(portal) {
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    this.rawClient?.dispose();
    this.portal = portal;
    writeStore(sessionStorage, 'portal', portal);
    // The first connect takes the client boot.js started at load.
    const started = takeStartedClient(portal);
    const raw = await track(started?.client ?? createPortalClient(clientOptions(portal, language())));
    this.rawClient = raw;
    this.client = trackedClient(raw);
    const handlers = {
      signedOut: ({ reason }) => this.onSignedOut(reason),
      authStateChange: (state) => this.onAuthState(state),
      routeChange: (route) => { this.landing = route; this.setPendingInvitations(route?.pendingInvitations); },
    };
    this.unsubscribe.push(...Object.entries(handlers).map(([name, handler]) => raw.on(name, handler)));
    if (started) {
      raw.setLocale(language());  // the shown language, should its catalogue have failed to load
      for (const [name, event] of started.drain()) handlers[name]?.(event);
    }
    this.renderChrome();
  }

  async switchPortal(portal) {
    if (portal === this.portal || !isPortal(portal)) return;
    const url = new URL(location.href);
    url.searchParams.set('portal', portal);
    history.replaceState(history.state, '', url);
    await this.connect(portal);
  }

  /** The core's auth state: SIGNED_OUT, SIGNING_IN (methods), REGISTERING or RESETTING_PASSWORD
   *  (step, email), SIGNED_IN. The pre-login steps live there, not in this shell. */
  get auth() { return this.rawClient?.authState ?? { state: 'SIGNED_OUT' }; }

  get signedIn() { return this.auth.state === 'SIGNED_IN'; }

  // Another tab's session arrived (after this one started): leave the signed-out screens for the
  // screen this tab was opened for, so the page never shows a sign-in form while signed in.
  onAuthState(state) {
    this.renderChrome();
    if (state?.state === 'SIGNING_IN' || state?.state === 'SIGNED_IN') preloadPrivateScreens();
    if (state?.state !== 'SIGNED_IN' || state.reason !== 'PEER') return;
    if (SCREENS[this.current.screen]?.access === 'private') return;
    const wanted = this.wanted && SCREENS[this.wanted]?.access === 'private' ? this.wanted : null;
    if (wanted) this.navigate(wanted, {}, { replace: true });
    else this.refreshRoute({ replace: true }).catch((error) => { if (this.signedIn) this.renderError(error); });
  }

  onSignedOut(reason) {
    this.saveFlow(null);
    this.landing = null;
    this.pendingInvitations = 0;
    if (reason !== 'USER') this.flash = { kind: 'info', text: t(`signedOut.${reason}`) };
    this.navigate('sign-in', {}, { replace: true });
  }

  async signOut(btn) {
    await runAction(btn, () => this.client.signOut());
    this.flash = { kind: 'success', text: t('signedOut.USER') };
    this.navigate('sign-in', {}, { replace: true });
  }

  setPendingInvitations(count) {
    if (typeof count !== 'number') return;
    this.pendingInvitations = count;
    const badge = this.header?.querySelector('.nav-badge');
    if (badge) {
      badge.hidden = count === 0;
      badge.textContent = String(count);
    }
  }

  /** The screen that renders a route the API returned. */
  screenFor(route) { return ROUTE_SCREENS[route?.name] ?? 'app'; }

  /** Shows the screen for a route the API returned. */
  followRoute(route, options = {}) {
    this.setPendingInvitations(route?.pendingInvitations);
    this.navigate(this.screenFor(route), { route }, options);
  }

  /** Asks the core for the next route (it re-reads profile, workspaces and invitations). */
  async refreshRoute(options) {
    const { route } = await this.client.bootstrap();
    this.followRoute(route, options);
  }

  /** Follows the route an onboarding call answered with; asks again only when it has none. */
  async followOutcome(result, options) {
    if (result?.route) this.followRoute(result.route, options);
    else await this.refreshRoute(options);
  }

  /** Every navigation to a signed-in screen asks the core first; a closed one is replaced by
   *  the route the core names. */
  async navigate(screen, params = {}, { replace = false, focus = true } = {}) {
    const ticket = ++this.navigation;
    if (this.signedIn && SCREEN_GATES[screen]) {
      let gate;
      try {
        gate = await this.client.checkRoute({ name: SCREEN_GATES[screen] });
      } catch (error) {
        if (ticket === this.navigation && this.signedIn) this.renderError(error);
        return;
      }
      if (ticket !== this.navigation) return;
      this.landing = gate.route;
      this.setPendingInvitations(gate.route?.pendingInvitations);
      if (!gate.allowed) {
        screen = this.screenFor(gate.route);
        params = { route: gate.route };
        replace = true;
      }
    }
    const hash = `#/${screen}`;
    this.current = { screen, params };
    if (location.hash !== hash) {
      if (replace) history.replaceState(null, '', hash);
      else history.pushState(null, '', hash);
    }
    this.render({ focus });
  }

  async fromHash({ initial = false } = {}) {
    const name = location.hash.replace(/^#\/?/, '') || null;
    const screen = name && Object.hasOwn(SCREENS, name) ? name : null;
    if (initial) this.wanted = screen;  // the deep link this tab was opened with
    const access = screen ? SCREENS[screen].access : null;
    if (this.signedIn) {
      if (screen && access === 'private') {
        if (initial) this.main.replaceChildren(loading());
        await this.navigate(screen, {}, { replace: true, focus: initial ? 'load' : true });
        return;
      }
      ++this.navigation;
      this.main.replaceChildren(loading());
      try {
        await this.refreshRoute({ replace: true });
      } catch (error) {
        if (this.signedIn) this.renderError(error);
      }
      return;
    }
    if (screen === 'mfa' && this.auth.state === 'SIGNING_IN') {
      this.current = { screen, params: {} };
    } else if (screen && access === 'public') {
      this.current = { screen, params: {} };
    } else {
      this.current = { screen: 'sign-in', params: {} };
      history.replaceState(null, '', '#/sign-in');
    }
    this.render({ focus: initial ? 'load' : true });
  }

  // --- rendering -------------------------------------------------------------------------------

  get main() { return document.getElementById('main'); }

  renderChrome() {
    document.title = t('app.name');
    const header = document.getElementById('topbar');
    this.header = header;
    const def = SCREENS[this.current.screen];
    const showNav = this.signedIn && def?.chrome !== 'minimal' && def?.access !== 'public'
      && !CLOSED_ROUTES.includes(this.landing?.name);
    const portalLabel = t(`portal.${this.portal}`);
    const langSelect = h('select', { id: 'language', name: 'language', class: 'compact-select' },
      LOCALES.map((code) => h('option', { value: code, lang: code, text: LANGUAGE_NAMES[code], selected: code === language() })));
    langSelect.addEventListener('change', () => this.changeLanguage(langSelect.value));
    const nav = showNav
      ? h('nav', { class: 'mainnav', 'aria-label': t('nav.label') },
        h('ul', {}, NAV.map(([screen, key]) => h('li', {},
          h('a', {
            href: `#/${screen}`,
            'aria-current': this.current.screen === screen
              || (screen === 'workspaces' && ['select-workspace', 'create-workspace'].includes(this.current.screen)) ? 'page' : undefined,
          }, t(key), screen === 'invitations'
            ? h('span', { class: 'nav-badge', hidden: this.pendingInvitations === 0, text: String(this.pendingInvitations),
              'aria-label': t('nav.pendingCount', { n: this.pendingInvitations }) })
            : null)))))
      : null;
    const signOutBtn = this.signedIn ? button(t('nav.signOut'), { class: 'button button-quiet', id: 'sign-out' }) : null;
    signOutBtn?.addEventListener('click', () => this.signOut(signOutBtn));
    header.replaceChildren(
      h('div', { class: 'topbar-inner' },
        h('a', { class: 'brand', href: this.signedIn ? '#/app' : '#/sign-in' },
          h('span', { class: 'brand-mark', 'aria-hidden': 'true' }),
          h('span', { class: 'brand-name', text: t('app.name') }),
          h('span', { class: 'portal-badge', text: portalLabel })),
        nav,
        h('div', { class: 'topbar-tools' },
          h('label', { class: 'language-label', for: 'language' },
            h('span', { class: 'visually-hidden', text: t('nav.language') }),
            globeIcon()),
          langSelect,
          signOutBtn)));
    const skip = document.getElementById('skip-link');
    if (skip) skip.textContent = t('nav.skip');
    document.getElementById('footer-text').textContent = t('app.footer');
  }

  async changeLanguage(code) {
    if (!LOCALES.includes(code)) return;
    try {
      // The catalogue loads first; a later switch made meanwhile wins.
      if (await setLanguage(code) !== code) return;
    } catch {
      // Not loaded (offline?): stay in the current language, say so, and reset the switcher.
      this.flash = { kind: 'error', text: t('error.network') };
      this.render({ focus: false });
      return;
    }
    writeStore(localStorage, 'locale', code);
    document.documentElement.lang = code;
    this.rawClient?.setLocale(code);
    // What the user typed survives the re-render in the new language.
    const typed = [...this.main.querySelectorAll('input[name]:not([type=radio]):not([type=checkbox]):not([readonly])')]
      .map((el) => [el.name, el.value]);
    this.render({ focus: false });
    const seen = new Map();
    for (const [name, value] of typed) {
      const index = seen.get(name) ?? 0;
      seen.set(name, index + 1);
      const el = this.main.querySelectorAll(`input[name="${CSS.escape(name)}"]`)[index];
      if (el && !el.value && value) el.value = value;
    }
    document.getElementById('language')?.focus();
  }

  // Renders the current screen. focus: true → its title (a navigation); false → its first field
  // (a re-render in place); 'load' → its first field, in the next frame (the page's first screen).
  render({ focus }) {
    const { screen, params } = this.current;
    const def = SCREENS[screen];
    this.renderChrome();
    if (!def) return;
    const token = ++this.renderToken;
    if (!def.render) {  // a signed-in screen whose module is not loaded yet
      this.main.replaceChildren(loading());
      loadScreen(screen).then(() => { if (token === this.renderToken) this.render({ focus }); },
        (error) => { if (token === this.renderToken) this.renderError(error); });
      return;
    }
    const view = h('div', { class: ['screen', `screen-${screen}`, def.wide ? 'screen-wide' : ''] });
    const flash = this.flash;
    this.flash = null;
    const flashEl = flash ? notice(flash.kind, h('p', { text: flash.text })) : null;
    flashEl?.classList.add('flash');  // news of the previous step: showError() removes it
    const content = def.render(this, params, { flash: flashEl, isCurrent: () => token === this.renderToken });
    view.append(content);
    this.main.replaceChildren(view);
    const title = view.querySelector('h1');
    document.title = title ? `${title.textContent} · ${t('app.name')}` : t('app.name');
    if (title) title.tabIndex = -1;  // focusable by script (navigation, skip link), not by Tab
    const field = view.querySelector('[data-autofocus]');  // a screen's first field
    if (focus === true) title?.focus();
    else if (focus === false) field?.focus();
    else if (focus === 'load' && field) {
      // The page's first screen: focused in the next frame, whose layout it then shares, instead
      // of a layout forced now, before the page is ready. Not if the user moved focus meanwhile.
      requestAnimationFrame(() => { if (token === this.renderToken && document.activeElement === document.body) field.focus(); });
    }
  }

  renderError(error) {
    const retry = button(t('common.retry'), { class: 'button' });
    retry.addEventListener('click', () => this.fromHash());
    const slot = h('div');
    this.main.replaceChildren(h('div', { class: 'screen' }, h('section', { class: 'card' },
      h('h1', { text: t('error.title') }), slot, h('div', { class: 'actions' }, retry))));
    showError(error, { errorSlot: slot });
  }

  renderFatal(error) {
    const slot = h('div');
    const reload = button(t('common.reload'), { class: 'button button-primary' });
    reload.addEventListener('click', () => location.reload());
    this.main.replaceChildren(h('div', { class: 'screen' }, h('section', { class: 'card' },
      h('h1', { text: t('error.startTitle') }), h('p', { text: t('error.startBody') }), slot,
      h('div', { class: 'actions' }, reload))));
    showError(error, { errorSlot: slot });
  }
}

const shell = new Shell();
shell.start();
