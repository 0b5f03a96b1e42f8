#!/usr/bin/env node
// Builds the shell as it is served: web/shell/ → build/shell/ (or the directory given).
//
//   node scripts/build-shell.mjs [outdir]
//
// web/shell/ is plain ES modules and runs as it is (`node emulator/server.mjs --mount
// /=web/shell`), but a browser fetches at most six files at a time from one HTTP/1.1 origin: its
// ten start-up modules queued ahead of the wasm and of each other, and the cold load took about
// 1.4–1.6× the module's own start-up (issue 14). esbuild (pinned in package.json) bundles app.js
// and everything it imports at start-up into one file, plus one chunk of the code it shares with
// what is loaded on demand (the signed-in screens and the other languages' catalogues, still one
// `import()` each). /dist/ and /vendor/ stay external: the package and the QR library are served
// apart. index.html gains a modulepreload for each chunk app.js imports, so the two arrive
// together. Every file is minified, with a linked source map back to web/shell/ for devtools.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SHELL_DIR } from '../emulator/server.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const SOURCE = join(ROOT, 'web/shell');
const OUT = resolve(ROOT, process.argv[2] ?? SHELL_DIR);
const ENTRY = 'app.js';

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

const common = { minify: true, sourcemap: 'linked', charset: 'utf8', logLevel: 'warning', target: 'es2022' };
const { metafile } = await build({
  ...common,
  absWorkingDir: SOURCE,
  entryPoints: [ENTRY, 'styles.css'],
  bundle: true,
  splitting: true,
  format: 'esm',
  outdir: OUT,
  chunkNames: '[dir]/[name]-[hash]',
  external: ['/dist/*', '/vendor/*'],
  metafile: true,
});
// start.js stays a classic script of its own: it must run before any module (index.html).
await build({ ...common, absWorkingDir: SOURCE, entryPoints: ['start.js'], outdir: OUT });
copyFileSync(join(SOURCE, 'favicon.svg'), join(OUT, 'favicon.svg'));

// The chunks the entry imports statically: announced in index.html, ahead of the entry's line.
const entry = Object.values(metafile.outputs).find((out) => out.entryPoint === ENTRY);
const chunks = entry.imports.filter((i) => i.kind === 'import-statement' && !i.external)
  .map((i) => relative(OUT, resolve(SOURCE, i.path)));
const html = readFileSync(join(SOURCE, 'index.html'), 'utf8');
const entryLine = html.match(/^( *)<script type="module" src="app\.js"><\/script>$/m);
if (!entryLine) {
  throw new Error('build-shell: index.html must load app.js with <script type="module" src="app.js"></script>');
}
const preloads = chunks.map((chunk) => `${entryLine[1]}<link rel="modulepreload" href="${chunk}">`);
writeFileSync(join(OUT, 'index.html'), html.replace(entryLine[0], [...preloads, entryLine[0]].join('\n')));
