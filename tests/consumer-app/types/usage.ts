// Type-checked (tsc -p tsconfig.json), never bundled: the API as a TypeScript frontend uses it,
// resolved by name through the package's `exports` map to the hand-written declarations.
import { createPortalClient, PortalError, version } from 'portal-client';
import type { MfaMethod, PortalClient, Profile, Route, RouteName, SignInStep } from 'portal-client';

// `import` resolved to real declarations, not to `any` (which would make every check below vacuous).
type IsAny<T> = 0 extends 1 & T ? true : false;
const resolved: [IsAny<typeof createPortalClient>, IsAny<PortalClient>, IsAny<PortalError>] = [false, false, false];

export async function signInWithEmail(email: string, password: string, readCode: () => Promise<string>,
  signal?: AbortSignal): Promise<{ route: RouteName; accountName: string; core: string }> {
  const client: PortalClient = await createPortalClient({ portal: 'system', portalAccessCode: 'dev-system-code', locale: 'en' });
  let next: SignInStep = await client.signIn({ email, password }, { signal });
  if (next.step === 'MFA_REQUIRED') {
    const methods: MfaMethod[] = next.methods;
    if (!methods.includes('EMAIL')) throw new Error('no email factor');
    const sent: { sentTo: string; resendAfter: number } = await client.sendMfaCode('EMAIL');
    void sent.resendAfter.toFixed();
    next = await client.confirmSignIn({ method: 'EMAIL', code: await readCode() });
  }
  const route: Route = next.route;  // narrowed to the DONE variant on both paths
  const profile: Profile = await client.getProfile();
  const off = client.on('signedOut', ({ reason }) => { if (reason === 'SESSION_EXPIRED') off(); });
  return { route: route.name, accountName: profile.accountName, core: await version() };
}

export function landingPage(name: RouteName): string {
  switch (name) {
    case 'APP': return '/app';
    case 'SELECT_WORKSPACE': return '/workspaces';
    case 'CREATE_WORKSPACE': return '/workspaces/new';
    case 'INVITATIONS': return '/invitations';
    case 'PASSWORD_INIT': return '/password';
    case 'MFA_SETUP': return '/security';
    case 'PENDING_APPROVAL': return '/pending';
    case 'ACCOUNT_BLOCKED': return '/blocked';
    default: {
      const unreachable: never = name;  // the union is exactly the routes above
      return unreachable;
    }
  }
}

export function describe(error: unknown): string {
  if (!(error instanceof PortalError)) return String(error);
  const code: string = error.code;
  const status: number = error.status;
  const wait: number | null = error.retryAfter;
  const fields: string[] = error.fieldErrors.map((f) => `${f.field} ${f.code}: ${f.message}`);
  const kind: 'caller' | 'order' | 'protocol' | 'auth' | 'server' | 'transport' = error.kind;
  const message: string = error.message;
  const retry = wait === null ? '' : ` (retry in ${wait.toFixed(0)} s)`;
  return `${error.name} ${code} [${status}, ${kind}] ${message}${retry} ${fields.join('; ')} ${resolved.join()}`;
}
