// The admin console's build (issue 17): served by `gatehouse serve` at ORG/admin/, so every URL
// in the output is relative ('./assets/…'); routes live in the fragment (#/tokens).
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // No inline script or style: the console's CSP allows 'self' only.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
