// Hand-written declarations of the portal-client ES module (web/portal-client.js).

export type Portal = 'system' | 'tenant' | 'consumer';
export type Locale = 'en' | 'zh' | 'zh-Hant' | 'ja' | 'vi';
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
  | 'CLIENT.STATE_NOT_EMPTY'
  | 'CLIENT.NETWORK'
  | 'CLIENT.HTTP_5XX'
  | 'CLIENT.BAD_RESPONSE'
  | 'CLIENT.ABORTED'
  | 'CLIENT.DISPOSED'
  | 'CLIENT.LOAD_FAILED'
  | 'CLIENT.NO_CRYPTO'
  | 'CLIENT.SELF_TEST_FAILED';
// /generated:errors (scripts/generate.mjs, from spec/errors.json)

/** The one error class: server codes ('AUTH.MFA_CODE_INVALID', '4010', 'RATE_LIMITED',
 * 'SECURE_CHANNEL.REPLAY', …) and client codes ('CLIENT.DISPOSED', 'CLIENT.ABORTED', …). */
export class PortalError extends Error {
  constructor(init: {
    code: string;
    message?: string;
    status?: number;
    retryAfter?: number | null;
    remainingAttempts?: number | null;
    fieldErrors?: FieldError[];
    kind?: PortalError['kind'];
  });
  readonly name: 'PortalError';
  readonly code: PortalErrorCode;
  /** HTTP status, 0 when no response was involved. */
  readonly status: number;
  /** Seconds to wait, from Retry-After on HTTP 429; null otherwise. */
  readonly retryAfter: number | null;
  /** Failed attempts left before the server pauses them (AUTH.INVALID_CREDENTIALS on sign-in),
   * when the server says so; null otherwise. */
  readonly remainingAttempts: number | null;
  readonly fieldErrors: FieldError[];
  readonly kind: 'caller' | 'order' | 'protocol' | 'auth' | 'server' | 'transport';
}

export interface PortalClientOptions {
  /** Origin of the portal API; defaults to the page's origin. */
  baseUrl?: string;
  portal: Portal;
  portalAccessCode: string;
  locale?: Locale;
  /** 'required' (default): every body is encrypted, never a plaintext fallback. */
  secureChannel?: 'required' | 'off';
  /** base64url X25519 server keys; when non-empty, any other key is refused. */
  pinnedKeys?: string[];
  /** 'memory' (default); 'session' keeps tokens and an in-progress sign-in across reloads. */
  persist?: 'memory' | 'session' | 'local';
  fetch?: typeof fetch;
  requestTimeoutMs?: number;
  refreshLeewayMs?: number;
  /** Where to fetch portal-core.wasm (default: beside portal-client.js). Set it when a dev server
   * pre-bundles the package: `import wasmUrl from 'portal-client/portal-core.wasm?url'`. */
  wasmUrl?: string;
}

export interface CallOptions {
  signal?: AbortSignal;
}

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

export interface Route {
  name: RouteName;
  /** The workspace to enter (APP only). */
  workspaceBizId?: string;
  /** Pending, unexpired invitations. */
  pendingInvitations: number;
}

export type SignInStep =
  | { step: 'MFA_REQUIRED'; methods: MfaMethod[] }
  | { step: 'DONE'; route: Route };

export interface AuthState {
  state: 'SIGNED_OUT' | 'SIGNING_IN' | 'SIGNED_IN';
  /** While SIGNING_IN: the MFA step and its methods, so a reloaded page can rebuild it. */
  step?: 'MFA_REQUIRED';
  methods?: MfaMethod[];
  /** Why the state changed to SIGNED_OUT, or SIGN_IN_EXPIRED. */
  reason?: string;
}

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

export interface ProfileUpdate {
  accountName?: string;
  accountPhone?: string | null;
  defaultLanguage?: string;
  defaultTimezone?: string;
  defaultCountry?: string;
}

export interface MfaFactor {
  mfaMethod: EnumValue<MfaMethod>;
  isEnabled: boolean;
  remainingCodes?: number;
}

export interface OtpSetup {
  secret: string;
  issuer: string;
  /** Built by the client with label and issuer percent-encoded. */
  otpauthUri: string;
  /** The server's own qrCodeUri, as sent. */
  serverUri: string;
}

export interface IpWhitelist {
  enabled: boolean;
  entries: string[];
}

export interface AuthSession {
  sessionId: string;
  clientIp: string;
  userAgent?: string;
  createdAt?: string;
  lastSeenAt?: string;
  isCurrent: boolean;
}

export interface Invitation {
  invitationBizId: string;
  workspaceBizId: string;
  workspaceName: string;
  invitedBy: string;
  role: EnumValue;
  status: EnumValue<'PENDING' | 'ACCEPTED' | 'DECLINED' | 'EXPIRED'>;
  expiresAt: string;
}

