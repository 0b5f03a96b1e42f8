// Hand-written declarations of the portal-client ES module (web/portal-client.js). Their doc
// comments are the API reference: scripts/docs renders them with TypeDoc (build/api-docs/).

/**
 * portal-client: a WebAssembly client for the portal authentication and onboarding API.
 *
 * ```js
 * import { createPortalClient, PortalError } from 'portal-client';
 * const client = await createPortalClient({ portal: 'system', portalAccessCode });
 * let next = await client.signIn({ email, password });
 * if (next.step === 'MFA_REQUIRED') {
 *   await client.sendMfaCode('EMAIL');
 *   next = await client.confirmSignIn({ method: 'EMAIL', code });
 * }
 * ```
 *
 * Every method that talks to the API returns a Promise that rejects with one {@link PortalError};
 * its `code` is one of {@link PortalErrorCode}. Besides the codes each method lists, any of them
 * can reject with the {@link TransportErrorCode | transport and channel codes}. Bad arguments
 * throw a `TypeError` synchronously, before anything is sent.
 *
 * The API must be same-origin with the page (or behind a reverse proxy): see
 * `docs/integration.md` in the package.
 *
 * @packageDocumentation
 */

// generated:names (scripts/generate.mjs, from spec/operations.json)
/** The portals of the API (spec/operations.json). */
export type Portal = 'system' | 'tenant' | 'consumer';
/** The languages of the API's messages (spec/operations.json). */
export type Locale = 'en' | 'zh' | 'zh-Hant' | 'ja' | 'vi';
// /generated:names (scripts/generate.mjs, from spec/operations.json)
/** A second factor. */
export type MfaMethod = 'EMAIL' | 'OTP' | 'BACKUP_CODE';

/** An enum as the API sends it; decode by `code`. */
export interface EnumValue<C extends string = string> {
  code: C;
  value: number;
  label: string;
}

/** A per-field failure. `field` is a body field ('newPassword'), an indexed entry ('entries[2]')
 * or '$'. Client-side codes include IP_ENTRY_INVALID, IP_CIDR_HOST_BITS and,
 * on CLIENT.IP_WHITELIST_LOCKOUT, {field: 'clientIp', code: 'CURRENT_IP', message: <the address>}. */
export interface FieldError {
  field: string;
  code: string;
  message: string;
}

/**
 * Codes any call that reaches the network can reject with, whatever the method:
 *
 * - `CLIENT.NETWORK` (kind `transport`): the request did not complete (offline, DNS, timeout
 *   after `requestTimeoutMs`).
 * - `CLIENT.CORS_BLOCKED` (kind `transport`): the browser refused a cross-origin request while
 *   online — the API is on another origin and does not answer CORS. Serve it same-origin or
 *   behind a reverse proxy (docs/integration.md).
 * - `PORTAL.ACCESS_CODE_INVALID` (HTTP 401): the server does not accept `portalAccessCode` for
 *   this portal. A deployment error, not a session end: nothing is refreshed or signed out.
 * - `CLIENT.HTTP_5XX`, `5000`: the server failed. `CLIENT.BAD_RESPONSE`: an unreadable or
 *   oversized (over 1 MiB) answer. `NOT_FOUND`, `METHOD_NOT_ALLOWED`, `PAYLOAD_TOO_LARGE`: the
 *   server does not serve this API version.
 * - `4000` (with `fieldErrors`): the server refused the input. `RATE_LIMITED` (HTTP 429, with
 *   `retryAfter`).
 * - `SECURE_CHANNEL.*`: the encrypted channel could not be set up or an answer failed to
 *   authenticate (`DOWNGRADE`, `DECRYPT_FAILED`, `KEY_NOT_PINNED`, …).
 * - `CLIENT.ABORTED` (the `signal` fired), `CLIENT.DISPOSED` (the client was disposed),
 *   `CLIENT.LOAD_FAILED` / `CLIENT.NO_CRYPTO` / `CLIENT.SELF_TEST_FAILED` (the module did not load;
 *   on a call, `CLIENT.SELF_TEST_FAILED`: the channel's cipher gave three different answers for one
 *   request or response, an engine fault; nothing was sent or returned).
 */
