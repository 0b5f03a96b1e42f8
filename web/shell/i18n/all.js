// Every catalogue at once, for tests and tools (the shell itself loads one at a time through
// index.js and never imports this file).
import en from './en.js';
import zh from './zh.js';
import zhHant from './zh-Hant.js';
import ja from './ja.js';
import vi from './vi.js';

export { LANGUAGE_NAMES } from './index.js';
export const CATALOGUES = { en, zh, 'zh-Hant': zhHant, ja, vi };
