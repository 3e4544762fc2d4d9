import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * In a process of its own: jest keeps its own process alive, which would hide a checkpointer
 * whose closing thread does not.
 */
const SCRIPT = `
const Database = require('better-sqlite3');
const { WalCheckpointer } = require(${JSON.stringify(join(__dirname, 'wal-checkpointer.ts'))});
const file = process.argv[1];
const db = new Database(file);
db.pragma('journal_mode = WAL');
db.exec('CREATE TABLE t (x)');
db.close();
const checkpointer = new WalCheckpointer(file);
checkpointer.request();
void checkpointer.close().then(() => console.log('closed after ' + checkpointer.completed));
`;

describe('WalCheckpointer', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'keyledger-checkpointer-'));
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