export type TransportErrorCode =
  | 'CLIENT.NETWORK'
  | 'CLIENT.CORS_BLOCKED'
  | 'CLIENT.HTTP_5XX'
  | 'CLIENT.BAD_RESPONSE'
  | 'CLIENT.ABORTED'
  | 'CLIENT.DISPOSED'
  | 'CLIENT.LOAD_FAILED'
  | 'CLIENT.NO_CRYPTO'
  | 'CLIENT.SELF_TEST_FAILED'
  | 'PORTAL.ACCESS_CODE_INVALID'
  | '4000'
  | '5000'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'SECURE_CHANNEL.CLOSED'
  | 'SECURE_CHANNEL.CONFIRM_FAILED'
  | 'SECURE_CHANNEL.DECRYPT_FAILED'
  | 'SECURE_CHANNEL.DOWNGRADE'
  | 'SECURE_CHANNEL.INVALID_KEY'
  | 'SECURE_CHANNEL.KEY_NOT_PINNED'
  | 'SECURE_CHANNEL.KEY_UNKNOWN'
  | 'SECURE_CHANNEL.MALFORMED'
  | 'SECURE_CHANNEL.REPLAY'
  | 'SECURE_CHANNEL.REQUIRED'
  | 'SECURE_CHANNEL.RESPONSE_MISMATCH'
  | 'SECURE_CHANNEL.SEQ_EXHAUSTED'
  | 'SECURE_CHANNEL.SESSION_INVALID'
  | 'SECURE_CHANNEL.UNSUPPORTED_SUITE';

// generated:errors (scripts/generate.mjs, from spec/errors.json)
/** Every code a {@link PortalError} can carry: spec/errors.json, listed in the README. */
export type PortalErrorCode =
  | '4000'
  | '4010'
  | '5000'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'PORTAL.ACCESS_CODE_INVALID'
  | 'AUTH.INVALID_CREDENTIALS'
  | 'AUTH.MFA_CODE_INVALID'
  | 'AUTH.LOGIN_SESSION_INVALID'
  | 'AUTH.REGISTRATION_SESSION_INVALID'
  | 'AUTH.RESET_SESSION_INVALID'
  | 'AUTH.VERIFICATION_CODE_INVALID'
  | 'AUTH.EMAIL_NOT_VERIFIED'
  | 'AUTH.EMAIL_ALREADY_REGISTERED'
  | 'AUTH.REFRESH_TOKEN_INVALID'
  | 'AUTH.PASSWORD_INCORRECT'
  | 'AUTH.PASSWORD_ALREADY_INITIALIZED'
  | 'AUTH.OTP_SETUP_SESSION_INVALID'
  | 'AUTH.OTP_ALREADY_ENABLED'
  | 'AUTH.OTP_NOT_ENABLED'
  | 'AUTH.ACCOUNT_PENDING_APPROVAL'
  | 'AUTH.IP_NOT_ALLOWED'
  | 'SECURITY.SESSION_NOT_FOUND'
  | 'WORKSPACE.INVITATION_NOT_FOUND'
  | 'WORKSPACE.INVITATION_EXPIRED'
  | 'WORKSPACE.INVITATION_ALREADY_PROCESSED'
  | 'WORKSPACE.NOT_FOUND'
  | 'SECURE_CHANNEL.SESSION_INVALID'
  | 'SECURE_CHANNEL.KEY_UNKNOWN'
  | 'SECURE_CHANNEL.DECRYPT_FAILED'
  | 'SECURE_CHANNEL.REPLAY'
  | 'SECURE_CHANNEL.REQUIRED'
  | 'SECURE_CHANNEL.UNSUPPORTED_SUITE'
  | 'SECURE_CHANNEL.KEY_NOT_PINNED'
  | 'SECURE_CHANNEL.MALFORMED'
  | 'SECURE_CHANNEL.INVALID_KEY'
  | 'SECURE_CHANNEL.CONFIRM_FAILED'
  | 'SECURE_CHANNEL.RESPONSE_MISMATCH'
  | 'SECURE_CHANNEL.DOWNGRADE'
  | 'SECURE_CHANNEL.SEQ_EXHAUSTED'
  | 'SECURE_CHANNEL.CLOSED'
  | 'CLIENT.INVALID_ARGUMENT'
  | 'CLIENT.UNKNOWN_OPERATION'
  | 'CLIENT.IP_WHITELIST_LOCKOUT'
  | 'CLIENT.IP_WHITELIST_EMPTY'
  | 'CLIENT.NOT_SIGNED_IN'
  | 'CLIENT.ALREADY_SIGNED_IN'
  | 'CLIENT.NO_SIGN_IN'
  | 'CLIENT.NO_REGISTRATION'
  | 'CLIENT.NO_PASSWORD_RESET'
  | 'CLIENT.EMAIL_NOT_VERIFIED'
  | 'CLIENT.SIGN_IN_EXPIRED'
  | 'CLIENT.REGISTRATION_EXPIRED'
  | 'CLIENT.PASSWORD_RESET_EXPIRED'
  | 'CLIENT.SESSION_EXPIRED'
  | 'CLIENT.OUT_OF_ORDER'
  | 'CLIENT.STATE_NOT_EMPTY'
  | 'CLIENT.NETWORK'
  | 'CLIENT.CORS_BLOCKED'
  | 'CLIENT.OFFLINE'
  | 'CLIENT.HTTP_5XX'
  | 'CLIENT.HTTP_STATUS'
  | 'CLIENT.BAD_RESPONSE'
  | 'CLIENT.ABORTED'
  | 'CLIENT.DISPOSED'
  | 'CLIENT.LOAD_FAILED'
  | 'CLIENT.NO_CRYPTO'
  | 'CLIENT.SELF_TEST_FAILED';
