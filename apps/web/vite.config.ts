import { defineConfig } from 'vite';

// The API serves the built app at / (apps/web/dist); in development Vite serves it with hot reload
// and forwards /api and /health to the API (CTAP_API_URL, default http://127.0.0.1:3000).
const api = process.env.CTAP_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: import.meta.dirname,
  // Vite's own transformer compiles JSX; no Babel plugin needed.
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: true,
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  server: {
    host: '127.0.0.1',
    port: Number(process.env.WEB_PORT ?? 5173),
    proxy: { '/api': api, '/health': api },
  },
});
