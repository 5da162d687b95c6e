// Makes sure a Python with the model factory's packages is present for its tests: installs Debian's
// packages when run as root with apt, otherwise names what to install in one sentence.
import { execFileSync } from 'node:child_process';

// Python module → the Debian package that provides it.
const debianPackages = {
  torch: 'python3-torch',
  onnx: 'python3-onnx',
  numpy: 'python3-numpy',
  PIL: 'python3-pil',
  scipy: 'python3-scipy',
  pytest: 'python3-pytest',
};
const modules = Object.keys(debianPackages);

function succeeds(command, args) {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The modules that no Python found by tools/find_python.sh can import. */
function missingModules() {
  if (succeeds('sh', ['tools/find_python.sh', ...modules])) return [];
  return modules.filter((module) => !succeeds('sh', ['tools/find_python.sh', module]));
}

const missing = missingModules();
if (missing.length > 0) {
  const packages = ['python3', ...missing.map((module) => debianPackages[module])];
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && succeeds('sh', ['-c', 'command -v apt-get'])) {
    console.log(
      `The model factory needs ${missing.join(', ')}; installing ${packages.join(' ')}...`,
    );
    execFileSync(
      'sh',
      ['-c', `apt-get update -qq && apt-get install -y -qq ${packages.join(' ')}`],
      { stdio: 'inherit' },
    );
  } else {
    console.error(
      `The model factory tests need Python 3 with ${missing.join(', ')}: install them with ` +
        `"sudo apt-get install -y ${packages.join(' ')}" (Debian/Ubuntu) or ` +
        '"pip install -r tools/requirements.txt".',
    );
    process.exit(1);
  }
}
