/**
 * Builds the agent app's browser bundle (src/web/app/client.tsx → dist/web/client.js), served by
 * Fastify under /app/assets. The server renders the same Preact components; the bundle hydrates them.
 * `npx vite build` (pages work without it: every action is also a plain form).
 */
import { defineConfig } from 'vite';

export default defineConfig({
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist/web',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    rollupOptions: {
      input: 'src/web/app/client.tsx',
      output: {
        entryFileNames: 'client.js',
        chunkFileNames: '[name]-[hash].js',
        assetFileNames: '[name][extname]',
      },
    },
  },
});
