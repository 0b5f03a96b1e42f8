// The shell's message catalogues: one module per locale, each a flat object of keys to strings
// with `{name}` placeholders. English is part of the shell (the fallback of every lookup); the
// other catalogues are loaded on demand, one `import()` each, so a page downloads only the
// language it shows (issue 14). tests/shell/i18n.test.mjs checks, through all.js, that every
// locale has exactly the keys of the English one.
import en from './en.js';

// Literal specifiers, so that bundlers and preload scanners can see them.
const LOADERS = {
  zh: () => import('./zh.js'),
  'zh-Hant': () => import('./zh-Hant.js'),
  ja: () => import('./ja.js'),
  vi: () => import('./vi.js'),
};

// Each language named in itself, as a switcher shows it.
export const LANGUAGE_NAMES = { en: 'English', zh: '简体中文', 'zh-Hant': '繁體中文', ja: '日本語', vi: 'Tiếng Việt' };

const loaded = { en };
const loading = {};
let current = 'en';
let wanted = 'en';

/** The catalogue of `code`, loaded once (a failed load may be retried). */
function load(code) {
  if (loaded[code]) return Promise.resolve(loaded[code]);
  loading[code] ??= LOADERS[code]().then(
    (module) => { loaded[code] = module.default; return module.default; },
    (error) => { delete loading[code]; throw error; });
  return loading[code];
}

/**
 * Makes `code` the current language once its catalogue is loaded; unknown codes change nothing.
 * Resolves to the language in use afterwards. When several switches overlap, the last one asked
 * for wins; a catalogue that fails to load rejects and leaves the language as it was.
 */
export async function setLanguage(code) {
  if (code !== 'en' && !Object.hasOwn(LOADERS, code)) return current;
  wanted = code;
  try {
    await load(code);
  } catch (error) {
    if (wanted === code) wanted = current;
    throw error;
  }
  if (wanted === code) current = code;
  return current;
}

export function language() {
  return current;
}

export function has(key) {
  return Object.hasOwn(loaded[current], key);
}

export function t(key, vars = {}) {
  const text = loaded[current][key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (match, name) => (name in vars ? String(vars[name]) : match));
}

/**
 * The sentence to show for a failed call: the server's own (already localized) message;
 * for failures raised in this browser (client codes, no connection) the catalogue's wording.
 */
export function errorText(error) {
  if (!error || typeof error !== 'object' || !('code' in error)) return t('error.unexpected');
  if (has(`error.${error.code}`)) return t(`error.${error.code}`);
  if (error.kind === 'transport') return t('error.network');
  return error.message || error.code;
}
