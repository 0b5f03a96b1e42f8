// hpke-js's ESM files with their bare "@hpke/…" specifiers made absolute (/vendor/@hpke/…), so a
// bench page imports them without an import map (an inline import map would need the page CSP
// relaxed). Used by bench/run.mjs and bench/guard.mjs.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** Copies the four @hpke packages' esm/ trees from node_modules into `into`, rewritten. */
export function vendorHpke(into) {
  for (const pkg of ['common', 'core', 'dhkem-x25519', 'chacha20poly1305']) {
    const from = join(ROOT, 'node_modules/@hpke', pkg, 'esm');
    const walk = (dir) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) { walk(path); continue; }
        if (!name.endsWith('.js')) continue;
        const target = join(into, '@hpke', pkg, 'esm', relative(from, path));
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, readFileSync(path, 'utf8').replace(/from "@hpke\/([a-z0-9-]+)"/g, 'from "/vendor/@hpke/$1/esm/mod.js"'));
      }
    };
    walk(from);
  }
}
