// The in-page half of tests/browser/engines.mjs: finds elements the way a user (or Playwright's
// getByRole / getByLabel / getByText) would — ARIA role + accessible name, label text, visible
// text — and acts on them with DOM calls (element.click(), value + input/change events). It is
// injected as the source of this one function (no eval: the pages run under a strict CSP), so it
// must not reference anything outside itself.
export function installHelper() {
  if (window.__eh) return window.__eh;
  const norm = (s) => String(s ?? '').replace(/\s+/g, ' ').trim();
  const matches = (text, m) => {
    if (m == null) return true;
    const t = norm(text);
    if (m.re !== undefined) return new RegExp(m.re, m.flags).test(t);
    return m.exact ? t === m.s : t.toLowerCase().includes(norm(m.s).toLowerCase());
  };
  const style = (el) => getComputedStyle(el);
  const isVisible = (el) => el.isConnected && el.getClientRects().length > 0 && style(el).visibility !== 'hidden';
  const a11yHidden = (el) => {
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      if (e.getAttribute('aria-hidden') === 'true' || e.hidden || e.localName === 'template') return true;
      if (style(e).display === 'none') return true;
    }
    return style(el).visibility === 'hidden';
  };
  const INPUT_ROLES = { button: 'button', submit: 'button', reset: 'button', image: 'button', checkbox: 'checkbox', radio: 'radio',
    range: 'slider', number: 'spinbutton', search: 'searchbox', email: 'textbox', tel: 'textbox', text: 'textbox', url: 'textbox' };
  const TAG_ROLES = { button: 'button', textarea: 'textbox', option: 'option', nav: 'navigation', main: 'main', ul: 'list', ol: 'list',
    menu: 'list', li: 'listitem', dialog: 'dialog', output: 'status', table: 'table', fieldset: 'group', details: 'group', p: 'paragraph',
    article: 'article', hr: 'separator', progress: 'progressbar', aside: 'complementary', tr: 'row', td: 'cell', th: 'columnheader' };
  const role = (el) => {
    const explicit = norm(el.getAttribute('role')).split(' ')[0];
    if (explicit && explicit !== 'none' && explicit !== 'presentation') return explicit;
    const tag = el.localName;
    if (/^h[1-6]$/.test(tag)) return 'heading';
    if (tag === 'a' || tag === 'area') return el.hasAttribute('href') ? 'link' : null;
    if (tag === 'input') {
      const type = (el.getAttribute('type') || 'text').toLowerCase();
      const r = INPUT_ROLES[type] ?? null;
      return r === 'textbox' && el.hasAttribute('list') ? 'combobox' : r;
    }
    if (tag === 'select') return el.multiple || el.size > 1 ? 'listbox' : 'combobox';
    if (tag === 'img') return el.getAttribute('alt') === '' ? null : 'img';
    if (tag === 'section' || tag === 'form') return el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby') ? (tag === 'form' ? 'form' : 'region') : null;
    if (tag === 'header') return el.closest('article,aside,main,nav,section') ? null : 'banner';
    if (tag === 'footer') return el.closest('article,aside,main,nav,section') ? null : 'contentinfo';
    return TAG_ROLES[tag] ?? null;
  };
  const level = (el) => {
    const m = /^h([1-6])$/.exec(el.localName);
    return m ? Number(m[1]) : Number(el.getAttribute('aria-level') || 2);
  };
  // Text of a subtree as assistive technology reads it (hidden parts skipped, images by alt).
  const textOf = (node) => {
    if (node.nodeType === 3) return node.data;
    if (node.nodeType !== 1) return '';
    const el = node;
    if (el.getAttribute('aria-hidden') === 'true' || el.hidden || ['script', 'style', 'template'].includes(el.localName)) return '';
    const s = style(el);
    if (s.display === 'none') return '';
    if (el.localName === 'img') return el.getAttribute('alt') || '';
    if (el.hasAttribute('aria-label') && el !== node) return el.getAttribute('aria-label');
    let out = '';
    for (const child of el.childNodes) out += textOf(child);
    return s.display === 'inline' ? out : ` ${out} `;
  };
  const FROM_CONTENT = new Set(['button', 'link', 'heading', 'checkbox', 'radio', 'option', 'tab', 'menuitem', 'cell', 'columnheader',
    'rowheader', 'switch', 'tooltip', 'treeitem', 'menuitemradio', 'menuitemcheckbox']);
  const isControl = (el) => (el.localName === 'input' && !['button', 'submit', 'reset', 'image', 'hidden'].includes(el.type)) ||
    el.localName === 'select' || el.localName === 'textarea';
  const labelsOf = (el) => {
    const out = [];
    const by = el.getAttribute('aria-labelledby');
    if (by) for (const id of by.split(/\s+/)) { const t = document.getElementById(id); if (t) out.push(norm(textOf(t))); }
    if (out.length) return [out.join(' ')];
    if (el.getAttribute('aria-label')) return [norm(el.getAttribute('aria-label'))];
    if (isControl(el) && el.labels) for (const label of el.labels) out.push(norm(textOf(label)));
    return out;
  };
  const accName = (el) => {
    const labels = labelsOf(el);
    if (labels.length) return labels.join(' ');
    const tag = el.localName;
    if (tag === 'input' && ['button', 'submit', 'reset'].includes(el.type)) return el.value || (el.type === 'submit' ? 'Submit' : '');
    if (tag === 'input' && el.type === 'image') return el.alt || '';
    if (tag === 'img') return el.getAttribute('alt') || el.title || '';
    if (isControl(el)) return el.title || el.placeholder || '';
    if (tag === 'fieldset') { const legend = el.querySelector(':scope > legend'); if (legend) return norm(textOf(legend)); }
    if (FROM_CONTENT.has(role(el))) return norm(textOf(el)) || el.title || '';
    return el.title || '';
  };
  const elementText = (el) => (el.localName === 'input' && ['button', 'submit', 'reset'].includes(el.type) ? el.value : el.textContent);
  const all = (scope) => [...(scope.nodeType === 9 ? scope : scope).querySelectorAll('*')];
  const unique = (list) => { const seen = new Set(); return list.filter((e) => !seen.has(e) && seen.add(e)); };
  // As Playwright's text engine, the scope element itself may be the match.
  const byText = (scope, m) => {
    const hits = (scope.nodeType === 1 ? [scope, ...all(scope)] : all(scope)).filter((el) => !['script', 'style', 'head', 'title', 'template', 'html', 'body'].includes(el.localName) && matches(elementText(el), m));
    const set = new Set(hits);
    return hits.filter((el) => ![...el.children].some((c) => set.has(c)));
  };
  const step = (scopes, s) => {
    switch (s.t) {
      case 'css': return unique(scopes.flatMap((sc) => [...sc.querySelectorAll(s.sel)]));
      case 'role': return unique(scopes.flatMap((sc) => all(sc).filter((el) => role(el) === s.role && !a11yHidden(el) &&
        (s.level == null || level(el) === s.level) && (s.checked == null || el.checked === s.checked) &&
        (s.name == null || matches(accName(el), s.name)))));
      case 'label': return unique(scopes.flatMap((sc) => all(sc).filter((el) => labelsOf(el).some((l) => matches(l, s.text)))));
      case 'text': return unique(scopes.flatMap((sc) => byText(sc, s.text)));
      case 'filter': return scopes.filter((el) => (s.hasText == null || matches(el.textContent, s.hasText)) &&
        (s.has == null || resolve(s.has, el).length > 0));
      case 'nth': { const e = s.n < 0 ? scopes.at(s.n) : scopes[s.n]; return e ? [e] : []; }
      default: throw new Error(`unknown step ${s.t}`);
    }
  };
  const resolve = (steps, root = document) => steps.reduce((scopes, s) => step(scopes, s), [root]);
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const now = () => performance.now();
  const disabled = (el) => el.disabled === true || el.closest('fieldset:disabled') !== null || el.getAttribute('aria-disabled') === 'true';

  // Waits for exactly one element meeting `ready`; throws on several (as Playwright's strict mode).
  async function one(steps, desc, timeout, ready = () => true) {
    const end = now() + timeout;
    let why = 'no element';
    for (;;) {
      const els = resolve(steps);
      if (els.length > 1) throw new Error(`strict mode violation: ${desc} resolved to ${els.length} elements`);
      if (els.length === 1) { why = ready(els[0]); if (why === true) return els[0]; }
      if (now() > end) throw new Error(`Timeout ${timeout} ms waiting for ${desc}${typeof why === 'string' ? ` (${why})` : ''}`);
      await sleep(40);
    }
  }
  const visibleEnabled = (el) => (!isVisible(el) ? 'not visible' : disabled(el) ? 'disabled' : true);
  const setValue = (el, value) => {
    const proto = el.localName === 'textarea' ? HTMLTextAreaElement.prototype : el.localName === 'select' ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, value);
    el.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  };

  async function op(steps, desc, name, arg, timeout) {
    switch (name) {
      case 'count': return resolve(steps).length;
      case 'allTextContents': return resolve(steps).map((el) => el.textContent);
      case 'isVisible': {
        const els = resolve(steps);
        if (els.length > 1) throw new Error(`strict mode violation: ${desc} resolved to ${els.length} elements`);
        return els.length === 1 && isVisible(els[0]);
      }
      case 'waitFor': {
        const state = arg?.state ?? 'visible';
        const end = now() + timeout;
        for (;;) {
          const els = resolve(steps);
          if (els.length > 1) throw new Error(`strict mode violation: ${desc} resolved to ${els.length} elements`);
          const el = els[0];
          if (state === 'attached' ? el : state === 'detached' ? !el : state === 'hidden' ? !el || !isVisible(el) : el && isVisible(el)) return null;
          if (now() > end) throw new Error(`Timeout ${timeout} ms waiting for ${desc} to be ${state}`);
          await sleep(40);
        }
      }
      case 'click': case 'check': {
        const el = await one(steps, desc, timeout, visibleEnabled);
        el.scrollIntoView({ block: 'center', inline: 'center' });
        if (name === 'check' && el.checked) return null;
        if (typeof el.focus === 'function') el.focus({ preventScroll: true });
        el.click();
        if (name === 'check' && !el.checked) throw new Error(`${desc}: clicking did not check it`);
        return null;
      }
      case 'fill': {
        const el = await one(steps, desc, timeout, (e) => (visibleEnabled(e) !== true ? visibleEnabled(e) : e.readOnly ? 'read-only' : true));
        el.focus({ preventScroll: true });
        setValue(el, arg);
        return null;
      }
      case 'selectOption': {
        const el = await one(steps, desc, timeout, visibleEnabled);
        const option = [...el.options].find((o) => o.value === arg) ?? [...el.options].find((o) => norm(o.label) === arg);
        if (!option) throw new Error(`${desc}: no option ${arg}`);
        el.focus({ preventScroll: true });
        setValue(el, option.value);
        return [option.value];
      }
      case 'focus': (await one(steps, desc, timeout)).focus(); return null;
      case 'isDisabled': return disabled(await one(steps, desc, timeout));
      case 'isChecked': return (await one(steps, desc, timeout)).checked === true;
      case 'inputValue': return (await one(steps, desc, timeout)).value;
      case 'getAttribute': return (await one(steps, desc, timeout)).getAttribute(arg);
      case 'textContent': return (await one(steps, desc, timeout)).textContent;
      default: throw new Error(`unknown operation ${name}`);
    }
  }

  // Evaluation results cross the automation protocol as JSON: keep undefined (and non-finite
  // numbers) apart from null, as Playwright's own serialization does.
  const enc = (v, depth = 0) => {
    if (v === undefined) return { '\u0000u': 1 };
    if (typeof v === 'number' && !Number.isFinite(v)) return { '\u0000n': String(v) };
    if (v === null || typeof v !== 'object' || depth > 30) return typeof v === 'function' || typeof v === 'symbol' ? { '\u0000u': 1 } : v;
    if (v instanceof Error) return { name: v.name, message: v.message, stack: v.stack };
    if (v instanceof Date) return v.toISOString();
    if (typeof Node !== 'undefined' && v instanceof Node) return { '\u0000u': 1 };
    if (Array.isArray(v)) return v.map((x) => enc(x, depth + 1));
    const out = {};
    for (const k of Object.keys(v)) out[k] = enc(v[k], depth + 1);
    return out;
  };
  const errors = { page: [], console: [] };
  const eh = { resolve, one, op, enc, errors, now, sleep, downloads: [] };
  window.__eh = eh;
  return eh;
}

/** Installs in-page collectors of uncaught errors and console.error calls (for engines without events). */
export function installErrorHooks() {
  if (window.__ehErrors) return;
  const errs = window.__ehErrors = { page: [], console: [] };
  addEventListener('error', (e) => errs.page.push(e.error ? `${e.error.name}: ${e.error.message}` : String(e.message)));
  addEventListener('unhandledrejection', (e) => errs.page.push(`Unhandled rejection: ${e.reason?.message ?? e.reason}`));
  const original = console.error;
  console.error = function (...args) { errs.console.push(args.map(String).join(' ')); return original.apply(this, args); };
}
