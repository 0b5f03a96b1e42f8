// Deployment settings of the shell. The access codes are the emulator's defaults
// (docs/api.md §1); a real deployment serves its own copy of this file.
export const PORTALS = {
  system: { accessCode: 'dev-system-code' },
  tenant: { accessCode: 'dev-tenant-code' },
  consumer: { accessCode: 'dev-consumer-code' },
};
export const DEFAULT_PORTAL = 'system';
// The shell speaks every locale the client accepts (a catalogue each: tests/shell/i18n.test.mjs).
export { LOCALES } from '/dist/portal-client.js';
// Where the QR library's ES module is served from (emulator/server.mjs mounts it).
export const QR_MODULE = '/vendor/lean-qr/index.mjs';
