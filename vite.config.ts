import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { ortEngineAlias } from './vite.ortEngine';
import { defineConfig } from 'vitest/config';

/** Every file under a folder, as paths relative to it with forward slashes. */
function listFiles(folder: string, under = folder): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory()
      ? listFiles(path, under)
      : [relative(under, path).split('\\').join('/')];
  });
}

/** What each sample shows (`samples/notes.json`, name → sentence, written by the model factory). */
function readSampleNotes(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null) return {};
  return Object.fromEntries(
    Object.entries(parsed).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
}

/**
 * A static host cannot list folders, so the app reads `samples/index.json`: every
 * `public/samples/<name>.png` with its `<name>_gt.png` when present. The app also learns whether
 * this build ships the demo bundle, so it never asks for one that is not there.
 */
function flowclasAssets(): Plugin {
  // The configured public folder (public/ unless a config overrides it).
  let publicDir = resolve(import.meta.dirname, 'public');
  const samplesIndex = () => {
    const folder = resolve(publicDir, 'samples');
    const names = existsSync(folder) ? readdirSync(folder).sort() : [];
    const notes = readSampleNotes(resolve(folder, 'notes.json'));
    const samples = names
      .filter((name) => /\.(png|jpe?g|webp)$/i.test(name) && !/_gt\.png$/i.test(name))
      .map((name) => {
        const stem = name.replace(/\.[^.]+$/, '');
        const groundTruth = `${stem}_gt.png`;
        const note = notes[name];
        return {
          name,
          image: name,
          ...(names.includes(groundTruth) ? { groundTruth } : {}),
          ...(note ? { note } : {}),
        };
      });
    return `${JSON.stringify({ samples }, null, 2)}\n`;
  };
  return {
    name: 'flowclas-assets',
    config: (userConfig) => {
      if (typeof userConfig.publicDir === 'string') publicDir = resolve(userConfig.publicDir);
      return {
        define: {
          __FLOWCLAS_DEMO_BUNDLE__: JSON.stringify(
            existsSync(resolve(publicDir, 'models/demo/manifest.json')),
          ),
        },
      };
    },
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
    // The offline service worker lists the finished build (workers and wasm included), so it is
    // written last. Model weights are left to the app's own cache; the manifests of the bundles
    // the build ships are kept by the worker from its install on, because the first visit fetches
    // them before the worker controls the page.
    writeBundle(options) {
      const outDir = options.dir;
      if (!outDir) return;
      const files = listFiles(outDir);
      const appFiles = files.filter((file) => !file.startsWith('models/') && file !== 'sw.js');
      const bundleManifests = files.filter(
        (file) => file.startsWith('models/') && file.endsWith('/manifest.json'),
      );
      const source = readFileSync(
        resolve(import.meta.dirname, 'src/app/offline/serviceWorker.js'),
        'utf8',
      );
      const buildId = Date.now().toString(36);
      writeFileSync(
        join(outDir, 'sw.js'),
        [
          `const BUILD_ID = '${buildId}';`,
          `const APP_FILES = ${JSON.stringify(appFiles)};`,
          `const BUNDLE_MANIFESTS = ${JSON.stringify(bundleManifests)};`,
          source,
        ].join('\n'),
      );
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
  resolve: { alias: ortEngineAlias() },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 1024 },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
