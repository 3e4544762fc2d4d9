import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The layer rules must fail the build on a wrong import: run them (the real config, as
 * `npm run lint` does) on a fixture tree that breaks each rule once, and on nothing else.
 */
describe('layer rules (.dependency-cruiser.cjs)', () => {
  const root = join(__dirname, '..', '..');
  const fixture = join(__dirname, 'fixture');

  function cruise(): { status: number | null; output: string } {
    const result = spawnSync(
      process.execPath,
      [
        join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs'),
        'src',
        '--config',
        join(root, '.dependency-cruiser.cjs'),
        '--output-type',
        'err',
      ],
      { cwd: fixture, encoding: 'utf8', timeout: 60_000 },
    );
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  }

  it('fails, naming each rule the fixture breaks and the import that breaks it', () => {
    const { status, output } = cruise();
    expect(status).not.toBe(0);
    const violations = output
      .split('\n')
      .filter((line) => line.includes('error '))
      .map((line) => line.replace(/\s+/g, ' ').trim());
    expect(violations).toEqual(
      expect.arrayContaining([
        'error kernel-imports-no-layer: src/shared/leak.ts → src/keys/read-models/key-directory.port.ts',
        'error feature-internals: src/shared/leak.ts → src/keys/read-models/key-directory.port.ts',
        'error feature-order-tenants: src/tenants/http/reach.ts → src/keys/read-models/key-directory.port.ts',
        'error feature-internals: src/tenants/http/reach.ts → src/keys/read-models/key-directory.port.ts',
        'error domain-is-pure: src/tenants/domain/impure.ts → src/event-store/event-store.port.ts',
        'error machinery-imports-no-feature: src/projections/names-a-feature.ts → src/keys/index.ts',
      ]),
    );
    expect(
      violations.some((line) => line.startsWith('error no-circular: src/keys/domain/a.ts')),
    ).toBe(true);
    // The allowed import (a later feature using an earlier one's index) is not reported.
    expect(output).not.toContain('src/usage/ok.ts');
  }, 60_000);
});
