// Prints the size of each file in a dist directory: raw and gzip (level 9). Used by the build.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dir = process.argv[2];
let raw = 0, gz = 0;
const kib = (n) => (n / 1024).toFixed(1).padStart(7) + ' KiB';
for (const name of readdirSync(dir).sort()) {
  const path = join(dir, name);
  if (!statSync(path).isFile()) continue;
  const bytes = readFileSync(path);
  const zipped = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length; gz += zipped;
  console.log(`${name.padEnd(24)} ${kib(bytes.length)} raw ${kib(zipped)} gzip`);
}
console.log(`${'total'.padEnd(24)} ${kib(raw)} raw ${kib(gz)} gzip`);
