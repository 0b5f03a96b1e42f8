// Every screen the router knows. The signed-out screens (auth.js) come with the page; the
// signed-in ones are loaded on first use (issue 14: a cold load fetches what the sign-in screen
// needs), so this table says beforehand what the router must know of them: who may see each
// (access) and whether it shows without the main navigation (chrome: 'minimal'). Loading a
// module adds its screens' render functions. tests/shell/coldload.test.mjs checks that this table
// says what the modules themselves say.
import { authScreens } from './auth.js';

// Literal specifiers, so that bundlers and preload scanners can see them.
const MODULES = {
  onboarding: () => import('./onboarding.js').then((m) => m.onboardingScreens),
  account: () => import('./account.js').then((m) => m.accountScreens),
  security: () => import('./security.js').then((m) => m.securityScreens),
};

const LAZY = {
  app: ['onboarding'],
  workspaces: ['onboarding'],
  'select-workspace': ['onboarding'],
  'create-workspace': ['onboarding'],
  invitations: ['onboarding'],
  'password-init': ['onboarding', 'minimal'],
  'mfa-setup': ['onboarding', 'minimal'],
  'pending-approval': ['onboarding', 'minimal'],
  'account-blocked': ['onboarding', 'minimal'],
  profile: ['account'],
  security: ['security'],
};

export const SCREENS = { ...authScreens };
for (const [name, [module, chrome]] of Object.entries(LAZY)) {
  SCREENS[name] = { access: 'private', module, ...(chrome ? { chrome } : {}) };
}

const loading = {};

/** Loads the module of `name`'s screen once (a failed load may be retried); resolves when its
 *  definition can render. */
export function loadScreen(name) {
  const def = SCREENS[name];
  if (!def || def.render) return Promise.resolve(def);
  loading[def.module] ??= MODULES[def.module]().then((screens) => {
    for (const [screen, loaded] of Object.entries(screens)) Object.assign(SCREENS[screen], loaded);
  }, (error) => { delete loading[def.module]; throw error; });
  return loading[def.module].then(() => def);
}

/** Starts loading every signed-in screen (on the way to signing in), without waiting for it. */
export function preloadPrivateScreens() {
  for (const name of Object.keys(LAZY)) loadScreen(name).catch(() => {});
}

/** The signed-in screens' modules, by name (tests compare them with this table). */
export const LAZY_SCREENS = LAZY;
