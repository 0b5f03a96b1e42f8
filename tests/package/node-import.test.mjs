// Server-side rendering imports the package on the server: importing dist/ under Node must not
// crash or touch the network, storage or the DOM (docs/integration.md §6).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const DIST = resolve(import.meta.dirname, '../..', process.env.PORTAL_DIST ?? 'dist');

test('dist/portal-client.js imports under Node with its exports', async () => {
  const module = await import(pathToFileURL(resolve(DIST, 'portal-client.js')).href);
  assert.deepEqual(Object.keys(module).sort(), ['EVENTS', 'LOCALES', 'PORTALS', 'PortalClient', 'PortalError', 'createPortalClient', 'version']);
  // The event names, portals and locales, as spec/operations.json declares them (web/shell/boot.js
  // subscribes to each event; web/shell/config.js takes the locales).
  const { events, portals, locales } = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../spec/operations.json'), 'utf8'));
  assert.deepEqual(module.EVENTS, events.map((e) => e.name));
  assert.deepEqual(module.PORTALS, portals);
  assert.deepEqual(module.LOCALES, locales);
  const error = new module.PortalError({ code: 'CLIENT.NETWORK', kind: 'transport' });
  assert.equal(error.code, 'CLIENT.NETWORK');
  assert.ok(error instanceof Error);
});
