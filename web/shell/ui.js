// DOM helpers of the shell. Every string — ours or the server's — enters the page as a text
// node; nothing here ever assigns HTML. Forms get one submit handler that blocks double
// submission, shows a busy state, keeps the input on failure and puts errors next to fields.
import { t, has, errorText } from './i18n/index.js';

/** Creates an element. attrs: class, text, on<Event> listeners, boolean/other attributes. */
export function h(tag, attrs = {}, ...children) {
  const svg = tag.startsWith('svg:');
  const el = svg ? document.createElementNS('http://www.w3.org/2000/svg', tag.slice(4)) : document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') el.textContent = String(value);
    else if (name === 'class') el.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : value);
    else if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2).toLowerCase(), value);
    else if (name === 'value' && 'value' in el) el.value = value;
    else if (name === 'checked' && 'checked' in el) el.checked = Boolean(value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

let idCounter = 0;
export const uid = (prefix = 'f') => `${prefix}-${++idCounter}`;

/** The loading spinner (decorative; the busy text next to it is what is announced). */
export const spinner = () => h('span', { class: 'spinner', 'aria-hidden': 'true' });

/** A block shown while a screen loads its data. */
export function loading(label = t('common.loading')) {
  return h('div', { class: 'loading', role: 'status' }, spinner(), h('span', { text: label }));
}

/** An alert box. kind: error | success | info | warning. */
export function notice(kind, ...content) {
  const role = kind === 'error' || kind === 'warning' ? 'alert' : 'status';
  return h('div', { class: ['notice', `notice-${kind}`], role }, ...content);
}

/**
 * A labelled input. Returns the wrapper; the input is `.input`, the error slot `.error`.
 * `name` is the API's field name: field errors with that `field` land here.
 */
export function field({ name, label, type = 'text', value = '', autocomplete, hint, required = true,
  inputmode, maxlength, minlength, pattern, readonly, options, placeholder, spellcheck, list, autofocus }) {
  const id = uid(name.replace(/[^a-z0-9]/gi, '-'));
  const hintId = hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  let input;
  if (options) {
    input = h('select', { id, name, required }, options.map(([v, text]) => h('option', { value: v, text, selected: v === value })));
  } else {
    input = h('input', {
      id, name, type, value, autocomplete, required, inputmode, maxlength, minlength, pattern, readonly, placeholder,
      spellcheck, list, autofocus, autocapitalize: type === 'email' || autocomplete === 'one-time-code' ? 'off' : undefined,
    });
  }
  input.setAttribute('aria-describedby', [hintId, errorId].filter(Boolean).join(' '));
  const error = h('p', { class: 'field-error', id: errorId, hidden: true });
  const wrap = h('div', { class: 'field', 'data-field': name },
    h('label', { for: id, text: label }),
    hint ? h('p', { class: 'hint', id: hintId, text: hint }) : null,
    input, error);
  wrap.input = input;
  wrap.error = error;
  return wrap;
}

/** A password input with a show/hide toggle. */
export function passwordField(opts) {
  const wrap = field({ ...opts, type: 'password' });
  const toggle = h('button', {
    type: 'button', class: 'link-button reveal', 'aria-pressed': 'false',
    'aria-controls': wrap.input.id, text: t('common.showPassword'),
  });
  toggle.addEventListener('click', () => {
    const show = wrap.input.type === 'password';
    wrap.input.type = show ? 'text' : 'password';
    toggle.setAttribute('aria-pressed', String(show));
    toggle.textContent = show ? t('common.hidePassword') : t('common.showPassword');
  });
  wrap.input.after(toggle);  // after the input in the tab order; shown beside the label
  wrap.classList.add('field-password');
  return wrap;
}

export function button(label, attrs = {}) {
  return h('button', { type: 'button', class: 'button', ...attrs }, h('span', { class: 'button-label', text: label }));
}

/** Marks a button busy: disabled, spinner, aria-busy. Returns a function that restores it. */
export function setBusy(btn, busy) {
  btn.disabled = busy || btn.dataset.locked === 'true';  // a button paused by a countdown stays off
  btn.toggleAttribute('aria-busy', busy);
  btn.classList.toggle('is-busy', busy);
  const existing = btn.querySelector('.spinner');
  if (busy && !existing) btn.prepend(spinner());
  if (!busy && existing) existing.remove();
}

/**
 * Runs `task` for a button: no double submission, busy state, errors shown in `errorSlot`
 * (an element whose contents are replaced). Resolves to the task's value, or undefined on error.
 */
export async function runAction(btn, task, { errorSlot, fields, retryCountdown } = {}) {
  if (btn?.disabled) return undefined;
  if (btn) setBusy(btn, true);
  clearErrors(errorSlot, fields);
  try {
    return await task();
  } catch (error) {
    showError(error, { errorSlot, fields, retryCountdown });
    return undefined;
  } finally {
    if (btn && btn.isConnected) setBusy(btn, false);
  }
}

/**
 * Wires a form: `submit(values, form)` runs on submit with the trimmed values of its named
 * inputs (passwords untrimmed). Errors stay inline; the input is kept.
 */
export function onSubmit(form, submit) {
  let slot = form.querySelector('.form-errors');
  if (!slot) {
    slot = h('div', { class: 'form-errors' });
    form.prepend(slot);
  }
  form.noValidate = true;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const btn = event.submitter ?? form.querySelector('button[type=submit]');
    if (form.dataset.busy === 'true' || btn?.disabled) return;
    const fields = [...form.querySelectorAll('.field[data-field]')];
    clearErrors(slot, fields);
    const missing = fields.filter((f) => f.input?.required && !f.input.disabled && !f.input.value.trim());
    if (missing.length) {
      for (const f of missing) setFieldError(f, [t('common.required')]);
      missing[0].input.focus();
      return;
    }
    const values = {};
    for (const el of form.elements) {
      if (!el.name || el.disabled) continue;
      if (el.type === 'checkbox') values[el.name] = el.checked;
      else if (el.type === 'radio') { if (el.checked) values[el.name] = el.value; }
      else values[el.name] = el.type === 'password' || el.dataset.raw === 'true' ? el.value : el.value.trim();
    }
    form.dataset.busy = 'true';
    form.setAttribute('aria-busy', 'true');
    if (btn) setBusy(btn, true);
    try {
      await submit(values, form);
    } catch (error) {
      showError(error, { errorSlot: slot, fields });
    } finally {
      form.dataset.busy = 'false';
      form.removeAttribute('aria-busy');
      if (btn && btn.isConnected) setBusy(btn, false);
    }
  });
  return form;
}