// /generated:errors (scripts/generate.mjs, from spec/errors.json)

/** The one error class: every rejection of the module is a PortalError, whose `code` is one of
 * {@link PortalErrorCode}. Tell failures apart by `code`; `kind` says whose fault it is. */
export class PortalError extends Error {
  /** Used by the module; an application has no reason to construct one. */
  constructor(init: {
    code: PortalErrorCode;
    message?: string;
    status?: number;
    retryAfter?: number | null;
    remainingAttempts?: number | null;
    fieldErrors?: FieldError[];
    kind?: PortalError['kind'];
  });
  readonly name: 'PortalError';
  /** What failed: one of {@link PortalErrorCode}. */
  readonly code: PortalErrorCode;
  /** HTTP status, 0 when no response was involved. */
  readonly status: number;
  /** Seconds to wait, from Retry-After on HTTP 429; null otherwise. */
  readonly retryAfter: number | null;
  /** Failed attempts left before the server pauses them (AUTH.INVALID_CREDENTIALS on sign-in),
   * when the server says so; null otherwise. */
  readonly remainingAttempts: number | null;
  /** Per-field failures (on `4000`, `CLIENT.INVALID_ARGUMENT`, `CLIENT.IP_WHITELIST_LOCKOUT`). */
  readonly fieldErrors: FieldError[];
  /** Whose fault: `caller` (bad input), `order` (a call out of order), `protocol` (an answer that
   * breaks the contract), `auth` (the session ended), `server` (the server refused or failed),
   * `transport` (no answer: network, CORS, timeout, abort, load). */
  readonly kind: 'caller' | 'order' | 'protocol' | 'auth' | 'server' | 'transport';
}

/** The options of {@link createPortalClient}. */
export interface PortalClientOptions {
  /** Origin of the portal API; defaults to the page's origin. Another origin than the page's is
   * refused by the browser unless the API answers CORS: keep the API same-origin or behind a
   * reverse proxy (docs/integration.md). A cross-origin baseUrl logs one console warning, and a
   * request the browser blocks rejects with `CLIENT.CORS_BLOCKED`. */
  baseUrl?: string;
  /** Which portal's API to use (the `/web/v1/{portal}` prefix). */
  portal: Portal;
  /** The portal's access code (`X-PORTAL-ACCESS-CODE`); a wrong one makes every call reject with
   * `PORTAL.ACCESS_CODE_INVALID`. */
  portalAccessCode: string;
  /** The language of server messages and labels (default 'en'). */
  locale?: Locale;
  /** 'required' (default): every body is encrypted, never a plaintext fallback. */
  secureChannel?: 'required' | 'off';
  /** base64url X25519 server keys; when non-empty, any other key is refused. */
  pinnedKeys?: string[];
  /** Where the session lives (docs/integration.md, "Persistence"):
   * - 'memory' (default): nothing is stored and no token leaves the tab; a reload signs out.
   * - 'session': sessionStorage — tokens and an in-progress sign-in survive reloads of this tab.
   * - 'local': localStorage — the session survives closing the browser and is shared by every tab
   *   of the origin. Longest exposure: any script that runs on the origin (XSS) can read it.
   *   Under Node (no Web Storage) every value keeps the session in memory. */
  persist?: 'memory' | 'session' | 'local';
  /** The fetch to use (default: globalThis.fetch). */
  fetch?: typeof fetch;
  /** Milliseconds before a request is abandoned with `CLIENT.NETWORK` (default 30000). */
  requestTimeoutMs?: number;
  /** How long before the access token expires it is refreshed, in milliseconds. */
  refreshLeewayMs?: number;
  /** Where to fetch portal-core.wasm (default: beside portal-client.js). Set it when a dev server
   * pre-bundles the package: `import wasmUrl from 'portal-client/portal-core.wasm?url'`.
   * Under Node a file: URL is read from disk. */
  wasmUrl?: string;
  /** portal-core.wasm already compiled, or a promise of it, instead of `wasmUrl`: for a page that
   * starts the download and compile itself, ahead of its own modules, e.g. from a classic script:
   * `WebAssembly.compileStreaming(fetch('/portal-client/portal-core.wasm'))`. A rejection, or
   * anything but a WebAssembly.Module, rejects with `CLIENT.LOAD_FAILED`. Like `wasmUrl`, used by
   * the first client of the page only: the module is loaded once. */
  wasmModule?: WebAssembly.Module | PromiseLike<WebAssembly.Module>;
  /** `navigator.locks.query()` as the page asked it ahead of its own modules (the same early
   * script as `wasmModule`), instead of the query the client makes while it starts. With `persist`
   * 'session' or 'local' a new client asks the other tabs for their session only when a tab holds
   * the signed-in lock; a browser busy loading the page took 10–50 ms to answer the query. A
   * rejection, or an answer without `held` and `pending` lists, counts as no answer: the other
   * tabs are asked, as without Web Locks. Ignored with 'memory'. */
  lockSnapshot?: PromiseLike<LockManagerSnapshot>;
}

