import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

const publicDir = resolve(import.meta.dirname, 'public');

/**
 * A static host cannot list folders, so the app reads `samples/index.json`: every
 * `public/samples/<name>.png` with its `<name>_gt.png` when present. The app also learns whether
 * this build ships the demo bundle, so it never asks for one that is not there.
 */
function flowclasAssets(): Plugin {
  const samplesIndex = () => {
    const folder = resolve(publicDir, 'samples');
    const names = existsSync(folder) ? readdirSync(folder).sort() : [];
    const samples = names
      .filter((name) => /\.(png|jpe?g|webp)$/i.test(name) && !/_gt\.png$/i.test(name))
      .map((name) => {
        const stem = name.replace(/\.[^.]+$/, '');
        const groundTruth = `${stem}_gt.png`;
        return { name, image: name, ...(names.includes(groundTruth) ? { groundTruth } : {}) };
      });
    return `${JSON.stringify({ samples }, null, 2)}\n`;
  };
  return {
    name: 'flowclas-assets',
    config: () => ({
      define: {
        __FLOWCLAS_DEMO_BUNDLE__: JSON.stringify(
          existsSync(resolve(publicDir, 'models/demo/manifest.json')),
        ),
      },
    }),
    configureServer(server) {
      server.middlewares.use((request, response, next) => {
        if (!request.url?.endsWith('/samples/index.json')) return next();
        response.setHeader('Content-Type', 'application/json');
        response.end(samplesIndex());
      });
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'samples/index.json', source: samplesIndex() });
    },
  };
}

// Cross-origin isolation lets onnxruntime-web use WASM threads.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // Relative base: the build works from any subpath of a static host.
  base: './',
  plugins: [react(), flowclasAssets()],
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 1024 },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