function clearErrors(slot, fields = []) {
  if (slot) slot.replaceChildren();
  for (const f of fields) setFieldError(f, []);
}

export function setFieldError(wrap, messages) {
  const has = messages.length > 0;
  wrap.error.replaceChildren(...messages.map((m, i) => (i ? [h('br'), m] : m)).flat());
  wrap.error.hidden = !has;
  wrap.classList.toggle('has-error', has);
  if (has) wrap.input.setAttribute('aria-invalid', 'true');
  else wrap.input.removeAttribute('aria-invalid');
}

/**
 * Shows an error: the message in the slot (a role=alert box) and each field error next to
 * the field whose data-field equals its `field`; field errors with no field on screen are
 * listed in the box. Focuses the first invalid field, or the box.
 */
export function showError(error, { errorSlot, fields = [], retryCountdown = true } = {}) {
  if (!(error && typeof error === 'object' && 'code' in error)) {
    console.error(error);  // a bug in the shell: say so rather than hide it
  }
  // Server messages arrive localized; checks the client makes itself are worded here.
  const local = String(error?.code ?? '').startsWith('CLIENT.');
  const fieldText = (fe) => (local && has(`fieldError.${fe.code}`) ? t(`fieldError.${fe.code}`) : fe.message || fe.code);
  const byField = new Map();
  const unplaced = [];
  for (const fe of error?.fieldErrors ?? []) {
    const wrap = fields.find((f) => f.dataset.field === fe.field);
    if (wrap) byField.set(wrap, [...(byField.get(wrap) ?? []), fieldText(fe)]);
    else if (!local || has(`fieldError.${fe.code}`)) unplaced.push(fe);
  }
  for (const [wrap, messages] of byField) setFieldError(wrap, messages);
  // A validation failure is told by its fields, not by the bare "Validation failed".
  const validation = error?.code === '4000' || error?.code === 'CLIENT.INVALID_ARGUMENT';
  const title = validation && (byField.size || unplaced.length)
    ? t(byField.size ? 'error.CLIENT.INVALID_ARGUMENT' : 'error.fieldsBelow')
    : errorText(error);
  const explain = error?.code && has(`explain.${error.code}`) ? t(`explain.${error.code}`) : null;
  const wait = retryCountdown && error?.retryAfter ? h('p', { class: 'countdown' }) : null;
  const box = notice('error',
    h('p', { class: 'notice-title', text: title }),
    explain ? h('p', { text: explain }) : null,
    unplaced.length ? h('ul', {}, unplaced.map((fe) => h('li', { text: fieldText(fe) }))) : null,
    wait);
  if (wait) countdown(wait, error.retryAfter, (n) => waitText('common.retryIn', n));
  box.dataset.code = error?.code ?? 'UNKNOWN';
  // A success carried over from the previous step ("Your password is set.") must not stand
  // beside a new failure.
  // Only on the error's own screen: a late failure of a screen already left behind (its slot no
  // longer in the document) must not take the news off the screen that replaced it.
  const screen = errorSlot?.isConnected ? errorSlot.closest('.screen') : null;
  for (const old of screen?.querySelectorAll('.notice.flash') ?? []) old.remove();
  if (errorSlot) errorSlot.replaceChildren(box);
  const firstInvalid = [...byField.keys()][0];
  if (firstInvalid) firstInvalid.input.focus();
  else if (errorSlot) { box.tabIndex = -1; box.focus(); }
  return box;
}

