// Makes sure Debian's Chromium is present for the browser tests; never downloads a browser build.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromiumPath = process.env.FLOWCLAS_CHROMIUM ?? '/usr/bin/chromium';

function hasCommand(command) {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

if (!existsSync(chromiumPath)) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && hasCommand('apt-get')) {
    console.log('Chromium is missing; installing the Debian package "chromium"...');
    execFileSync('sh', ['-c', 'apt-get update -qq && apt-get install -y -qq chromium'], {
      stdio: 'inherit',
    });
  } else {
    console.error(
      `Chromium was not found at ${chromiumPath}. Install it with "sudo apt-get install -y chromium" ` +
        '(Debian/Ubuntu), or point FLOWCLAS_CHROMIUM at a Chromium or Chrome binary.',
    );
    process.exit(1);
  }
}
