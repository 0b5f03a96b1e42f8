// Serves the example, the built package (dist/, at /dist/) and the portal API from one emulator
// origin: http://${HOST:-127.0.0.1}:${PORT:-8080}/. Run through scripts/example.
import { resolve } from 'node:path';
import { startEmulator } from '../../emulator/server.mjs';

const ROOT = resolve(import.meta.dirname, '../..');

/** Starts the example's server; resolves to the emulator ({url, close(), …}). */
export function startExample({ host = '127.0.0.1', port = 8080, quiet = true } = {}) {
  return startEmulator({
    host, port, quiet,
    mounts: [{ prefix: '/', dir: resolve(ROOT, 'examples/signin') }, { prefix: '/dist', dir: resolve(ROOT, 'dist') }],
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const server = await startExample({ host: process.env.HOST || '127.0.0.1', port: Number(process.env.PORT || 8080) });
  console.log(`example: ${server.url}/  (sign in as admin@example.com / Correct-Horse-9;`
    + ` the email code is at ${server.url}/__dev/mailbox?email=admin@example.com)`);
}