/**
 * A countdown in `el` from `seconds` to 0; calls onDone at the end. Returns a cancel function.
 * It counts against a deadline, not ticks, so throttled timers (background tabs) stay right.
 */
export function countdown(el, seconds, format, onDone) {
  const deadline = Date.now() + Math.max(0, seconds) * 1000;
  let started = false;
  let timer = null;
  const tick = () => {
    if (started && !el.isConnected) { clearInterval(timer); return; }
    started = true;
    const left = Math.ceil((deadline - Date.now()) / 1000);
    if (left <= 0) { clearInterval(timer); el.textContent = ''; onDone?.(); return; }
    el.textContent = format(left);
  };
  timer = setInterval(tick, 1000);
  tick();
  return () => clearInterval(timer);
}

/** "in 42 s" or, from a minute up, "in 14 min 5 s": `key` has {n}, `key`Long has {m} and {s}. */
export function waitText(key, seconds) {
  if (seconds < 60) return t(key, { n: seconds });
  return t(`${key}Long`, { m: Math.floor(seconds / 60), s: seconds % 60 });
}

export function formatDate(iso, locale) {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** Copies text to the clipboard; returns true on success. */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** Offers `text` as a file download. */
export function downloadText(filename, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const a = h('a', { href: url, download: filename, class: 'visually-hidden' });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * A region that shows a loading indicator while `load()` runs, then `render(data, reload)`;
 * on failure the error and a retry button. `reload()` runs it again. Returns the element.
 */
export function asyncRegion(load, render, { label } = {}) {
  const region = h('div', { class: 'async-region' });
  const run = async (keep) => {
    region.setAttribute('aria-busy', 'true');
    if (!keep) region.replaceChildren(loading(label));
    try {
      const data = await load();
      region.replaceChildren(render(data, reload));
    } catch (error) {
      const slot = h('div');
      const retry = button(t('common.retry'), { class: 'button button-secondary' });
      retry.addEventListener('click', () => run(false));
      region.replaceChildren(slot, h('div', { class: 'actions' }, retry));
      showError(error, { errorSlot: slot });
    } finally {
      region.removeAttribute('aria-busy');
    }
  };
  // keep = true refreshes in place (no flash of the loading block), e.g. after an action.
  const reload = (keep = true) => run(keep);
  region.reload = reload;
  run(false);
  return region;
}