/** Per-call options of every PortalClient method. */
export interface CallOptions {
  /** Aborting it rejects the call with `CLIENT.ABORTED` at once; a late answer is ignored. */
  signal?: AbortSignal;
}

/** Where the application should go next, decided by the core after sign-in. */
export type RouteName =
  | 'APP'
  | 'SELECT_WORKSPACE'
  | 'CREATE_WORKSPACE'
  | 'INVITATIONS'
  | 'PASSWORD_INIT'
  | 'MFA_SETUP'
  | 'PENDING_APPROVAL'
  /** The account's status is one this client does not know: show a contact-support notice. */
  | 'ACCOUNT_BLOCKED';

/** A routing decision: switch on `name`. */
export interface Route {
  name: RouteName;
  /** The workspace to enter (APP only). */
  workspaceBizId?: string;
  /** Pending, unexpired invitations. */
  pendingInvitations: number;
}

/** The outcome of {@link PortalClient.signIn}: a second factor is needed, or signed in. */
export type SignInStep =
  | { step: 'MFA_REQUIRED'; methods: MfaMethod[] }
  | { step: 'DONE'; route: Route };

/** The client's authentication state ({@link PortalClient.authState}, `authStateChange`). */
export interface AuthState {
  state: 'SIGNED_OUT' | 'SIGNING_IN' | 'REGISTERING' | 'RESETTING_PASSWORD' | 'SIGNED_IN';
  /** The pre-login step under way, so a reloaded page (persist 'session' or 'local') can rebuild
   *  it: MFA_REQUIRED while SIGNING_IN; VERIFY_EMAIL or COMPLETE_REGISTRATION while REGISTERING;
   *  RESET_PASSWORD while RESETTING_PASSWORD. */
  step?: 'MFA_REQUIRED' | 'VERIFY_EMAIL' | 'COMPLETE_REGISTRATION' | 'RESET_PASSWORD';
  /** While SIGNING_IN: the second factors the account offers. */
  methods?: MfaMethod[];
  /** While REGISTERING or RESETTING_PASSWORD: the address the code was sent to. */
  email?: string;
  /** Why the state changed: USER, SESSION_EXPIRED, REFRESH_FAILED, OTHER_TAB, TERMINATED, PEER,
   *  SIGN_IN_EXPIRED, REGISTRATION_EXPIRED, PASSWORD_RESET_EXPIRED. */
  reason?: string;
}

/** The signed-in account ({@link PortalClient.getProfile}). */
export interface Profile {
  bizId: string;
  institutionBizId: string;
  accountEmail: string;
  accountPhone: string | null;
  accountName: string;
  accountRemark: string | null;
  accountPortal: EnumValue<'SYSTEM' | 'TENANT' | 'CONSUMER'>;
  accountStatus: EnumValue<'INVITED' | 'ACTIVE' | 'PENDING_APPROVAL'>;
  createdAt: string;
  updatedAt: string;
  defaultLanguage: string;
  defaultTimezone: string;
  defaultCountry: string;
}

/** The editable fields of a {@link Profile}; omitted fields are left as they are. */
export interface ProfileUpdate {
  accountName?: string;
  accountPhone?: string | null;
  defaultLanguage?: string;
  defaultTimezone?: string;
  defaultCountry?: string;
}

/** One second factor of the account and whether it is on. */
export interface MfaFactor {
  mfaMethod: EnumValue<MfaMethod>;
  isEnabled: boolean;
  remainingCodes?: number;
}

/** An OTP enrolment in progress ({@link PortalClient.setupOtp}). */
export interface OtpSetup {
  secret: string;
  issuer: string;
  /** Built by the client with label and issuer percent-encoded. */
  otpauthUri: string;
  /** The server's own qrCodeUri, as sent. */
  serverUri: string;
}

/** The account's IP whitelist. */
export interface IpWhitelist {
  enabled: boolean;
  entries: string[];
}

/** One session of the account ({@link PortalClient.listSessions}). */
export interface AuthSession {
  sessionId: string;
  clientIp: string;
  userAgent?: string;
  createdAt?: string;
  lastSeenAt?: string;
  isCurrent: boolean;
}

