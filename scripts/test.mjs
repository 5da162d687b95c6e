// The whole suite, in the order that fails fastest: static checks, unit tests, build, browser tests.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const steps = [
  ['lint', 'npx', ['eslint', '.', '--max-warnings', '0']],
  ['format', 'npx', ['prettier', '--check', '.']],
  ['typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['unit tests', 'npx', ['vitest', 'run']],
  ['python', 'node', ['scripts/ensure-python.mjs'], () => existsSync('tools/test.sh')],
  ['model factory tests', 'sh', ['tools/test.sh'], () => existsSync('tools/test.sh')],
  ['build', 'npx', ['vite', 'build']],
  ['build test harness', 'npx', ['vite', 'build', '-c', 'vite.harness.config.ts']],
  ['chromium', 'node', ['scripts/ensure-chromium.mjs']],
  ['browser tests', 'npx', ['vitest', 'run', '-c', 'vitest.e2e.config.ts']],
];

const results = [];
for (const [name, command, args, enabled] of steps) {
  if (enabled && !enabled()) {
    results.push([name, 'skipped', 0]);
    continue;
  }
  console.log(`\n=== ${name}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const { status } = spawnSync(command, args, { stdio: 'inherit' });
  const seconds = (Date.now() - started) / 1000;
  results.push([name, status === 0 ? 'ok' : `FAILED (exit ${status})`, seconds]);
  if (status !== 0) break;
}

console.log('\n=== summary');
for (const [name, outcome, seconds] of results) {
  console.log(`${name.padEnd(22)} ${outcome.padEnd(18)} ${seconds.toFixed(1)} s`);
}
const failedSteps = results.filter(([, outcome]) => outcome.startsWith('FAILED')).length;
const passedSteps = results.filter(([, outcome]) => outcome === 'ok').length;
// One closing line for tools that read it: the steps of the suite that passed and failed.
console.log(`steps: ${passedSteps} passed, ${failedSteps} failed`);
process.exit(failedSteps > 0 || results.length < steps.length ? 1 : 0);
