import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** The API (Express) serves /api and /tiles; in dev Vite forwards both to it. */
const apiTarget = process.env['SAMENHANG_API'] ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [react()],
  resolve: {
    alias: {
      // The shared taxonomy (SYSTEMS) is the only api code the web imports.
      '@model': here('../api/src/model'),
      // Style JSON per vital system + basemap: one source of truth, bundled at build time.
      '@styles': here('../styles'),
    },
  },
  server: {
    proxy: {
      '/api': { target: apiTarget },
      '/tiles': { target: apiTarget },
    },
  },
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
    // Two pages: the workbench and the wijkschouw participant page (served for /schouw and /schouw/<CODE>).
    rolldownOptions: {
      input: { index: here('index.html'), schouw: here('schouw.html') },
    },
  },
});
