import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/free-port';

const ROOT = join(__dirname, '..', '..');

/** The README's walkthrough block, exactly as a newcomer would paste it. */
function walkthroughFromReadme(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
  const walkthrough = blocks.find(
    (b) => b.includes('root-key create') && b.includes('/v1/keys/verify'),
  );
  if (!walkthrough) throw new Error('README has no walkthrough block');
  return walkthrough;
}

async function waitForReady(
  url: string,
  server: ChildProcess,
  timeoutMs: number,
  log: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null)
      throw new Error(`server exited with ${server.exitCode}: ${log()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`server did not become ready: ${log()}`);
}

describe('README walkthrough, pasted verbatim against `npm start`', () => {
  let port: number;
  let dataDir: string;
  let server: ChildProcess;
  let serverLog = '';

  beforeAll(async () => {
    execFileSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
    dataDir = mkdtempSync(join(tmpdir(), 'keyledger-readme-'));
    port = await freePort();
    server = spawn('node', ['dist/main.js'], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, PORT: String(port) },
    });
    server.stdout?.on('data', (chunk: Buffer) => (serverLog += chunk.toString()));
    server.stderr?.on('data', (chunk: Buffer) => (serverLog += chunk.toString()));
    await waitForReady(`http://127.0.0.1:${port}/ready`, server, 20_000, () => serverLog);
  }, 120_000);

  afterAll(() => {
    server.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates a root key, a tenant and a key, verifies VALID, revokes, verifies REVOKED, then 401', () => {
    // The only change to the pasted text: the port the test server was given.
    const script = walkthroughFromReadme().replaceAll('localhost:3000', `localhost:${port}`);
    const output = execFileSync('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir },
      encoding: 'utf8',
      timeout: 60_000,
    });
    const lines = output
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(5);
    const [tenant, valid, revoked, verifyRevoked, unauthorized] = lines;
    expect(tenant).toMatchObject({ tenantId: 'acme', name: 'Acme Inc', keyPrefix: 'kl' });
    expect(valid).toMatchObject({ valid: true, code: 'VALID', tenantId: 'acme' });
    expect(revoked).toMatchObject({ status: 'revoked', revocationReason: 'leaked in a log' });
    expect(verifyRevoked).toMatchObject({ valid: false, code: 'REVOKED' });
    expect(unauthorized).toMatchObject({
      code: 'UNAUTHORIZED',
      error: 'Invalid or missing API key',
    });
    expect(serverLog).not.toMatch(/kl_live_[0-9A-Za-z]{36}|klr_[0-9A-Za-z]{36}/);
  }, 90_000);

  it('refuses to start on a bad setting with one line naming the variable, and a non-zero exit', () => {
    const result = spawnSync('node', ['dist/main.js'], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, PORT: 'abc' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('keyledger: PORT must be an integer from 0 to 65535 (got "abc")\n');
  });
});
