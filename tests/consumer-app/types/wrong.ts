// Must NOT type-check (tsc -p tsconfig.negative.json): each line marked `expect TSnnnn` must be
// reported with exactly that code, and nothing else may be reported (consumer.test.mjs).
import { createPortalClient, PortalError } from 'portal-client';

export async function misuse(error: unknown): Promise<void> {
  const client = await createPortalClient({ portal: 'system', portalAccessCode: 'dev-system-code' });
  const next = await client.signIn({ email: 'a@example.com', password: 'x' });
  void next.route; // expect TS2339
  if (next.step === 'MFA_REQUIRED') void next.route.name; // expect TS2339
  await createPortalClient({ portal: 'staging', portalAccessCode: 'x' }); // expect TS2322
  await client.confirmSignIn({ method: 'SMS', code: '123456' }); // expect TS2322
  await client.signIn({ email: 'a@example.com' }); // expect TS2345
  if (error instanceof PortalError) {
    const status: string = error.status; // expect TS2322
    void error.retryAfter.toFixed(); // expect TS18047
    void error.fieldErrors[0].path; // expect TS2339
  }
}
