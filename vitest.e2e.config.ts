import { defineConfig } from 'vitest/config';

// Browser tests: one Chromium at a time (the machine has two cores and SwiftShader is heavy).
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