/** An invitation to a workspace. */
export interface Invitation {
  invitationBizId: string;
  workspaceBizId: string;
  workspaceName: string;
  invitedBy: string;
  role: EnumValue;
  status: EnumValue<'PENDING' | 'ACCEPTED' | 'DECLINED' | 'EXPIRED'>;
  expiresAt: string;
}

/** The outcome of {@link PortalClient.acceptInvitation}. */
export interface InvitationAccepted {
  workspaceBizId: string;
  becameDefaultWorkspace: boolean;
  nextAction: EnumValue<'ENTER_ACCEPTED_WORKSPACE' | 'STAY_ON_CURRENT_WORKSPACE'>;
  /** The next route; null when the action succeeded but re-routing could not be fetched. */
  route: Route | null;
}

/** A workspace the account belongs to. */
export interface Workspace {
  workspaceBizId: string;
  workspaceName: string;
  role: EnumValue<'OWNER' | 'ADMIN' | 'MEMBER'>;
  isDefault: boolean;
}

/** The events of {@link PortalClient.on} and their payloads. */
export interface PortalClientEvents {
  authStateChange: AuthState;
  tokenRefreshed: Record<string, never>;
  signedOut: { reason: 'USER' | 'SESSION_EXPIRED' | 'REFRESH_FAILED' | 'OTHER_TAB' | 'TERMINATED' };
  routeChange: Route;
}

/** The names of the events of {@link PortalClient.on}, e.g. to subscribe to each of them. */
export const EVENTS: readonly (keyof PortalClientEvents)[];
/** Every portal, as {@link PortalClientOptions.portal} accepts them. */
export const PORTALS: readonly Portal[];
/** Every locale, as {@link PortalClientOptions.locale} and {@link PortalClient.setLocale} accept them. */
export const LOCALES: readonly Locale[];

/**
 * A signed-in (or signing-in) user of one portal. Create it with {@link createPortalClient}.
 *
 * Every method that talks to the API resolves with the documented value or rejects with a
 * {@link PortalError}. Each lists the codes specific to it; any can also reject with the
 * {@link TransportErrorCode | transport and channel codes}. Methods that need a session reject
 * with `CLIENT.NOT_SIGNED_IN` when there is none, and with `4010` when the session ended
 * (after one refresh and one retry; the client is then signed out).
 */
export class PortalClient {
  /** The portal this client talks to. */
  readonly portal: Portal;
  /** This browser's client hash (64 hex characters), sent as `X-Client-Hash`. */
  readonly clientHash: string;
  /** The last auth state. */
  readonly authState: AuthState;
  /** The last route the core decided, or null (signed out). */
  readonly route: Route | null;

