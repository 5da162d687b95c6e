import { resolve } from 'node:path';
import { ortEngineAlias } from './vite.ortEngine';
import { defineConfig } from 'vite';

// The e2e harness page: the real worker and core, without the UI. Never shipped.
export default defineConfig({
  root: resolve(import.meta.dirname, 'e2e/harness'),
  base: './',
  publicDir: false,
  resolve: { alias: ortEngineAlias() },
  worker: { format: 'es' },
  build: {
    outDir: resolve(import.meta.dirname, 'e2e-results/harness-dist'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
  },
});
