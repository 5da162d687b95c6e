/** Resident memory of a process tree, read from /proc from outside the processes (Linux). */
import { readdirSync, readFileSync } from 'node:fs';

function readProc(pid: string, file: string): string {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return '';
  }
}

const parentOf = (pid: string) => readProc(pid, 'stat').split(') ')[1]?.split(' ')[1];

const rssBytes = (pid: string) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readProc(pid, 'status'))?.[1] ?? 0) * 1024;

/** RSS summed over the processes whose command line contains `marker`, and all their children. */
export function processTreeRss(marker: string): number {
  const pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  const roots = new Set(pids.filter((pid) => readProc(pid, 'cmdline').includes(marker)));
  const inTree = (pid: string): boolean => {
    for (let current: string | undefined = pid, depth = 0; current && depth < 16; depth++) {
      if (roots.has(current)) return true;
      current = parentOf(current);
    }
    return false;
  };
  return pids.filter(inTree).reduce((sum, pid) => sum + rssBytes(pid), 0);
}

/** Samples a process tree's RSS every `intervalMs` and keeps the peak until stopped. */
export function samplePeakRss(marker: string, intervalMs = 250) {
  let peak = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, processTreeRss(marker));
  }, intervalMs);
  return {
    peak: () => peak,
    reset: () => {
      peak = 0;
    },
    stop: () => clearInterval(timer),
  };
}