  /**
   * Starts a sign-in with email and password.
   * @returns `{step: 'MFA_REQUIRED', methods}` when a second factor is needed (then
   *   {@link sendMfaCode} and {@link confirmSignIn}), or `{step: 'DONE', route}` when signed in.
   * @throws {@link PortalError} `AUTH.INVALID_CREDENTIALS` (email or password wrong),
   *   `AUTH.ACCOUNT_PENDING_APPROVAL`, `AUTH.IP_NOT_ALLOWED`, `RATE_LIMITED` (too many failed
   *   attempts; `retryAfter`), `CLIENT.ALREADY_SIGNED_IN`, `4000`.
   */
  signIn(args: { email: string; password: string }, options?: CallOptions): Promise<SignInStep>;
  /**
   * Sends (or resends) the sign-in code by email.
   * @returns where it went (`sentTo`, masked) and the seconds before a resend is allowed.
   * @throws {@link PortalError} `RATE_LIMITED` (too soon; `retryAfter`), `CLIENT.NO_SIGN_IN` (no
   *   sign-in waiting for MFA), `CLIENT.SIGN_IN_EXPIRED`, `AUTH.LOGIN_SESSION_INVALID`.
   */
  sendMfaCode(method?: 'EMAIL', options?: CallOptions): Promise<{ sentTo: string; resendAfter: number }>;
  /**
   * Completes the sign-in with the second factor.
   * @returns `{step: 'DONE', route}`: signed in; go where `route.name` says.
   * @throws {@link PortalError} `AUTH.MFA_CODE_INVALID` (wrong code: try again),
   *   `AUTH.LOGIN_SESSION_INVALID` / `CLIENT.SIGN_IN_EXPIRED` (start again with {@link signIn}),
   *   `CLIENT.NO_SIGN_IN`, `RATE_LIMITED`.
   */
  confirmSignIn(args: { method: MfaMethod; code: string }, options?: CallOptions): Promise<{ step: 'DONE'; route: Route }>;
  /**
   * Signs out: locally at once (event `signedOut`, reason `USER`), then revokes the session on the
   * server. Always ends signed out, even when the server cannot be reached.
   * @returns null.
   * @throws {@link PortalError} `CLIENT.DISPOSED` only; server failures are not reported.
   */
  signOut(options?: CallOptions): Promise<null>;
  /**
   * Refreshes the access token now (the client also does it by itself before expiry and on
   * `4010`; one refresh at a time across tabs).
   * @returns the new access token's expiry (epoch ms).
   * @throws {@link PortalError} `AUTH.REFRESH_TOKEN_INVALID` (the session ended: signed out,
   *   reason `REFRESH_FAILED`), `CLIENT.NOT_SIGNED_IN`.
   */
  refreshSession(options?: CallOptions): Promise<{ accessExpiresAt: number }>;
  /**
   * Starts (or, after a 429, keeps) a registration and mails a code.
   * @returns `{step: 'VERIFY_EMAIL'}`: next, {@link verifyRegistrationEmail}.
   * @throws {@link PortalError} `AUTH.EMAIL_ALREADY_REGISTERED`, `RATE_LIMITED`,
   *   `CLIENT.ALREADY_SIGNED_IN`, `4000`.
   */
  register(args: { email: string }, options?: CallOptions): Promise<{ step: 'VERIFY_EMAIL' }>;
  /**
   * Confirms the registration email with its code.
   * @returns `{step: 'COMPLETE_REGISTRATION'}`: next, {@link completeRegistration}.
   * @throws {@link PortalError} `AUTH.VERIFICATION_CODE_INVALID`, `AUTH.REGISTRATION_SESSION_INVALID`,
   *   `CLIENT.REGISTRATION_EXPIRED`, `CLIENT.NO_REGISTRATION`.
   */
  verifyRegistrationEmail(args: { code: string }, options?: CallOptions): Promise<{ step: 'COMPLETE_REGISTRATION' }>;
  /**
   * Creates the account and signs in.
   * @returns `{step: 'DONE', route}`.
   * @throws {@link PortalError} `4000` (password policy, in `fieldErrors`), `AUTH.EMAIL_NOT_VERIFIED`,
   *   `CLIENT.EMAIL_NOT_VERIFIED`, `AUTH.REGISTRATION_SESSION_INVALID`, `CLIENT.REGISTRATION_EXPIRED`,
   *   `CLIENT.NO_REGISTRATION`.
   */
  completeRegistration(args: { accountName: string; password: string }, options?: CallOptions): Promise<{ step: 'DONE'; route: Route }>;
  /**
   * Mails a password-reset code (whether or not the account exists).
   * @returns `{step: 'RESET_PASSWORD'}`: next, {@link resetPassword}.
   * @throws {@link PortalError} `RATE_LIMITED`, `CLIENT.ALREADY_SIGNED_IN`, `4000`.
   */
  forgotPassword(args: { email: string }, options?: CallOptions): Promise<{ step: 'RESET_PASSWORD' }>;
  /**
   * Sets a new password with the mailed code. A reset ends every session of the account, this
   * tab's included.
   * @returns `{step: 'DONE'}`: sign in with the new password.
   * @throws {@link PortalError} `AUTH.VERIFICATION_CODE_INVALID`, `AUTH.RESET_SESSION_INVALID`,
   *   `CLIENT.PASSWORD_RESET_EXPIRED`, `CLIENT.NO_PASSWORD_RESET`, `RATE_LIMITED`, `4000`.
   */
  resetPassword(args: { code: string; newPassword: string }, options?: CallOptions): Promise<{ step: 'DONE' }>;
  /**
   * Sets the first password of an invited account (route `PASSWORD_INIT`).
   * @returns the next route, or null when it could not be fetched.
   * @throws {@link PortalError} `AUTH.PASSWORD_ALREADY_INITIALIZED`, `4000`, `4010`, `CLIENT.NOT_SIGNED_IN`.
   */
  initPassword(args: { newPassword: string }, options?: CallOptions): Promise<{ route: Route | null }>;
  /**
   * Changes the password (re-authenticating with the current one).
   * @returns null.
   * @throws {@link PortalError} `AUTH.PASSWORD_INCORRECT`, `RATE_LIMITED`, `4000`, `4010`,
   *   `CLIENT.NOT_SIGNED_IN`.
   */
  changePassword(args: { currentPassword: string; newPassword: string }, options?: CallOptions): Promise<null>;

