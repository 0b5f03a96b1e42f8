// The shell's message catalogues: one module per locale, each a flat object of keys to strings
// with `{name}` placeholders. tests/shell/i18n.test.mjs checks that every locale has exactly
// the keys of the English one.
import en from './en.js';
import zh from './zh.js';
import zhHant from './zh-Hant.js';
import ja from './ja.js';
import vi from './vi.js';

export const CATALOGUES = { en, zh, 'zh-Hant': zhHant, ja, vi };

// Each language named in itself, as a switcher shows it.
export const LANGUAGE_NAMES = { en: 'English', zh: '简体中文', 'zh-Hant': '繁體中文', ja: '日本語', vi: 'Tiếng Việt' };

let current = 'en';

export function setLanguage(code) {
  if (CATALOGUES[code]) current = code;
}

export function language() {
  return current;
}

export function has(key) {
  return Object.hasOwn(CATALOGUES[current], key);
}

export function t(key, vars = {}) {
  const text = CATALOGUES[current][key] ?? CATALOGUES.en[key] ?? key;
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
