// The Vite configuration a frontend needs for portal-client: exactly the README's "Bundlers" line,
// plus the same-origin proxy of docs/integration.md. `vite build` needs neither.
import { defineConfig } from 'vite';

export default defineConfig({
  // Keep portal-client out of the dev server's dependency pre-bundling: its
  // `new URL('./portal-core.wasm', import.meta.url)` must keep pointing beside the module.
  optimizeDeps: { exclude: ['portal-client'] },
  // Same origin in development: the dev server forwards the API to the portal (here the emulator).
  server: { proxy: { '/web': process.env.PORTAL_API ?? 'http://127.0.0.1:8080' } },
});