  /**
   * Reads the signed-in account.
   * @returns the profile.
   * @throws {@link PortalError} `4010`, `CLIENT.NOT_SIGNED_IN`, `AUTH.IP_NOT_ALLOWED`.
   */
  getProfile(options?: CallOptions): Promise<Profile>;
  /**
   * Updates the editable profile fields.
   * @returns the updated profile.
   * @throws {@link PortalError} `4000` (`fieldErrors`), `4010`, `CLIENT.NOT_SIGNED_IN`.
   */
  updateProfile(args: ProfileUpdate, options?: CallOptions): Promise<Profile>;

  /**
   * Lists the account's second factors.
   * @returns one entry per method.
   * @throws {@link PortalError} `4010`, `CLIENT.NOT_SIGNED_IN`.
   */
  getMfaState(options?: CallOptions): Promise<MfaFactor[]>;
  /**
   * Starts OTP enrolment.
   * @returns the secret and an otpauth URI to show as a QR code; next, {@link verifyOtp}.
   * @throws {@link PortalError} `AUTH.OTP_ALREADY_ENABLED`, `4010`, `CLIENT.NOT_SIGNED_IN`.
   */
  setupOtp(options?: CallOptions): Promise<OtpSetup>;
  /**
   * Confirms OTP enrolment with a code from the authenticator.
   * @returns the next route (e.g. leaving `MFA_SETUP`), or null.
   * @throws {@link PortalError} `AUTH.MFA_CODE_INVALID`, `AUTH.OTP_SETUP_SESSION_INVALID`, `4010`,
   *   `CLIENT.NOT_SIGNED_IN`.
   */
  verifyOtp(args: { code: string }, options?: CallOptions): Promise<{ route: Route | null }>;
  /**
   * Turns OTP off (re-authenticating with the password).
   * @returns null.
   * @throws {@link PortalError} `AUTH.PASSWORD_INCORRECT`, `AUTH.OTP_NOT_ENABLED`, `4010`,
   *   `CLIENT.NOT_SIGNED_IN`.
   */
  revokeOtp(args: { password: string }, options?: CallOptions): Promise<null>;
  /**
   * Generates a new set of backup codes (the old ones stop working).
   * @returns the codes, shown once.
   * @throws {@link PortalError} `4010`, `CLIENT.NOT_SIGNED_IN`.
   */
  generateBackupCodes(options?: CallOptions): Promise<{ codes: string[] }>;
  /**
   * Reads the IP whitelist.
   * @returns whether it is enabled, and its entries.
   * @throws {@link PortalError} `4010`, `CLIENT.NOT_SIGNED_IN`.
   */
  getIpWhitelist(options?: CallOptions): Promise<IpWhitelist>;
  /**
   * Replaces the IP whitelist. Entries are checked first (IPv4, IPv6, CIDR).
   * @returns the saved list.
   * @throws {@link PortalError} `CLIENT.INVALID_ARGUMENT` (bad entries, in `fieldErrors`),
   *   `CLIENT.IP_WHITELIST_LOCKOUT` (the list excludes this session's address; pass
   *   `confirmLockout: true` to save anyway), `CLIENT.IP_WHITELIST_EMPTY`, `4000`, `4010`,
   *   `CLIENT.NOT_SIGNED_IN`.
   */
  saveIpWhitelist(args: { entries: string[]; confirmLockout?: boolean }, options?: CallOptions): Promise<IpWhitelist>;
  /**
   * Enables or disables the IP whitelist.
   * @returns null.
   * @throws {@link PortalError} `CLIENT.IP_WHITELIST_LOCKOUT`, `CLIENT.IP_WHITELIST_EMPTY`, `4010`,
   *   `CLIENT.NOT_SIGNED_IN`.
   */
  setIpWhitelistEnabled(args: { enabled: boolean; confirmLockout?: boolean }, options?: CallOptions): Promise<null>;
  /**
   * Lists the account's sessions.
   * @returns the sessions; `isCurrent` marks this one.
   * @throws {@link PortalError} `4010`, `CLIENT.NOT_SIGNED_IN`.
   */
  listSessions(options?: CallOptions): Promise<AuthSession[]>;
  /**
   * Ends one session. Terminating the current session signs this client out (reason TERMINATED).
   * @returns null.
   * @throws {@link PortalError} `SECURITY.SESSION_NOT_FOUND`, `4010`, `CLIENT.NOT_SIGNED_IN`.
   */
  terminateSession(args: { sessionId: string }, options?: CallOptions): Promise<null>;
  /**
   * Ends every session of the account but this one.
   * @returns null.
   * @throws {@link PortalError} `4010`, `CLIENT.NOT_SIGNED_IN`.
   */
  terminateOtherSessions(options?: CallOptions): Promise<null>;

