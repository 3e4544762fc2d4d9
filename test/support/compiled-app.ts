import { transformFileSync, type Options } from '@swc/core';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * The service compiled for a child process, in a folder of its own under `dist/` (so that
 * `node_modules` resolves and no other suite's build is disturbed). SWC, as jest uses, rather
 * than tsc: a second or two instead of twenty, and type-checking is `npm test`'s job anyway.
 */
export class CompiledApp {
  private constructor(readonly dir: string) {}

  static build(): CompiledApp {
    const options = JSON.parse(readFileSync(join(ROOT, '.swcrc'), 'utf8')) as Options;
    mkdirSync(join(ROOT, 'dist'), { recursive: true });
    const dir = mkdtempSync(join(ROOT, 'dist', 'e2e-app-'));
    for (const file of sources(join(ROOT, 'src'))) {
      const { code } = transformFileSync(file, { ...options, sourceMaps: false, swcrc: false });
      const target = join(dir, relative(join(ROOT, 'src'), file)).replace(/\.ts$/, '.js');
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, code);
    }
    return new CompiledApp(dir);
  }

  get main(): string {
    return join(this.dir, 'main.js');
  }

  get cli(): string {
    return join(this.dir, 'cli.js');
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}
