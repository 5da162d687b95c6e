/** Set by vite.config.ts: whether this build ships public/models/demo/manifest.json. */
declare const __FLOWCLAS_DEMO_BUNDLE__: boolean | undefined;
