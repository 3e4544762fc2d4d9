import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** A loopback port that was free a moment ago and that nobody listens on now. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `node dist/main.js` with `env`, run to its exit. */
function start(env: Record<string, string>, dataDir: string) {
  return spawnSync('node', ['dist/main.js'], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('`npm start` configured for production servers', () => {
  let dataDir: string;

  beforeAll(() => {
    execFileSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
    dataDir = mkdtempSync(join(tmpdir(), 'keyledger-esdb-start-'));
  }, 120_000);

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('stops with one clear line and a non-zero exit when the server cannot be reached', async () => {
    const port = await closedPort();
    const url = `esdb://admin:s3cret@127.0.0.1:${port}?tls=false`;

    const run = start({ EVENT_STORE: 'eventstoredb', EVENTSTORE_URL: url }, dataDir);

    expect(run.status).toBe(1);
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^keyledger: cannot reach the event store at esdb://admin:\\*\\*\\*@127\\.0\\.0\\.1:${port}\\?tls=false: .*UNAVAILABLE`,
        ),
      ),
    ]);
    expect(run.stdout + run.stderr).not.toContain('s3cret');
  }, 90_000);

  it('stops with one line naming the variable when EVENTSTORE_URL is missing', () => {
    const run = start({ EVENT_STORE: 'eventstoredb', EVENTSTORE_URL: '' }, dataDir);

    expect(run.status).toBe(1);
    expect(run.stderr.trimEnd()).toBe(
      'keyledger: EVENTSTORE_URL must be set when EVENT_STORE is eventstoredb (e.g. esdb://localhost:2113?tls=false)',
    );
  }, 90_000);

  it('stops with one clear line when MongoDB cannot be reached, password masked', async () => {
    const port = await closedPort();
    const url = `mongodb://kl:s3cret@127.0.0.1:${port}/keyledger`;

    const run = start({ READ_MODELS: 'mongodb', MONGODB_URL: url }, dataDir);

    expect(run.status).toBe(1);
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^keyledger: cannot reach MongoDB at mongodb://kl:\\*\\*\\*@127\\.0\\.0\\.1:${port}/keyledger: .*ECONNREFUSED`,
        ),
      ),
    ]);
    expect(run.stdout + run.stderr).not.toContain('s3cret');
  }, 90_000);

  it('stops with one line naming the variable when MONGODB_URL is missing', () => {
    const run = start({ READ_MODELS: 'mongodb', MONGODB_URL: '' }, dataDir);

    expect(run.status).toBe(1);
    expect(run.stderr.trimEnd()).toBe(
      'keyledger: MONGODB_URL must be set when READ_MODELS is mongodb (e.g. mongodb://localhost:27017/keyledger)',
    );
  }, 90_000);
});
