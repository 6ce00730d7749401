import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

const here = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

export default defineConfig({
  root: here('.'),
  plugins: [vue()],
  resolve: {
    alias: {
      '@': here('./src'),
      // One wire protocol, shared with the server.
      '@protocol': here('../src/protocol/index.ts'),
    },
  },
  build: {
    outDir: here('../dist/client'),
    emptyOutDir: true,
    sourcemap: true,
    // Everything is bundled and served by Aula: no CDN, no external fonts.
    assetsInlineLimit: 0,
  },
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
      '/lti': 'http://localhost:3000',
      '/socket.io': { target: 'http://localhost:3000', ws: true },
    },
  },
});
