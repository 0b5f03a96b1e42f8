// The client's endpoint catalogue (src/api/catalogue.cpp, dumped by the native catalogue_dump
// tool) and the emulator's routing table (emulator/routes.mjs) describe the same endpoints: the
// same methods and paths, and the same JWT, encryption and rate-limit flags.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { PORTAL_ROUTES, CHANNEL_ROUTES } from '../../emulator/routes.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const DUMP = resolve(ROOT, process.env.PORTAL_NATIVE_BUILD ?? 'build/native-debug', 'tests/native/catalogue_dump');

const key = (e) => `${e.method} ${e.path}`;
const sorted = (list) => [...list].sort((a, b) => key(a).localeCompare(key(b)));

function clientCatalogue() {
  assert.ok(existsSync(DUMP), `${DUMP} is missing: build the native-debug preset first`);
  return execFileSync(DUMP, { encoding: 'utf8' }).trim().split('\n').map((line) => JSON.parse(line));
}

function emulatorCatalogue() {
  const portal = PORTAL_ROUTES.map((r) => ({
    method: r.method,
    path: '/web/v1/{portal}' + r.path.replace(/:(\w+)/g, '{$1}'),
    jwt: r.jwt, encrypted: r.encrypted, rateLimited: r.rateLimit !== null,
  }));
  const channel = CHANNEL_ROUTES.map((r) => ({
    method: r.method, path: r.path, jwt: false, encrypted: r.encrypted === true, rateLimited: false,
  }));
  return [...portal, ...channel];
}

test('client catalogue and emulator routes list the same endpoints with the same flags', () => {
  const client = sorted(clientCatalogue());
  const server = sorted(emulatorCatalogue());
  assert.ok(client.length >= 30, `catalogue has only ${client.length} rows`);
  assert.deepEqual(client, server);
});
