import { defineConfig } from 'vite';

// A static app served by the platform's API at `/` (packages/platform/src/api/routes/dashboard.ts):
// hashed assets under /assets/, no inline script (the CSP forbids it), no preload polyfill.
export default defineConfig({
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
});
