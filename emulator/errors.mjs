// Every error code the API answers, with its HTTP status (docs/api.md §8). Handlers throw
// ApiError; the pipeline turns it into an envelope with a localized message.

export const HTTP_STATUS = Object.freeze({
  '4000': 400,
  '4010': 401,
  'PORTAL.ACCESS_CODE_INVALID': 401,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  '5000': 500,
  'AUTH.INVALID_CREDENTIALS': 401,
  'AUTH.MFA_CODE_INVALID': 400,
  'AUTH.LOGIN_SESSION_INVALID': 400,
  'AUTH.REGISTRATION_SESSION_INVALID': 400,
  'AUTH.RESET_SESSION_INVALID': 400,
  'AUTH.VERIFICATION_CODE_INVALID': 400,
  'AUTH.EMAIL_NOT_VERIFIED': 400,
  'AUTH.EMAIL_ALREADY_REGISTERED': 409,
  'AUTH.REFRESH_TOKEN_INVALID': 401,
  'AUTH.PASSWORD_INCORRECT': 400,
  'AUTH.PASSWORD_ALREADY_INITIALIZED': 409,
  'AUTH.OTP_SETUP_SESSION_INVALID': 400,
  'AUTH.OTP_ALREADY_ENABLED': 409,
  'AUTH.OTP_NOT_ENABLED': 409,
  'AUTH.ACCOUNT_PENDING_APPROVAL': 403,
  'AUTH.IP_NOT_ALLOWED': 403,
  'SECURITY.SESSION_NOT_FOUND': 404,
  'WORKSPACE.INVITATION_NOT_FOUND': 404,
  'WORKSPACE.INVITATION_EXPIRED': 409,
  'WORKSPACE.INVITATION_ALREADY_PROCESSED': 409,
  'WORKSPACE.NOT_FOUND': 404,
  'SECURE_CHANNEL.SESSION_INVALID': 401,
  'SECURE_CHANNEL.KEY_UNKNOWN': 400,
  'SECURE_CHANNEL.DECRYPT_FAILED': 400,
  'SECURE_CHANNEL.REPLAY': 400,
  'SECURE_CHANNEL.REQUIRED': 400,
});

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
