import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * In a process of its own: jest keeps its own process alive, which would hide a merger
 * whose closing thread does not.
 */
const SCRIPT = `
const Database = require('better-sqlite3');
const { WalMerger } = require(${JSON.stringify(join(__dirname, 'wal-merger.ts'))});
const file = process.argv[1];
const db = new Database(file);
db.pragma('journal_mode = WAL');
db.exec('CREATE TABLE t (x)');
db.close();
const merger = new WalMerger(file);
merger.request();
void merger.close().then(() => console.log('closed after ' + merger.completed));
`;

describe('WalMerger', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'keyledger-merger-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the process alive until its thread has ended, once closing is awaited', () => {
    const run = spawnSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-e', SCRIPT, join(dir, 'events.db')],
      { cwd: join(__dirname, '..', '..', '..'), encoding: 'utf8', timeout: 30_000 },
    );

    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('closed after 1');
  }, 40_000);
});
