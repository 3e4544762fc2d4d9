import { CommanderError } from 'commander';
import { createCli } from '../../src/cli/program';

export interface CliRun {
  readonly out: string;
  readonly err: string;
  readonly exitCode: number;
}

/** One CLI invocation in-process against `dataDir`: what it printed, and its exit code. */
export async function cli(dataDir: string, ...args: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const program = createCli({
    env: { DATA_DIR: dataDir },
    write: (text) => (out += text),
    stderr: { write: (text: string) => (err += text), isTTY: false },
  });
  try {
    await program.parseAsync(['node', 'keyledger', ...args]);
    return { out, err, exitCode: 0 };
  } catch (error) {
    if (error instanceof CommanderError) return { out, err, exitCode: error.exitCode };
    throw error;
  }
}