export interface InvitationAccepted {
  workspaceBizId: string;
  becameDefaultWorkspace: boolean;
  nextAction: EnumValue<'ENTER_ACCEPTED_WORKSPACE' | 'STAY_ON_CURRENT_WORKSPACE'>;
  /** The next route; null when the action succeeded but re-routing could not be fetched. */
  route: Route | null;
}

export interface Workspace {
  workspaceBizId: string;
  workspaceName: string;
  role: EnumValue<'OWNER' | 'ADMIN' | 'MEMBER'>;
  isDefault: boolean;
}

export interface PortalClientEvents {
  authStateChange: AuthState;
  tokenRefreshed: Record<string, never>;
  signedOut: { reason: 'USER' | 'SESSION_EXPIRED' | 'REFRESH_FAILED' | 'OTHER_TAB' | 'TERMINATED' };
  routeChange: Route;
}

export class PortalClient {
  readonly portal: Portal;
  readonly clientHash: string;
  readonly authState: AuthState;
  readonly route: Route | null;

  signIn(args: { email: string; password: string }, options?: CallOptions): Promise<SignInStep>;
  sendMfaCode(method?: 'EMAIL', options?: CallOptions): Promise<{ sentTo: string; resendAfter: number }>;
  confirmSignIn(args: { method: MfaMethod; code: string }, options?: CallOptions): Promise<{ step: 'DONE'; route: Route }>;
  signOut(options?: CallOptions): Promise<null>;
  /** Resolves with the new access token's expiry (epoch ms). */
  refreshSession(options?: CallOptions): Promise<{ accessExpiresAt: number }>;
  /** Starts (or, after a 429, keeps) a registration and mails a code. */
  register(args: { email: string }, options?: CallOptions): Promise<{ step: 'VERIFY_EMAIL' }>;
  verifyRegistrationEmail(args: { code: string }, options?: CallOptions): Promise<{ step: 'COMPLETE_REGISTRATION' }>;
  completeRegistration(args: { accountName: string; password: string }, options?: CallOptions): Promise<{ step: 'DONE'; route: Route }>;
  forgotPassword(args: { email: string }, options?: CallOptions): Promise<{ step: 'RESET_PASSWORD' }>;
  /** A reset ends every session of the account, this tab's included. */
  resetPassword(args: { code: string; newPassword: string }, options?: CallOptions): Promise<{ step: 'DONE' }>;
  initPassword(args: { newPassword: string }, options?: CallOptions): Promise<{ route: Route | null }>;
  changePassword(args: { currentPassword: string; newPassword: string }, options?: CallOptions): Promise<null>;

  getProfile(options?: CallOptions): Promise<Profile>;
  updateProfile(args: ProfileUpdate, options?: CallOptions): Promise<Profile>;

  getMfaState(options?: CallOptions): Promise<MfaFactor[]>;
  setupOtp(options?: CallOptions): Promise<OtpSetup>;
  verifyOtp(args: { code: string }, options?: CallOptions): Promise<{ route: Route | null }>;
  revokeOtp(args: { password: string }, options?: CallOptions): Promise<null>;
  generateBackupCodes(options?: CallOptions): Promise<{ codes: string[] }>;
  getIpWhitelist(options?: CallOptions): Promise<IpWhitelist>;
  saveIpWhitelist(args: { entries: string[]; confirmLockout?: boolean }, options?: CallOptions): Promise<IpWhitelist>;
  setIpWhitelistEnabled(args: { enabled: boolean; confirmLockout?: boolean }, options?: CallOptions): Promise<null>;
  listSessions(options?: CallOptions): Promise<AuthSession[]>;
  /** Terminating the current session signs this client out (reason TERMINATED). */
  terminateSession(args: { sessionId: string }, options?: CallOptions): Promise<null>;
  terminateOtherSessions(options?: CallOptions): Promise<null>;

  listInvitations(options?: CallOptions): Promise<Invitation[]>;
  acceptInvitation(args: { invitationBizId: string }, options?: CallOptions): Promise<InvitationAccepted>;
  declineInvitation(args: { invitationBizId: string }, options?: CallOptions): Promise<{ route: Route | null }>;
  listWorkspaces(options?: CallOptions): Promise<Workspace[]>;
  createWorkspace(args: { workspaceName: string }, options?: CallOptions): Promise<Workspace & { route: Route | null }>;
  selectWorkspace(args: { workspaceBizId: string }, options?: CallOptions): Promise<{ route: Route | null }>;
  bootstrap(options?: CallOptions): Promise<{ route: Route }>;

  on<E extends keyof PortalClientEvents>(event: E, callback: (payload: PortalClientEvents[E]) => void): () => void;
  onAuthStateChange(callback: (state: AuthState) => void): () => void;
  setLocale(locale: Locale): void;
  /** Frees the wasm side and wipes secrets; idempotent. */
  dispose(): void;
}

export function createPortalClient(options: PortalClientOptions): Promise<PortalClient>;
export function version(): Promise<string>;
