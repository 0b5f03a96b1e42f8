// Request-body validation (docs/api.md §5), the password policy, and IP / CIDR parsing.
import net from 'node:net';
import { validationError } from './errors.mjs';

/**
 * Parses and checks a JSON body against a schema:
 *   { field: { type: 'string'|'boolean'|'array', required?, max?, nullable?, check?(v) → code|null } }
 * `notEditable` lists known-but-read-only fields (FIELD_NOT_EDITABLE instead of FIELD_UNKNOWN).
 * Returns the parsed object or throws ApiError 4000 with every field error found.
 */
export function parseBody(text, schema, { notEditable = [] } = {}) {
  let body;
  if (text.trim() === '') body = {};
  else {
    try { body = JSON.parse(text); } catch { throw validationError([{ field: '$', code: 'MALFORMED_JSON' }]); }
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw validationError([{ field: '$', code: 'BODY_NOT_OBJECT' }]);
  const errors = [];
  for (const key of Object.keys(body)) {
    if (!(key in schema)) errors.push({ field: key, code: notEditable.includes(key) ? 'FIELD_NOT_EDITABLE' : 'FIELD_UNKNOWN' });
  }
  for (const [field, rule] of Object.entries(schema)) {
    const v = body[field];
    if (v === undefined) { if (rule.required) errors.push({ field, code: 'FIELD_REQUIRED' }); continue; }
    if (v === null && rule.nullable) continue;
    const type = Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
    if (type !== rule.type) { errors.push({ field, code: 'FIELD_TYPE' }); continue; }
    if (rule.type === 'string' && rule.max && [...v].length > rule.max) { errors.push({ field, code: 'FIELD_TOO_LONG' }); continue; }
    const code = rule.check?.(v);
    if (code) errors.push(...(Array.isArray(code) ? code : [{ field, code }]));
  }
  if (errors.length) throw validationError(errors);
  return body;
}

export const checkEmail = (v) => (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) ? null : 'FIELD_INVALID');
export const checkNotBlank = (v) => (v.trim() === '' ? 'FIELD_INVALID' : null);

/** Password policy; returns the list of violation codes (empty when acceptable). */
export function passwordViolations(password, { email, current } = {}) {
  const out = [];
  const length = [...password].length;
  if (length < 10) out.push('PASSWORD_TOO_SHORT');
  if (length > 128) out.push('PASSWORD_TOO_LONG');
  if (!/[A-Z]/.test(password)) out.push('PASSWORD_MISSING_UPPERCASE');
  if (!/[a-z]/.test(password)) out.push('PASSWORD_MISSING_LOWERCASE');
  if (!/[0-9]/.test(password)) out.push('PASSWORD_MISSING_DIGIT');
  if (email && password.toLowerCase() === email.toLowerCase()) out.push('PASSWORD_EQUALS_EMAIL');
  if (current !== undefined && password === current) out.push('PASSWORD_REUSED');
  return out;
}

export function assertPassword(field, password, context) {
  const codes = passwordViolations(password, context);
  if (codes.length) throw validationError(codes.map((code) => ({ field, code })));
}

// ---------- IP addresses ----------

function ipv6ToBigInt(text) {
  let s = text;
  let tail = [];
  const v4 = s.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (v4) {
    const n = ipv4ToBigInt(v4[1]);
    tail = [Number(n >> 16n), Number(n & 0xffffn)].map((x) => x.toString(16));
    s = s.slice(0, -v4[1].length) + '0:0';
  }
  const halves = s.split('::');
  const head = halves[0] ? halves[0].split(':') : [];
  const rest = halves.length > 1 && halves[1] ? halves[1].split(':') : [];
  const fill = Array(8 - head.length - rest.length).fill('0');
  const groups = halves.length > 1 ? [...head, ...fill, ...rest] : head;
  if (tail.length) groups.splice(6, 2, ...tail);
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g || '0', 16)), 0n);
}

function ipv4ToBigInt(text) {
  return text.split('.').reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n);
}

/** Parses an address into {version, value}; '::ffff:a.b.c.d' counts as IPv4. null if invalid. */
export function parseIp(text) {
  if (typeof text !== 'string') return null;
  const mapped = text.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i);
  const addr = mapped ? mapped[1] : text;
  const version = net.isIP(addr);
  if (version === 4) return { version, value: ipv4ToBigInt(addr) };
  if (version === 6) return { version, value: ipv6ToBigInt(addr) };
  return null;
}

/** Parses a whitelist entry (address or CIDR) into {version, value, prefix}; null if invalid. */
export function parseIpEntry(text) {
  if (typeof text !== 'string' || text !== text.trim()) return null;
  const [addr, prefixText, extra] = text.split('/');
  if (extra !== undefined) return null;
  if (addr.includes('%')) return null; // zone ids are not addresses a server sees
  const ip = parseIp(addr);
  if (!ip) return null;
  const bits = ip.version === 4 ? 32 : 128;
  if (prefixText === undefined) return { ...ip, prefix: bits };
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) return null;
  return { ...ip, prefix: Number(prefixText) };
}

export function ipMatches(entry, ip) {
  if (!entry || !ip || entry.version !== ip.version) return false;
  const bits = BigInt(entry.version === 4 ? 32 : 128);
  const shift = bits - BigInt(entry.prefix);
  return (entry.value >> shift) === (ip.value >> shift);
}

export const ipAllowed = (entries, clientIp) => entries.some((e) => ipMatches(parseIpEntry(e), parseIp(clientIp)));
