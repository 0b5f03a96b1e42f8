// Every error code the API answers, with its HTTP status: the server's codes of the project's
// error catalogue (spec/errors.json, docs/api.md §8). Handlers throw ApiError; the pipeline turns
// it into an envelope with a localized message.
import { readFileSync } from 'node:fs';

const CATALOGUE = JSON.parse(readFileSync(new URL('../spec/errors.json', import.meta.url), 'utf8'));
export const HTTP_STATUS = Object.freeze(Object.fromEntries(
  CATALOGUE.codes.filter((c) => c.origin !== 'client').map((c) => [c.code, c.status])));

export class ApiError extends Error {
  /** @param {string} code  a key of HTTP_STATUS
   *  @param {{fieldErrors?: {field: string, code: string}[], data?: any, retryAfter?: number}} [extra] */
  constructor(code, extra = {}) {
    super(code);
    if (!(code in HTTP_STATUS)) throw new Error(`unknown error code ${code}`);
    this.code = code;
    this.status = HTTP_STATUS[code];
    this.fieldErrors = extra.fieldErrors;
    this.retryAfter = extra.retryAfter;
    this.data = extra.retryAfter !== undefined ? { retryAfter: extra.retryAfter } : (extra.data ?? null);
  }
}

export const validationError = (fieldErrors) => new ApiError('4000', { fieldErrors });
export const fieldError = (field, code) => validationError([{ field, code }]);
