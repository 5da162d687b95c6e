/** Test helper: the CLI run as a user runs it (a separate Node process through tsx). */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

export const repositoryRoot = resolve(import.meta.dirname, '../../..');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

const run = promisify(execFile);

export async function runCli(...args: string[]): Promise<CliRun> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [
        resolve(repositoryRoot, 'node_modules/tsx/dist/cli.mjs'),
        resolve(repositoryRoot, 'src/cli/main.ts'),
        ...args,
      ],
      { cwd: repositoryRoot },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
