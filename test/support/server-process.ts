import { spawn, type ChildProcess } from 'node:child_process';
import type { CompiledApp } from './compiled-app';
import { freePort } from './free-port';

/** `node main.js` in a child process, for what only a real process shows: signals and crashes. */
export class ServerProcess {
  private output = '';
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  static async start(app: CompiledApp, env: Record<string, string>): Promise<ServerProcess> {
    const port = await freePort();
    const child = spawn('node', [app.main], {
      env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    });
    const server = new ServerProcess(child, `http://127.0.0.1:${port}`);
    await server.waitForReady(20_000);
    return server;
  }

  /** Everything the process printed so far. */
  log(): string {
    return this.output;
  }

  async request(method: string, path: string, key: string, body?: unknown): Promise<unknown> {
    const res = await fetch(this.url + path, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const answer: unknown = await res.json();
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${JSON.stringify(answer)}`);
    return answer;
  }

  /** Sends `signal` and resolves once the process has exited. */
  async stop(signal: NodeJS.Signals) {
    this.child.kill(signal);
    return this.exited;
  }

  private async waitForReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`server exited: ${this.output}`);
      try {
        if ((await fetch(`${this.url}/ready`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    this.child.kill('SIGKILL');
    throw new Error(`server did not become ready: ${this.output}`);
  }
}