  /**
   * Lists the account's invitations.
   * @returns every invitation with its status.
   * @throws {@link PortalError} `4010`, `CLIENT.NOT_SIGNED_IN`.
   */
  listInvitations(options?: CallOptions): Promise<Invitation[]>;
  /**
   * Accepts an invitation.
   * @returns the workspace, what to do next and the next route.
   * @throws {@link PortalError} `WORKSPACE.INVITATION_NOT_FOUND`, `WORKSPACE.INVITATION_EXPIRED`,
   *   `WORKSPACE.INVITATION_ALREADY_PROCESSED`, `4010`, `CLIENT.NOT_SIGNED_IN`.
   */
  acceptInvitation(args: { invitationBizId: string }, options?: CallOptions): Promise<InvitationAccepted>;
  /**
   * Declines an invitation.
   * @returns the next route, or null.
   * @throws {@link PortalError} `WORKSPACE.INVITATION_NOT_FOUND`, `WORKSPACE.INVITATION_EXPIRED`,
   *   `WORKSPACE.INVITATION_ALREADY_PROCESSED`, `4010`, `CLIENT.NOT_SIGNED_IN`.
   */
  declineInvitation(args: { invitationBizId: string }, options?: CallOptions): Promise<{ route: Route | null }>;
  /**
   * Lists the account's workspaces.
   * @returns the workspaces; `isDefault` marks the default one.
   * @throws {@link PortalError} `4010`, `CLIENT.NOT_SIGNED_IN`.
   */
  listWorkspaces(options?: CallOptions): Promise<Workspace[]>;
  /**
   * Creates a workspace (route `CREATE_WORKSPACE`).
   * @returns the workspace and the next route.
   * @throws {@link PortalError} `4000`, `4010`, `CLIENT.NOT_SIGNED_IN`.
   */
  createWorkspace(args: { workspaceName: string }, options?: CallOptions): Promise<Workspace & { route: Route | null }>;
  /**
   * Makes a workspace the default (route `SELECT_WORKSPACE`).
   * @returns the next route, or null.
   * @throws {@link PortalError} `WORKSPACE.NOT_FOUND`, `4010`, `CLIENT.NOT_SIGNED_IN`.
   */
  selectWorkspace(args: { workspaceBizId: string }, options?: CallOptions): Promise<{ route: Route | null }>;
  /**
   * Re-fetches profile, workspaces and invitations and decides the route again (e.g. after a
   * reload with `persist: 'session'`).
   * @returns the route.
   * @throws {@link PortalError} `4010`, `CLIENT.NOT_SIGNED_IN`.
   */
  bootstrap(options?: CallOptions): Promise<{ route: Route }>;
  /** May the account open `name` now? When not, go to `route` (the core's landing route). Answers
   * from the last bootstrap's facts (bootstraps first when it has none). */
  checkRoute(args: { name: RouteName | 'WORKSPACES' | 'PROFILE' | 'SECURITY' }, options?: CallOptions): Promise<{ allowed: boolean; route: Route }>;

  /**
   * Subscribes to an event: `authStateChange`, `tokenRefreshed`, `signedOut` (with its reason)
   * or `routeChange`.
   * @returns an unsubscribe function.
   * @throws TypeError for an unknown event or a callback that is not a function.
   */
  on<E extends keyof PortalClientEvents>(event: E, callback: (payload: PortalClientEvents[E]) => void): () => void;
  /**
   * Calls back with every auth state, starting with the current one.
   * @returns an unsubscribe function.
   */
  onAuthStateChange(callback: (state: AuthState) => void): () => void;
  /**
   * Changes the language of server messages and labels for the next calls.
   * @throws TypeError for an unknown locale; {@link PortalError} `CLIENT.DISPOSED` after dispose().
   */
  setLocale(locale: Locale): void;
  /** Frees the wasm side and wipes its secrets. Idempotent; afterwards every call rejects with
   * `CLIENT.DISPOSED`. */
  dispose(): void;
}

/**
 * Loads the module (once per page) and creates a client. Call it once per portal and keep the
 * client; it restores a persisted session (`persist`) or one handed over by another tab.
 * @returns the client, signed out unless a session was restored.
 * @throws TypeError on invalid options (synchronously checked, before loading).
 * @throws {@link PortalError} `CLIENT.LOAD_FAILED` (portal-core.wasm could not be fetched or
 *   compiled: see the message, and docs/integration.md on serving `.wasm` and the CSP),
 *   `CLIENT.NO_CRYPTO` (no `crypto.getRandomValues`), `CLIENT.SELF_TEST_FAILED`,
 *   `CLIENT.INVALID_ARGUMENT`.
 */
export function createPortalClient(options: PortalClientOptions): Promise<PortalClient>;
/**
 * The core's version string (loads the module).
 * @returns e.g. "0.1.0".
 * @throws {@link PortalError} `CLIENT.LOAD_FAILED`, `CLIENT.NO_CRYPTO`, `CLIENT.SELF_TEST_FAILED`.
 */
export function version(): Promise<string>;
